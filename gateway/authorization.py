"""Authorization records: issuer signature, deny-by-default policy and revocation lists."""

from __future__ import annotations

import dataclasses
import datetime
import logging

from hedui.gateway import identifiers
from hedui.gateway.directory import CIVIL_AFFAIRS, CLIENT, DirectoryView
from hedui.gateway.errors import HeduiError, Reason, VerificationError
from hedui.gateway.messages import parse_strict
from hedui.gateway.state import NodeState
from hedui.gateway.timeutil import from_timestamp, iso
from hedui.v1 import authorization_pb2, common_pb2

log = logging.getLogger(__name__)


def category_name(category: int) -> str:
    """Return the enum name of a data category without its prefix."""
    try:
        return common_pb2.DataCategory.Name(category).removeprefix("DATA_CATEGORY_")
    except ValueError:
        return str(category)


def purpose_name(purpose: int) -> str:
    """Return the enum name of a purpose without its prefix."""
    try:
        return common_pb2.Purpose.Name(purpose).removeprefix("PURPOSE_")
    except ValueError:
        return str(purpose)


def _civil_affairs_office(directory: DirectoryView, signer: str) -> bool:
    """Return True if the signer is a civil affairs node or a case system of one.

    A department that runs as a subsystem of civil affairs, such as the
    low-income registry 140000/MZ/DB, shares the office's node id prefix
    but does not issue authorizations, so its own role is checked too.
    """
    if signer not in directory:
        return False
    own_role = directory.node(signer).role
    return own_role in (CIVIL_AFFAIRS, CLIENT) and directory.node(identifiers.base_node(signer)).role == CIVIL_AFFAIRS


def open_authorization(signed: authorization_pb2.SignedAuthorization, directory: DirectoryView,
                       now: datetime.datetime) -> authorization_pb2.AuthorizationRecord:
    """Verify the issuer's signature over the record bytes, then parse and check the record.

    1. The signer must be a civil affairs node in the directory, and the
       signature must verify with its directory key.
    2. The verified bytes are parsed strictly (unknown fields reject).
    3. The record's issuer must be the signer, and the directory must let
       it issue for the household's division.
    """
    # Step 1.
    signer = signed.signature.signer
    if not signed.record:
        raise HeduiError(Reason.AUTHORIZATION_MISSING)
    if not _civil_affairs_office(directory, signer):
        raise HeduiError(Reason.AUTHORIZATION_ISSUER_NOT_ALLOWED, signer[:80],
                         ("签发者不是目录中的民政节点", "the signer is not a civil affairs node in the directory"))
    try:
        directory.verify(signed.signature, signed.record, None, "AuthorizationRecord", now)
    except VerificationError as exc:
        raise HeduiError(Reason.AUTHORIZATION_SIGNATURE_INVALID, signer[:80], exc.detail) from exc
    except HeduiError as exc:
        if exc.reason == Reason.UNKNOWN_KEY.value:
            raise HeduiError(Reason.AUTHORIZATION_SIGNATURE_INVALID, signer[:80], (exc.message("zh"), exc.message("en"))) from exc
        raise

    # Step 2.
    record = parse_strict(authorization_pb2.AuthorizationRecord, signed.record, "AuthorizationRecord")

    # Step 3.
    if record.issuer != signer:
        raise HeduiError(Reason.AUTHORIZATION_SIGNATURE_INVALID, record.record_id,
                         ("记录中的发证机关与签名者不符", "the record's issuer is not the signer"))
    division = identifiers.check_division_code(record.household_division or identifiers.division_of(record.issuer))
    if not directory.may_issue_for(record.issuer, division):
        raise HeduiError(Reason.AUTHORIZATION_ISSUER_NOT_ALLOWED, record.issuer,
                         (f"不能为行政区划 {division} 签发", f"may not issue for division {division}"))
    return record


@dataclasses.dataclass(frozen=True)
class PolicyRequest:
    """Members, categories and purpose a request covers, checked against an authorization record."""

    caller: str
    member_id_numbers: tuple[str, ...]
    categories: tuple[int, ...]
    purpose: int


