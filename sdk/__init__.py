"""hedui SDK: build and sign authorization records, call Verify and get a verified report."""

from hedui.sdk.authorization import AuthorizationBuilder, sign_authorization, sign_revocation_list
from hedui.sdk.client import Client, SyncClient
from hedui.sdk.errors import HeduiError, Reason, VerificationError
from hedui.sdk.report import SourceOutcome, VerificationReport
from hedui.sdk.setup import load_directory, load_key, load_tls

__all__ = [
    "AuthorizationBuilder",
    "Client",
    "HeduiError",
    "Reason",
    "SourceOutcome",
    "SyncClient",
    "VerificationError",
    "VerificationReport",
    "load_directory",
    "load_key",
    "load_tls",
    "sign_authorization",
    "sign_revocation_list",
]
