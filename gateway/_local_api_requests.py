"""The local API's request bodies: their fields, their checks and what the node builds from them.

Each parser checks the whole body before anything is signed, sent or
audited, so a bad request leaves no trace beyond its error response.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

from multidict import MultiMapping

from hedui.gateway import _local_api_fields as f
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway.errors import HeduiError
from hedui.gateway.messages import check_rules, parse_strict
from hedui.gateway.questions import check_questions
from hedui.sdk.authorization import Member
from hedui.v1 import authorization_pb2, common_pb2, exchange_pb2

CATEGORY_PREFIX = "DATA_CATEGORY_"
PURPOSE_PREFIX = "PURPOSE_"
ASSISTANCE_PREFIX = "ASSISTANCE_CATEGORY_"
CONSENT_PREFIX = "KIND_"
MAX_MEMBERS = 64
MAX_AUTHORIZATION_BYTES = 64 * 1024 + 1024
DEFAULT_TIMEOUT_SECONDS = 15.0
MAX_TIMEOUT_SECONDS = 120.0

_RECORD_ID = re.compile(r"^\S(.*\S)?$")
_RELATION_CODE = re.compile(r"^[0-9]{2}$")

# A new argument of Client.verify takes three small changes: its name here, its
# check in parse_verification and its entry in verify_arguments. The handler
# passes verify_arguments through unchanged.
VERIFICATION_FIELDS = ("authorization", "members", "categories", "purpose", "case_reference", "questions",
                       "threshold_only", "target", "timeout_seconds")
QUESTION_FIELDS = ("id", "kind", "amount_fen")
QUESTION_PREFIX = "QUESTION_KIND_"
MAX_QUESTIONS = 16
_QUESTION_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
VERIFICATION_REQUIRED = ("authorization", "members", "categories", "purpose")

AUTHORIZATION_FIELDS = ("record_id", "household_division", "grantees", "members", "categories", "purpose",
                        "assistance_category", "case_reference", "not_before", "not_after", "use_limit", "consent")
AUTHORIZATION_REQUIRED = ("record_id", "members", "categories", "purpose", "not_before", "not_after", "consent")
MEMBER_FIELDS = ("id_number", "name", "relation_code")
CONSENT_FIELDS = ("kind", "sha256", "handling_officer")


@dataclasses.dataclass(frozen=True)
class VerificationRequest:
    """A checked POST /v1/verifications body."""

    authorization: authorization_pb2.SignedAuthorization
    members: tuple[str, ...]
    categories: tuple[int, ...]
    purpose: int
    case_reference: str
    questions: tuple[exchange_pb2.ThresholdQuestion, ...]
    threshold_only: bool
    target: str | None
    timeout_seconds: float

    def verify_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments of hedui.sdk.Client.verify for this request."""
        return {
            "authorization": self.authorization,
            "members": list(self.members),
            "categories": list(self.categories),
            "purpose": self.purpose,
            "case_reference": self.case_reference,
            "questions": list(self.questions),
            "threshold_only": self.threshold_only,
            "timeout": self.timeout_seconds,
        }


def parse_verification(document: dict[str, Any]) -> VerificationRequest:
    """Check a verification body and return it, or raise ApiError naming the first bad field."""
    f.check_keys(document, "", VERIFICATION_FIELDS, VERIFICATION_REQUIRED)

    authorization = _signed_authorization(document["authorization"])
    members = _member_numbers(document["members"])
    categories = f.enum_list(document["categories"], "categories", common_pb2.DataCategory, CATEGORY_PREFIX)
    purpose = f.enum_value(document["purpose"], "purpose", common_pb2.Purpose, PURPOSE_PREFIX)
    case_reference = f.string(document.get("case_reference", ""), "case_reference", max_len=64)
    questions = _questions(document.get("questions", []))
    threshold_only = f.boolean(document.get("threshold_only", False), "threshold_only")
    target = f.node_id(document["target"], "target") if "target" in document else None
    timeout = f.number(document.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS), "timeout_seconds",
                       minimum=1.0, maximum=MAX_TIMEOUT_SECONDS)

    request = VerificationRequest(authorization, members, categories, purpose, case_reference, questions,
                                  threshold_only, target, timeout)
    # The same schema rules and question checks every receiving node applies,
    # run here so a request another node would reject as malformed is a 400
    # before it is sent.
    query = exchange_pb2.VerifyQuery(authorization=authorization, member_id_numbers=members, categories=categories,
                                     purpose=purpose, case_reference=case_reference, questions=questions,
                                     threshold_only=threshold_only)
    _check_schema_rules(query, "VerifyQuery", {"member_id_numbers": "members"})
    try:
        check_questions(query)
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field=_question_field(exc.value, questions)) from exc
    return request