def _is_grantee(caller: str, grantees: list[str]) -> bool:
    """Return True if caller is a grantee or a subsystem of one."""
    return any(caller == grantee or caller.startswith(grantee + "/") for grantee in grantees)


def check_policy(record: authorization_pb2.AuthorizationRecord, request: PolicyRequest,
                 state: NodeState, now: datetime.datetime) -> None:
    """Raise the first rule the request breaks; return only if every rule allows it.

    Deny by default: time window, revocation, grantee, members, categories
    and purpose are each checked; the use limit is counted separately with
    ``take_use`` once the request is otherwise allowed.
    """
    not_before = from_timestamp(record.not_before)
    not_after = from_timestamp(record.not_after)
    if now < not_before:
        raise HeduiError(Reason.AUTHORIZATION_NOT_YET_VALID, record.record_id, iso(not_before))
    if now > not_after:
        raise HeduiError(Reason.AUTHORIZATION_EXPIRED, record.record_id, iso(not_after))

    revoked_version = state.revoked_in(record.issuer, record.record_id)
    if revoked_version is not None:
        raise HeduiError(Reason.AUTHORIZATION_REVOKED, record.record_id, str(revoked_version))

    if not _is_grantee(request.caller, list(record.grantees)):
        raise HeduiError(Reason.AUTHORIZATION_CALLER_NOT_GRANTEE, request.caller,
                         ", ".join(record.grantees))

    covered_members = {identifiers.normalize_id_number(member.id_number) for member in record.members}
    for number in request.member_id_numbers:
        if number not in covered_members:
            raise HeduiError(Reason.AUTHORIZATION_MEMBER_NOT_COVERED, identifiers.mask_id_number(number))

    covered_categories = set(record.categories)
    for category in request.categories:
        if category not in covered_categories:
            raise HeduiError(Reason.AUTHORIZATION_CATEGORY_NOT_COVERED, category_name(category))

    if request.purpose != record.purpose:
        raise HeduiError(Reason.AUTHORIZATION_PURPOSE_MISMATCH, purpose_name(request.purpose),
                         purpose_name(record.purpose))


async def take_use(record: authorization_pb2.AuthorizationRecord, state: NodeState) -> None:
    """Count one use of a record with a use limit, or raise AUTHORIZATION_USE_LIMIT_REACHED.

    NOTE: each answering node counts its own uses, so a limit of N allows N
    verifications at every node, not N in the whole federation.
    """
    if record.use_limit == 0:
        return
    if await state.take_use(record.issuer, record.record_id, record.use_limit) is None:
        raise HeduiError(Reason.AUTHORIZATION_USE_LIMIT_REACHED, record.record_id, str(record.use_limit))


def open_revocation_list(signed: authorization_pb2.SignedRevocationList, directory: DirectoryView,
                         state: NodeState, now: datetime.datetime) -> authorization_pb2.RevocationList:
    """Verify a signed revocation list and check that it is newer than the one held."""
    signer = signed.signature.signer
    try:
        directory.verify(signed.signature, signed.list, None, "RevocationList", now)
    except HeduiError as exc:
        raise HeduiError(Reason.REVOCATION_LIST_INVALID, signer[:80], (exc.message("zh"), exc.message("en"))) from exc
    revocations = parse_strict(authorization_pb2.RevocationList, signed.list, "RevocationList")
    if revocations.issuer != signer:
        raise HeduiError(Reason.REVOCATION_LIST_INVALID, signer, ("列表中的发证机关与签名者不符", "the list's issuer is not the signer"))
    if not _civil_affairs_office(directory, signer):
        raise HeduiError(Reason.REVOCATION_LIST_INVALID, signer, ("签名者不是民政节点", "the signer is not a civil affairs node"))
    held = state.revocation_version(revocations.issuer)
    if revocations.version <= held:
        raise HeduiError(Reason.REVOCATION_LIST_STALE, str(revocations.version), str(held))
    return revocations
