"""The hedui node: exchange server, routing, envelopes, authorization policy, audit and directory."""

import os

# gRPC's core prints INFO lines (such as GOAWAY on a closed channel) to stderr,
# which would mix into the command line's Chinese output; it reads this once at import.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

from hedui.gateway.errors import HeduiError, Reason  # noqa: E402

__all__ = ["HeduiError", "Reason"]
