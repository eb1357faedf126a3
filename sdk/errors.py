"""SDK exceptions: every one carries a stable reason code."""

from __future__ import annotations

from hedui.gateway.errors import HeduiError, Reason, VerificationError, from_rpc_error

__all__ = ["HeduiError", "Reason", "VerificationError", "from_rpc_error"]
