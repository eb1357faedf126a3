"""The OpenAPI 3.1 description of the local API, served at GET /v1/openapi.json.

Field lists, limits and enum names come from the request parsers and the
hedui.v1 enums, so the description changes with them. Tests check every
route, request and response against it.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from hedui import __version__
from hedui.gateway import _local_api_requests as requests
from hedui.gateway._local_api_errors import API_CATALOG
from hedui.gateway._local_api_fields import enum_names
from hedui.sdk import _review_input as review_input
from hedui.sdk.review import STATUSES as REVIEW_STATUSES
from hedui.v1 import authorization_pb2, common_pb2, exchange_pb2, records_pb2

JSON = "application/json"
NDJSON = requests.NDJSON
ID_NUMBER_PATTERN = r"^([0-9]{17}[0-9Xx]|[0-9]{15})$"
NODE_ID_PATTERN = r"^[0-9]{6}/[A-Z]{2,8}(/[A-Z0-9]{1,16})?$"
RFC3339 = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"


def _names(enum: Any, prefix: str) -> list[str]:
    """Return each defined enum name with and without its prefix."""
    short = enum_names(enum, prefix)
    return short + [prefix + name for name in short]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


ERRORS = {
    "400": _error("Bad input: invalid JSON, an unknown, missing or invalid field, an invalid ID number, "
                  "division code or node id, or an unknown category or purpose name. `field` names the value."),
    "401": _error("The bearer token is missing, invalid or removed."),
    "403": _error("The call did not come from loopback, or this node may not do what was asked."),
    "404": _error("No such endpoint, or no route to the target node."),
    "405": _error("The endpoint does not take this method."),
    "413": _error("The request body is larger than local_api.max_body_bytes."),
    "415": _error("The request body is not of the endpoint's media type: application/json, or "
                  "application/x-ndjson for /v1/reviews."),
    "422": _error("Rejected by authorization policy (reason AUTHORIZATION_*), here or at another node."),
    "500": _error("Internal error of this node; its log names the cause."),
    "502": _error("Another node could not be reached, rejected this node's request or sent an answer "
                  "that did not verify."),
    "504": _error("Another node or a department system did not answer in time."),
}


def _errors(*codes: str) -> dict[str, Any]:
    return {code: ERRORS[code] for code in codes}


def _schemas() -> dict[str, Any]:
    categories = {"type": "string", "enum": _names(common_pb2.DataCategory, requests.CATEGORY_PREFIX)}
    purpose = {"type": "string", "enum": _names(common_pb2.Purpose, requests.PURPOSE_PREFIX),
               "description": "Purpose by name, with or without the PURPOSE_ prefix."}
    category_list = {"type": "array", "minItems": 1, "uniqueItems": True, "items": categories,
                     "description": "Data categories by name, with or without the DATA_CATEGORY_ prefix."}
    id_number = {"type": "string", "pattern": ID_NUMBER_PATTERN,
                 "description": "Resident ID number (GB 11643). Lower-case x and 15-digit legacy numbers are "
                                "accepted and normalised; the check character is verified."}
    node_id = {"type": "string", "pattern": NODE_ID_PATTERN, "examples": ["140000/MZ"]}
    time = {"type": "string", "pattern": RFC3339, "examples": ["2026-03-01T00:00:00+08:00"],
            "description": "RFC 3339 time with a UTC offset."}
    return {
        "Error": {
            "type": "object",
            "additionalProperties": False,
            "required": ["reason", "message", "message_en"],
            "properties": {
                "reason": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$",
                           "description": "Stable reason code: API_* for this API's own checks, otherwise the "
                                          "node's reason code.",
                           "examples": sorted(API_CATALOG)[:3] + ["AUTHORIZATION_EXPIRED"]},
                "message": {"type": "string", "description": "Message in Simplified Chinese, with what to do next."},
                "message_en": {"type": "string", "description": "The same message in English."},
                "field": {"type": "string", "description": "JSON path of the offending request field, "
                                                           "such as members[1].id_number."},
            },
        },
        "Health": {
            "type": "object",
            "additionalProperties": False,
            "required": ["status", "node_id", "software_version", "directory_version", "directory_expires_at"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "directory_expired"]},
                "node_id": node_id,
                "software_version": {"type": "string"},
                "directory_version": {"type": "integer"},
                "directory_expires_at": {"type": "string", "format": "date-time"},
            },
        },
        "Member": {
            "type": "object",
            "additionalProperties": False,
            "required": list(requests.MEMBER_FIELDS),
            "properties": {
                "id_number": id_number,
                "name": {"type": "string", "minLength": 1, "maxLength": 64},
                "relation_code": {"type": "string", "pattern": "^[0-9]{2}$",
                                  "description": "Relation to the head of household, GB/T 4761 two-digit code "
                                                 "(02 head of household, 10 spouse, 20 son, ...)."},
            },
        },
        "ConsentEvidence": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "sha256"],
            "properties": {
                "kind": {"type": "string",
                         "enum": _names(authorization_pb2.ConsentEvidence.Kind, requests.CONSENT_PREFIX)},
                "sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$",
                           "description": "SHA-256 of the scanned signed letter or of the electronic signature, hex."},
                "handling_officer": {"type": "string", "maxLength": 64},
            },
        },
        "AuthorizationRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": list(requests.AUTHORIZATION_REQUIRED),
            "properties": {
                "record_id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"^\S(.*\S)?$",
                              "description": "Record id by the office's own numbering rule."},
                "household_division": {"type": "string", "pattern": "^[0-9]{6}$",
                                       "description": "GB/T 2260 division of the household; default: this node's."},
                "grantees": {"type": "array", "minItems": 1, "maxItems": 32, "items": node_id,
                             "description": "Nodes allowed to query; default: this node."},
                "members": {"type": "array", "minItems": 1, "maxItems": requests.MAX_MEMBERS, "items": _ref("Member")},
                "categories": category_list,
                "purpose": purpose,
                "assistance_category": {"type": "string", "enum": _names(common_pb2.AssistanceCategory,
                                                                         requests.ASSISTANCE_PREFIX)},
                "case_reference": {"type": "string", "maxLength": 64},
                "not_before": time,
                "not_after": {**time, "description": "End of the validity window; later than not_before."},
                "use_limit": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1,
                              "description": "Uses per answering node; 0 means no limit."},
                "consent": {"type": "array", "minItems": 1, "maxItems": 8, "items": _ref("ConsentEvidence")},
            },
        },
        "AuthorizationRecord": {
            "type": "object",
            "additionalProperties": False,
            "required": ["record_id", "issuer", "household_division", "grantees", "members", "categories", "purpose",
                         "assistance_category", "case_reference", "not_before", "not_after", "use_limit", "consent",
                         "issued_at"],
            "properties": {
                "record_id": {"type": "string"},
                "issuer": node_id,
                "household_division": {"type": "string", "pattern": "^[0-9]{6}$"},
                "grantees": {"type": "array", "items": node_id},
                "members": {"type": "array", "items": _ref("Member")},
                "categories": {"type": "array", "items": {"type": "string"}},
                "purpose": {"type": "string"},
                "assistance_category": {"type": ["string", "null"]},
                "case_reference": {"type": "string"},
                "not_before": {"type": "string", "format": "date-time"},
                "not_after": {"type": "string", "format": "date-time"},
                "use_limit": {"type": "integer"},
                "consent": {"type": "array", "items": _ref("ConsentEvidence")},
                "issued_at": {"type": "string", "format": "date-time"},
            },
        },
        "AuthorizationResponse": {
            "type": "object",
            "additionalProperties": False,
            "required": ["authorization", "signer", "key_id", "record"],
            "properties": {
                "authorization": {"type": "string", "contentEncoding": "base64",
                                  "description": "The signed record (hedui.v1.SignedAuthorization bytes), base64. "
                                                 "Store it with the case and send it in verifications."},
                "signer": node_id,
                "key_id": {"type": "string"},
                "record": _ref("AuthorizationRecord"),
            },
        },
        "VerificationRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": list(requests.VERIFICATION_REQUIRED),
            "properties": {
                "authorization": {"type": "string", "contentEncoding": "base64", "minLength": 1,
                                  "description": "hedui.v1.SignedAuthorization bytes, standard base64 with padding."},
                "members": {"type": "array", "minItems": 1, "maxItems": requests.MAX_MEMBERS, "uniqueItems": True,
                            "items": id_number, "description": "ID numbers of the members to check."},
                "categories": category_list,
                "purpose": purpose,
                "case_reference": {"type": "string", "maxLength": 64},
                "questions": {"type": "array", "maxItems": requests.MAX_QUESTIONS, "items": _ref("Question"),
                              "description": "Threshold questions answered yes or no; each needs the categories "
                                             "it measures in `categories`."},
                "threshold_only": {"type": "boolean", "default": False,
                                   "description": "Return the answers to `questions` and no records."},
                "target": {**node_id, "description": "Node that aggregates the report; default: this node's "
                                                     "parent (the province for a city node)."},
                "timeout_seconds": {"type": "number", "minimum": 1, "maximum": requests.MAX_TIMEOUT_SECONDS,
                                    "default": requests.DEFAULT_TIMEOUT_SECONDS},
            },
        },
        "Question": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,32}$",
                       "description": "Question id chosen by the caller; the answer carries it."},
                "kind": {"type": "string", "enum": _names(exchange_pb2.QuestionKind, requests.QUESTION_PREFIX)},
                "amount_fen": {"type": "integer", "minimum": 0, "default": 0,
                               "description": "Amount to compare with, in fen; 0 for REAL_ESTATE_BEYOND_ONE_HOME."},
            },
        },
        "Answer": {
            "type": "object",
            "additionalProperties": False,
            "required": ["question_id", "kind", "amount_fen", "result", "sources", "reason"],
            "properties": {
                "question_id": {"type": "string"},
                "kind": {"type": "string"},
                "amount_fen": {"type": "integer"},
                "result": {"type": "string", "enum": [name.removeprefix("QUESTION_RESULT_")
                                                      for name in exchange_pb2.QuestionResult.keys()]},
                "sources": {"type": "array", "items": node_id, "description": "Nodes whose measures were counted."},
                "reason": {"type": "string", "description": "Reason code when the result is undetermined."},
            },
        },
        "Source": {
            "type": "object",
            "additionalProperties": False,
            "required": ["node", "status", "reason", "categories", "answered_at", "elapsed_ms", "signature_verified",
                         "disclosure", "withheld_fields", "answer_sha256", "records"],
            "properties": {
                "node": node_id,
                "status": {"type": "string", "enum": [name.removeprefix("SOURCE_STATUS_")
                                                      for name in exchange_pb2.SourceStatus.keys()]},
                "reason": {"type": "string", "description": "Reason code when the source did not answer."},
                "categories": {"type": "array", "items": {"type": "string"}},
                "answered_at": {"type": ["string", "null"], "format": "date-time"},
                "elapsed_ms": {"type": "integer"},
                "signature_verified": {"type": "boolean",
                                       "description": "True when the data owner's signed answer verified."},
                "disclosure": {"type": "string", "enum": [name.removeprefix("DISCLOSURE_")
                                                          for name in exchange_pb2.Disclosure.keys()]},
                "withheld_fields": {"type": "array", "items": {"type": "string"},
                                    "description": "Fields the owner withheld because of the purpose."},
                "answer_sha256": {"type": "string", "pattern": "^([0-9a-f]{64})?$",
                                  "description": "Digest of the owner's signed answer when only answers were returned."},
                "records": {"type": "array", "items": {
                    "type": "object", "required": ["id_number", "category"],
                    "description": "A hedui.v1.Record in protobuf JSON form with the .proto field names."}},
            },
        },
        "Report": {
            "type": "object",
            "additionalProperties": False,
            "required": ["totals", "request_id", "responder", "created_at", "threshold_only", "answers", "sources"],
            "properties": {
                "totals": {"type": "object", "additionalProperties": {"type": "integer"},
                           "description": "Household totals over the verified records; money in fen, floor "
                                          "area in square centimetres."},
                "request_id": {"type": "string"},
                "responder": node_id,
                "created_at": {"type": "string", "format": "date-time"},
                "threshold_only": {"type": "boolean"},
                "answers": {"type": "array", "items": _ref("Answer")},
                "sources": {"type": "array", "items": _ref("Source")},
            },
        },
        **_low_income_schemas(id_number, node_id, purpose),
        **_review_schemas(category_list, purpose),
    }


def _low_income_schemas(id_number: dict[str, Any], node_id: dict[str, Any], purpose: dict[str, Any]) -> dict[str, Any]:
    return {
        "LowIncomeRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": list(requests.LOW_INCOME_REQUIRED),
            "properties": {
                "authorization": {"type": "string", "contentEncoding": "base64", "minLength": 1,
                                  "description": "hedui.v1.SignedAuthorization bytes, standard base64 with padding. "
                                                 "The record must cover LOW_INCOME_REGISTRY and name this node "
                                                 "as a grantee."},
                "members": {"type": "array", "minItems": 1, "maxItems": requests.MAX_MEMBERS, "uniqueItems": True,
                            "items": id_number, "description": "ID numbers of the people to look up."},
                "purpose": {**purpose, "default": requests.LOW_INCOME_DEFAULT_PURPOSE,
                            "description": "Purpose by name. SPECIAL_ASSISTANCE (the default) makes the registry "
                                           "withhold benefit amounts."},
                "case_reference": {"type": "string", "maxLength": 64},
                "target": {**node_id, "description": "Civil affairs node that aggregates the answer; default: "
                                                     "this node's parent (the province for a department node)."},
                "timeout_seconds": {"type": "number", "minimum": 1, "maximum": requests.MAX_TIMEOUT_SECONDS,
                                    "default": requests.DEFAULT_TIMEOUT_SECONDS},
            },
        },
        "AssistanceStatus": {
            "type": "object",
            "additionalProperties": False,
            "required": ["category", "status", "start_date", "programmes", "deciding_division",
                         "monthly_benefit_fen"],
            "properties": {
                "category": {"type": "string", "enum": enum_names(common_pb2.AssistanceCategory,
                                                                  requests.ASSISTANCE_PREFIX),
                             "description": "Assistance category, for example MINIMUM_LIVING_ALLOWANCE."},
                "status": {"type": "string", "description": "The registry's own wording, for example 在保."},
                "start_date": {"type": "string", "description": "Start of the assistance, as the registry gives it."},
                "programmes": {"type": "array", "items": {
                    "type": "string", "enum": enum_names(records_pb2.AssistanceProgramme, "ASSISTANCE_PROGRAMME_")},
                    "description": "Special assistance already received, for example MEDICAL."},
                "deciding_division": {"type": "string", "description": "GB/T 2260 division that decided it."},
                "monthly_benefit_fen": {"type": ["integer", "null"],
                                        "description": "Monthly benefit in fen; null when the purpose withheld it."},
            },
        },
        "LowIncomeMember": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id_number", "in_registry", "assistance", "sources", "reason", "as_of"],
            "properties": {
                "id_number": {"type": "string", "description": "The ID number as normalised."},
                "in_registry": {"type": ["boolean", "null"],
                                "description": "true when the registry lists the person, false when every registry "
                                               "answered without them, null when a registry did not answer."},
                "assistance": {"type": "array", "items": _ref("AssistanceStatus")},
                "sources": {"type": "array", "items": node_id, "description": "Registry nodes that answered."},
                "reason": {"type": "string", "description": "Reason code when in_registry is null, for example "
                                                            "DEPARTMENT_TIMEOUT; otherwise empty."},
                "as_of": {"type": ["string", "null"], "format": "date-time",
                          "description": "Latest as-of time of the person's registry entries."},
            },
        },
        "LowIncomeResponse": {
            "type": "object",
            "additionalProperties": False,
            "required": ["request_id", "responder", "members"],
            "properties": {
                "request_id": {"type": "string", "description": "Request id of the Verify this node sent."},
                "responder": node_id,
                "members": {"type": "array", "items": _ref("LowIncomeMember"),
                            "description": "One entry per requested member, in request order."},
            },
        },
    }


def _review_schemas(category_list: dict[str, Any], purpose: dict[str, Any]) -> dict[str, Any]:
    line = {"type": "integer", "minimum": 1, "description": "Number of the request line, counting from 1."}
    return {
        "ReviewCase": {
            "type": "object",
            "additionalProperties": False,
            "required": list(review_input.REQUIRED_FIELDS),
            "description": "One line of the request body: one household to re-check, in the format of "
                           "`hedui review run` input files.",
            "properties": {
                "case_id": {"type": "string", "minLength": 1, "maxLength": review_input.MAX_CASE_ID_LENGTH,
                            "description": "The case system's own case number: letters, digits and ._:/#@+-, "
                                           "unique within the call, and not a resident ID number."},
                "authorization": {"type": "string", "contentEncoding": "base64", "minLength": 1,
                                  "description": "hedui.v1.SignedAuthorization bytes, base64, naming this node "
                                                 "as a grantee."},
                "members": {"type": "array", "minItems": 1,
                            "items": {"type": "string", "pattern": ID_NUMBER_PATTERN},
                            "description": "ID numbers of the members to check."},
                "categories": category_list,
                "purpose": {**purpose, "default": "PERIODIC_REVIEW"},
                "case_reference": {"type": "string"},
            },
        },
        "ReviewResultLine": {
            "type": "object",
            "additionalProperties": False,
            "required": ["line", "case_id", "status", "reason", "message", "message_en", "elapsed_ms",
                         "finished_at", "report"],
            "properties": {
                "line": line,
                "case_id": {"type": ["string", "null"],
                            "description": "The line's case id; null when the line could not be read."},
                "status": {"type": "string", "enum": list(REVIEW_STATUSES),
                           "description": "ok: every source answered; partial: the report arrived but a source "
                                          "refused, timed out or was unavailable; failed: no verified report."},
                "reason": {"type": "string", "description": "Reason code of a failed line: API_REVIEW_* for a "
                                                            "line that was not verified, otherwise the node's "
                                                            "reason code such as AUTHORIZATION_EXPIRED."},
                "message": {"type": "string", "description": "What failed or which sources are missing, in "
                                                             "Simplified Chinese."},
                "message_en": {"type": "string"},
                "elapsed_ms": {"type": "integer"},
                "finished_at": {"type": "string", "format": "date-time"},
                "report": {"oneOf": [_ref("Report"), {"type": "null"}],
                           "description": "The verified report, as POST /v1/verifications returns it."},
            },
        },
        "ReviewSummaryLine": {
            "type": "object",
            "additionalProperties": False,
            "required": ["summary"],
            "properties": {
                "summary": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["done", "ok", "partial", "failed", "lines", "elapsed_ms", "reason"],
                    "properties": {
                        "done": {"type": "integer", "description": "Result lines sent: ok + partial + failed."},
                        "ok": {"type": "integer"},
                        "partial": {"type": "integer"},
                        "failed": {"type": "integer"},
                        "lines": {"type": "integer", "description": "Request lines read, blank lines included."},
                        "elapsed_ms": {"type": "integer"},
                        "reason": {"type": "string", "enum": ["", *requests.REVIEW_STOP_REASONS],
                                   "description": "Empty when every line was read and answered; otherwise why "
                                                  "the call stopped early."},
                    },
                },
            },
        },
    }


def _review_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "concurrency", "in": "query", "required": False,
         "description": "Households verified at the same time.",
         "schema": {"type": "integer", "minimum": 1, "maximum": requests.MAX_REVIEW_CONCURRENCY,
                    "default": requests.DEFAULT_REVIEW_CONCURRENCY}},
        {"name": "target", "in": "query", "required": False,
         "description": "Node that aggregates each report; default: this node's parent.",
         "schema": {"type": "string", "pattern": NODE_ID_PATTERN}},
        {"name": "timeout_seconds", "in": "query", "required": False,
         "description": "Deadline of each household's verification.",
         "schema": {"type": "number", "minimum": 1, "maximum": requests.MAX_TIMEOUT_SECONDS,
                    "default": requests.DEFAULT_TIMEOUT_SECONDS}},
    ]


def _operation(summary: str, description: str, response: dict[str, Any], errors: dict[str, Any],
               request: str | None = None, public: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "description": description,
                                 "responses": {**response, **errors}}
    if request is not None:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _ref(request)}}}
    if public:
        operation["security"] = []
    return operation


@functools.cache
def _document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hedui local API",
            "version": __version__,
            "description": "HTTP/JSON API of one hedui node for its own organisation's systems, on loopback only. "
                           "The node signs, sends and verifies; callers send and receive plain JSON.",
        },
        "servers": [{"url": "http://127.0.0.1:8780", "description": "the address in [local_api] listen"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Token from `hedui api token add NAME --config node.toml`."}},
            "schemas": _schemas(),
        },
        "paths": {
            "/v1/health": {"get": _operation(
                "Node health", "Whether the node serves, with its id and directory version. No token needed.",
                {"200": {"description": "The node serves.", "content": {JSON: {"schema": _ref("Health")}}}},
                _errors("403", "500"), public=True)},
            "/v1/openapi.json": {"get": _operation(
                "This description", "The OpenAPI 3.1 description of the API. No token needed.",
                {"200": {"description": "OpenAPI document.", "content": {JSON: {"schema": {"type": "object"}}}}},
                _errors("403", "500"), public=True)},
            "/v1/authorizations": {"post": _operation(
                "Issue an authorization record",
                "Civil affairs nodes only. Builds the record from the household's signed letter, signs it with "
                "this node's key and writes an audit entry.",
                {"201": {"description": "The signed record.", "content": {JSON: {"schema": _ref("AuthorizationResponse")}}}},
                _errors("400", "401", "403", "404", "405", "413", "415", "422", "500"), request="AuthorizationRequest")},
            "/v1/verifications": {"post": _operation(
                "Verify a household",
                "Sends Verify as this node to the target over mutual TLS, verifies the aggregator's and every "
                "owner's signature and returns the report. A slow or failed department shows as its source's "
                "status, not as an error.",
                {"200": {"description": "The verified report.", "content": {JSON: {"schema": _ref("Report")}}}},
                _errors("400", "401", "403", "404", "405", "413", "415", "422", "500", "502", "504"),
                request="VerificationRequest")},
            "/v1/low-income-status": {"post": _operation(
                "Look up people in the low-income registry",
                "For departments such as medical insurance, education and housing: sends Verify of the "
                "LOW_INCOME_REGISTRY category as this node and returns, per member, whether the registry lists "
                "them, under which assistance category and which special assistance they already receive.",
                {"200": {"description": "Each member's status.",
                         "content": {JSON: {"schema": _ref("LowIncomeResponse")}}}},
                _errors("400", "401", "403", "404", "405", "413", "415", "422", "500", "502", "504"),
                request="LowIncomeRequest")},
            "/v1/reviews": {"post": _review_operation()},
        },
    }


def _review_operation() -> dict[str, Any]:
    operation = _operation(
        "Periodic review in bulk",
        f"The body is JSON Lines ({NDJSON}): one ReviewCase object per line, at most {requests.MAX_REVIEW_LINES} lines "
        f"(blank lines included) of at most {requests.MAX_REVIEW_LINE_BYTES} bytes each. The body is read as the "
        "households are verified, so local_api.max_body_bytes does not apply. The response streams JSON Lines "
        "with chunked transfer encoding: one ReviewResultLine per household as it finishes, in finishing order, "
        "then one ReviewSummaryLine. A bad line gives a failed ReviewResultLine naming its line number and the "
        "other lines still run. Without a summary line the stream broke off.",
        {"200": {"description": "Result lines, then the summary line; each line is one of the two schemas.",
                 "content": {NDJSON: {"schema": {"oneOf": [_ref("ReviewResultLine"), _ref("ReviewSummaryLine")]}}}}},
        _errors("400", "401", "403", "404", "405", "415", "500"))
    # OpenAPI 3.1 has no schema for the items of a sequence, so the schema given is that of each line.
    operation["requestBody"] = {"required": True, "description": "Case lines, each one ReviewCase object.",
                                "content": {NDJSON: {"schema": _ref("ReviewCase")}}}
    operation["parameters"] = _review_parameters()
    return operation


def openapi_document() -> dict[str, Any]:
    """Return a copy of the OpenAPI document."""
    return copy.deepcopy(_document())
