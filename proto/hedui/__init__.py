"""hedui: a federated data-exchange gateway for household economic status verification."""

__version__ = "0.1.0"
