"""The version of discipline_flow."""

__version__ = "0.2.0.dev0"
