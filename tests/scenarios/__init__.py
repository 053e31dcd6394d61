"""Example workflows and scenario files of the rule-testing toolkit's own tests."""
