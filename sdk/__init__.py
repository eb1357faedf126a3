"""hedui SDK: build and sign authorization records, call Verify and get a verified report."""

from hedui.sdk.authorization import AuthorizationBuilder, sign_authorization, sign_revocation_list
from hedui.sdk.client import Client, SyncClient
from hedui.sdk.errors import HeduiError, Reason, VerificationError
from hedui.sdk.low_income import AssistanceStatus, LowIncomeStatus
from hedui.sdk.report import QuestionOutcome, SourceOutcome, VerificationReport
from hedui.sdk.setup import load_directory, load_key, load_tls

__all__ = [
    "AssistanceStatus",
    "AuthorizationBuilder",
    "Client",
    "HeduiError",
    "LowIncomeStatus",
    "QuestionOutcome",
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
