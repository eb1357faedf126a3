"""An immutable builder for authorization records, and issuer signing."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from typing import Any

from hedui.gateway.identifiers import normalize_id_number
from hedui.gateway.keys import SigningKey
from hedui.gateway.messages import check_rules
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import authorization_pb2, common_pb2


@dataclasses.dataclass(frozen=True)
class Member:
    """A household member as the authorization letter lists them."""

    id_number: str
    name: str
    relation_code: str


@dataclasses.dataclass(frozen=True)
class AuthorizationBuilder:
    """Builds an AuthorizationRecord step by step; each step returns a new builder.

    Setting a single-valued field twice raises ValueError, so a record cannot
    silently end up with a value the caller did not mean.
    """

    _record_id: str | None = None
    _issuer: str | None = None
    _household_division: str | None = None
    _grantees: tuple[str, ...] = ()
    _members: tuple[Member, ...] = ()
    _categories: tuple[int, ...] = ()
    _purpose: int | None = None
    _assistance_category: int | None = None
    _case_reference: str | None = None
    _window: tuple[datetime.datetime, datetime.datetime] | None = None
    _use_limit: int | None = None
    _consent: tuple[authorization_pb2.ConsentEvidence, ...] = ()

    def _set_once(self, name: str, value: object) -> "AuthorizationBuilder":
        if getattr(self, name) is not None:
            raise ValueError(f"{name.lstrip('_')} is already set")
        changes: dict[str, Any] = {name: value}
        return dataclasses.replace(self, **changes)

    def record_id(self, value: str) -> "AuthorizationBuilder":
        return self._set_once("_record_id", value)

    def issuer(self, node_id: str, household_division: str | None = None) -> "AuthorizationBuilder":
        """Set the issuing civil affairs office and the household's division (default: the office's)."""
        builder = self._set_once("_issuer", node_id)
        return builder._set_once("_household_division", household_division or node_id[:6])

    def grantee(self, node_id: str) -> "AuthorizationBuilder":
        return dataclasses.replace(self, _grantees=(*self._grantees, node_id))

    def member(self, id_number: str, name: str, relation_code: str) -> "AuthorizationBuilder":
        """Add a member; the ID number is normalised (x to X, 15 to 18 digits) or rejected."""
        member = Member(normalize_id_number(id_number), name, relation_code)
        return dataclasses.replace(self, _members=(*self._members, member))

    def categories(self, *categories: int) -> "AuthorizationBuilder":
        return dataclasses.replace(self, _categories=(*self._categories, *categories))

    def purpose(self, value: int) -> "AuthorizationBuilder":
        return self._set_once("_purpose", value)

    def assistance_category(self, value: int) -> "AuthorizationBuilder":
        return self._set_once("_assistance_category", value)

    def case_reference(self, value: str) -> "AuthorizationBuilder":
        return self._set_once("_case_reference", value)

    def valid(self, not_before: datetime.datetime, not_after: datetime.datetime) -> "AuthorizationBuilder":
        if not_after <= not_before:
            raise ValueError("not_after must be later than not_before")
        return self._set_once("_window", (not_before, not_after))

    def use_limit(self, value: int) -> "AuthorizationBuilder":
        if value < 0:
            raise ValueError("use_limit must not be negative")
        return self._set_once("_use_limit", value)

    def paper_form(self, scanned_form: bytes, handling_officer: str) -> "AuthorizationBuilder":
        """Add consent evidence: the SHA-256 of the scanned signed paper form."""
        evidence = authorization_pb2.ConsentEvidence(
            kind=authorization_pb2.ConsentEvidence.KIND_PAPER_FORM_DIGEST,
            sha256=hashlib.sha256(scanned_form).digest(),
            handling_officer=handling_officer,
        )
        return dataclasses.replace(self, _consent=(*self._consent, evidence))

    def consent_digest(self, kind: int, sha256: bytes, handling_officer: str = "") -> "AuthorizationBuilder":
        """Add consent evidence from a digest the caller computed, for example of an electronic signature.

        ``kind`` is a ConsentEvidence.Kind value; ``sha256`` must be 32 bytes.
        """
        if len(sha256) != 32:
            raise ValueError(f"consent sha256 must be 32 bytes, not {len(sha256)}")
        evidence = authorization_pb2.ConsentEvidence(kind=kind, sha256=sha256, handling_officer=handling_officer)
        return dataclasses.replace(self, _consent=(*self._consent, evidence))

    def build(self, issued_at: datetime.datetime | None = None) -> authorization_pb2.AuthorizationRecord:
        """Return the record; raise ValueError naming what is missing or breaks a schema rule."""
        for name in ("_record_id", "_issuer", "_purpose", "_window"):
            if getattr(self, name) is None:
                raise ValueError(f"{name.lstrip('_')} is not set")
        assert self._window is not None
        record = authorization_pb2.AuthorizationRecord(
            record_id=self._record_id,
            issuer=self._issuer,
            household_division=self._household_division,
            grantees=list(self._grantees),
            members=[common_pb2.PersonRef(id_number=m.id_number, name=m.name, relation_code=m.relation_code)
                     for m in self._members],
            categories=list(self._categories),
            purpose=self._purpose,
            assistance_category=self._assistance_category or 0,
            case_reference=self._case_reference or "",
            not_before=to_timestamp(self._window[0]),
            not_after=to_timestamp(self._window[1]),
            use_limit=self._use_limit or 0,
            consent=list(self._consent),
            issued_at=to_timestamp(issued_at or utcnow()),
        )
        check_rules(record, "AuthorizationRecord")
        return record


def sign_authorization(record: authorization_pb2.AuthorizationRecord,
                       issuer_key: SigningKey) -> authorization_pb2.SignedAuthorization:
    """Sign a record with the issuing office's key."""
    if record.issuer != issuer_key.node_id:
        raise ValueError(f"record issuer {record.issuer} is not the key's node {issuer_key.node_id}")
    data = record.SerializeToString(deterministic=True)
    return authorization_pb2.SignedAuthorization(record=data, signature=issuer_key.sign(data))


def sign_revocation_list(issuer_key: SigningKey, version: int, record_ids: list[str],
                         issued_at: datetime.datetime | None = None) -> authorization_pb2.SignedRevocationList:
    """Build and sign an issuer's revocation list."""
    revocations = authorization_pb2.RevocationList(
        issuer=issuer_key.node_id, version=version, issued_at=to_timestamp(issued_at or utcnow()),
        revoked_record_ids=record_ids,
    )
    check_rules(revocations, "RevocationList")
    data = revocations.SerializeToString(deterministic=True)
    return authorization_pb2.SignedRevocationList(list=data, signature=issuer_key.sign(data))
