"""The version of discipline_flow."""

__version__ = "0.1.0"