LOW_INCOME_FIELDS = ("authorization", "members", "purpose", "case_reference", "target", "timeout_seconds")
LOW_INCOME_REQUIRED = ("authorization", "members")
LOW_INCOME_DEFAULT_PURPOSE = "SPECIAL_ASSISTANCE"


@dataclasses.dataclass(frozen=True)
class LowIncomeRequest:
    """A checked POST /v1/low-income-status body: a verification of the low-income registry category only."""

    authorization: authorization_pb2.SignedAuthorization
    members: tuple[str, ...]
    purpose: int
    case_reference: str
    target: str | None
    timeout_seconds: float

    @property
    def categories(self) -> tuple[int, ...]:
        return (common_pb2.DATA_CATEGORY_LOW_INCOME_REGISTRY,)


def parse_low_income(document: dict[str, Any]) -> LowIncomeRequest:
    """Check a low-income status body and return it, or raise ApiError naming the first bad field."""
    f.check_keys(document, "", LOW_INCOME_FIELDS, LOW_INCOME_REQUIRED)
    authorization = _signed_authorization(document["authorization"])
    members = _member_numbers(document["members"])
    purpose = f.enum_value(document.get("purpose", LOW_INCOME_DEFAULT_PURPOSE), "purpose", common_pb2.Purpose,
                           PURPOSE_PREFIX)
    case_reference = f.string(document.get("case_reference", ""), "case_reference", max_len=64)
    target = f.node_id(document["target"], "target") if "target" in document else None
    timeout = f.number(document.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS), "timeout_seconds",
                       minimum=1.0, maximum=MAX_TIMEOUT_SECONDS)

    request = LowIncomeRequest(authorization, members, purpose, case_reference, target, timeout)
    query = exchange_pb2.VerifyQuery(authorization=authorization, member_id_numbers=members,
                                     categories=request.categories, purpose=purpose, case_reference=case_reference)
    _check_schema_rules(query, "VerifyQuery", {"member_id_numbers": "members"})
    return request


def _signed_authorization(value: Any) -> authorization_pb2.SignedAuthorization:
    raw = f.base64_bytes(value, "authorization", max_bytes=MAX_AUTHORIZATION_BYTES)
    try:
        return parse_strict(authorization_pb2.SignedAuthorization, raw, "SignedAuthorization")
    except HeduiError as exc:
        raise f.invalid("authorization", f"不是已签名的授权记录（SignedAuthorization）：{exc.message('zh')}",
                        f"is not a SignedAuthorization: {exc.message('en')}") from exc


def _member_numbers(value: Any) -> tuple[str, ...]:
    items = f.array(value, "members", min_items=1, max_items=MAX_MEMBERS)
    members: list[str] = []
    for index, item in enumerate(items):
        number = f.id_number(item, f.path("members", index))
        if number in members:
            raise f.invalid(f.path("members", index), "与前面的成员重复", "repeats an earlier member")
        members.append(number)
    return tuple(members)


def _questions(value: Any) -> tuple[exchange_pb2.ThresholdQuestion, ...]:
    items = f.array(value, "questions", min_items=0, max_items=MAX_QUESTIONS)
    questions = []
    for index, item in enumerate(items):
        where = f.path("questions", index)
        entry = f.object_value(item, where)
        f.check_keys(entry, where, QUESTION_FIELDS, ("id", "kind"))
        question_id = f.string(entry["id"], f.path(where, "id"), min_len=1, max_len=32, pattern=_QUESTION_ID,
                               hint=("须为 1 到 32 个字母、数字、点、短横线或下划线",
                                     "must be 1 to 32 letters, digits, dots, dashes or underscores"))
        kind = f.enum_value(entry["kind"], f.path(where, "kind"), exchange_pb2.QuestionKind, QUESTION_PREFIX)
        amount = f.integer(entry.get("amount_fen", 0), f.path(where, "amount_fen"), minimum=0, maximum=2**63 - 1)
        questions.append(exchange_pb2.ThresholdQuestion(id=question_id, kind=kind, amount_fen=amount))
    return tuple(questions)


