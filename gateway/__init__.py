"""The hedui node: exchange server, routing, envelopes, authorization policy, audit and directory."""

from hedui.gateway.errors import HeduiError, Reason

__all__ = ["HeduiError", "Reason"]
