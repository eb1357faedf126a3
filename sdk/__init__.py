"""hedui SDK: build and sign authorization records, call Verify and get a verified report."""

from hedui.sdk.authorization import AuthorizationBuilder, sign_authorization, sign_revocation_list
from hedui.sdk.client import Client, SyncClient
from hedui.sdk.errors import HeduiError, Reason, VerificationError
from hedui.sdk.low_income import AssistanceStatus, LowIncomeStatus
from hedui.sdk.render_html import render_html
from hedui.sdk.report import QuestionOutcome, SourceOutcome, VerificationReport
from hedui.sdk.setup import load_directory, load_key, load_tls
from hedui.sdk._review_errors import ReviewFileError
from hedui.sdk._review_input import case_to_json, check_cases, parse_case, read_cases
from hedui.sdk._review_results import ResultsFile
from hedui.sdk.review import ReviewCase, ReviewProgress, ReviewResult, review, verify_case

__all__ = [
    "AssistanceStatus",
    "AuthorizationBuilder",
    "Client",
    "HeduiError",
    "LowIncomeStatus",
    "QuestionOutcome",
    "Reason",
    "ResultsFile",
    "ReviewCase",
    "ReviewFileError",
    "ReviewProgress",
    "ReviewResult",
    "SourceOutcome",
    "SyncClient",
    "VerificationError",
    "VerificationReport",
    "case_to_json",
    "check_cases",
    "load_directory",
    "load_key",
    "load_tls",
    "parse_case",
    "read_cases",
    "render_html",
    "review",
    "sign_authorization",
    "sign_revocation_list",
    "verify_case",
]