def _question_field(value: str, questions: tuple[exchange_pb2.ThresholdQuestion, ...]) -> str:
    """Return the path of the question a QUESTION_INVALID error names by id; a repeated id names its second use."""
    if value == "threshold_only":
        return value
    positions = [index for index, question in enumerate(questions) if question.id == value]
    if not positions:
        return "questions"
    return f.path("questions", positions[1] if len(positions) > 1 else positions[0])


@dataclasses.dataclass(frozen=True)
class AuthorizationRequest:
    """A checked POST /v1/authorizations body."""

    record_id: str
    household_division: str | None
    grantees: tuple[str, ...]
    members: tuple[Member, ...]
    categories: tuple[int, ...]
    purpose: int
    assistance_category: int | None
    case_reference: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    use_limit: int
    consent: tuple[authorization_pb2.ConsentEvidence, ...]


def parse_authorization(document: dict[str, Any]) -> AuthorizationRequest:
    """Check an authorization body and return it, or raise ApiError naming the first bad field."""
    f.check_keys(document, "", AUTHORIZATION_FIELDS, AUTHORIZATION_REQUIRED)

    record_id = f.string(document["record_id"], "record_id", min_len=1, max_len=64, pattern=_RECORD_ID,
                         hint=("首尾不能是空白字符", "must not start or end with white space"))
    division = (f.division_code(document["household_division"], "household_division")
                if "household_division" in document else None)
    grantees: tuple[str, ...] = ()
    if "grantees" in document:
        items = f.array(document["grantees"], "grantees", min_items=1, max_items=32)
        grantees = tuple(f.node_id(item, f.path("grantees", index)) for index, item in enumerate(items))

    members = _members(document["members"])
    categories = f.enum_list(document["categories"], "categories", common_pb2.DataCategory, CATEGORY_PREFIX)
    purpose = f.enum_value(document["purpose"], "purpose", common_pb2.Purpose, PURPOSE_PREFIX)
    assistance = (f.enum_value(document["assistance_category"], "assistance_category", common_pb2.AssistanceCategory,
                               ASSISTANCE_PREFIX) if "assistance_category" in document else None)
    case_reference = f.string(document.get("case_reference", ""), "case_reference", max_len=64)

    not_before = f.timestamp(document["not_before"], "not_before")
    not_after = f.timestamp(document["not_after"], "not_after")
    if not_after <= not_before:
        raise f.invalid("not_after", "须晚于 not_before", "must be later than not_before")
    use_limit = f.integer(document.get("use_limit", 0), "use_limit", minimum=0, maximum=2**32 - 1)
    consent = _consent(document["consent"])

    return AuthorizationRequest(record_id, division, grantees, members, categories, purpose, assistance,
                                case_reference, not_before, not_after, use_limit, consent)


def _members(value: Any) -> tuple[Member, ...]:
    items = f.array(value, "members", min_items=1, max_items=MAX_MEMBERS)
    members: list[Member] = []
    for index, item in enumerate(items):
        where = f.path("members", index)
        member = f.object_value(item, where)
        f.check_keys(member, where, MEMBER_FIELDS, MEMBER_FIELDS)
        number = f.id_number(member["id_number"], f.path(where, "id_number"))
        if any(known.id_number == number for known in members):
            raise f.invalid(f.path(where, "id_number"), "与前面的成员重复", "repeats an earlier member")
        name = f.string(member["name"], f.path(where, "name"), min_len=1, max_len=64)
        relation = f.string(member["relation_code"], f.path(where, "relation_code"), min_len=2, max_len=2,
                            pattern=_RELATION_CODE,
                            hint=("须为 GB/T 4761 两位代码，例如 02 户主、10 配偶",
                                  "must be a two-digit GB/T 4761 code, for example 02 head of household, 10 spouse"))
        members.append(Member(number, name, relation))
    return tuple(members)


def _consent(value: Any) -> tuple[authorization_pb2.ConsentEvidence, ...]:
    items = f.array(value, "consent", min_items=1, max_items=8)
    evidence = []
    for index, item in enumerate(items):
        where = f.path("consent", index)
        entry = f.object_value(item, where)
        f.check_keys(entry, where, CONSENT_FIELDS, ("kind", "sha256"))
        kind = f.enum_value(entry["kind"], f.path(where, "kind"), authorization_pb2.ConsentEvidence.Kind, CONSENT_PREFIX)
        digest = f.sha256_hex(entry["sha256"], f.path(where, "sha256"))
        officer = f.string(entry.get("handling_officer", ""), f.path(where, "handling_officer"), max_len=64)
        evidence.append(authorization_pb2.ConsentEvidence(kind=kind, sha256=digest, handling_officer=officer))
    return tuple(evidence)


def _check_schema_rules(message: Any, message_name: str, renames: dict[str, str]) -> None:
    """Raise a 400 naming the request field when ``message`` breaks a rule of the hedui.v1 schema."""
    try:
        check_rules(message, message_name)
    except HeduiError as exc:
        top = exc.field.split(".")[0]
        raise ApiError.from_hedui(exc, field=renames.get(top, top)) from exc


# POST /v1/reviews takes its options as query parameters, because its body is the case lines.
NDJSON = "application/x-ndjson"
# Lines per call, blank lines included. The line after the last one allowed gets
# a failed result line with API_REVIEW_TOO_MANY_LINES, and nothing after it is read.
MAX_REVIEW_LINES = 10_000
# Bytes per line without its newline. A case line carries one signed
# authorization, at most 65 KiB of protobuf and so about 87 KiB in base64,
# plus the members and categories.
MAX_REVIEW_LINE_BYTES = 128 * 1024
DEFAULT_REVIEW_CONCURRENCY = 8
MAX_REVIEW_CONCURRENCY = 32
REVIEW_PARAMETERS = ("concurrency", "target", "timeout_seconds")
# Why a review call stopped before every line had its result: too many lines, the
# body broke off while the connection stayed open, or an error of this node.
REVIEW_STOP_REASONS = ("API_REVIEW_TOO_MANY_LINES", "API_REVIEW_BODY_INCOMPLETE", "INTERNAL")
_DECIMAL = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,6})?$")


@dataclasses.dataclass(frozen=True)
class ReviewOptions:
    """The checked query parameters of POST /v1/reviews."""

    concurrency: int
    target: str | None
    timeout_seconds: float


def parse_review_options(query: MultiMapping[str]) -> ReviewOptions:
    """Check the query parameters, or raise ApiError naming the first bad one."""
    for key in query:
        if key not in REVIEW_PARAMETERS:
            raise ApiError.of("API_UNKNOWN_FIELD", key[:40], ", ".join(REVIEW_PARAMETERS), key[:40])
        if len(query.getall(key)) > 1:
            raise f.invalid(key, "只能给出一次", "must be given once")
    concurrency = f.integer(_decimal(query, "concurrency", DEFAULT_REVIEW_CONCURRENCY), "concurrency",
                            minimum=1, maximum=MAX_REVIEW_CONCURRENCY)
    target = f.node_id(query["target"], "target") if "target" in query else None
    timeout = f.number(_decimal(query, "timeout_seconds", DEFAULT_TIMEOUT_SECONDS), "timeout_seconds",
                       minimum=1.0, maximum=MAX_TIMEOUT_SECONDS)
    return ReviewOptions(concurrency, target, timeout)


def _decimal(query: MultiMapping[str], key: str, default: float) -> float:
    """Return a query parameter as a number; a fraction stays a float, so that f.integer rejects it."""
    if key not in query:
        return default
    text = query[key]
    if not _DECIMAL.match(text):
        raise f.invalid(key, "须为十进制数字，例如 8", "must be a decimal number, for example 8")
    return float(text) if "." in text else int(text)
