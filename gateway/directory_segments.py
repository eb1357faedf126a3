"""Delegated directory segments: a chain of trust from the anchor down the node tree.

The trust anchor signs the root segment, which lists the ministry link and
the provinces. A civil affairs node or the ministry link listed in an
accepted segment may sign a segment of its own. That segment may list only
new nodes inside the signer's division, each hanging below the signer through
nodes of the same segment. A province thus vouches for its cities, counties
and departments, and a city for its own.
"""

from __future__ import annotations

import datetime

from hedui.gateway import identifiers
from hedui.gateway.errors import HeduiError, Reason, VerificationError
from hedui.gateway.messages import parse_strict
from hedui.gateway.timeutil import from_timestamp, iso, to_timestamp
from hedui.v1 import directory_pb2

DELEGATING_ROLES = (directory_pb2.NODE_ROLE_CIVIL_AFFAIRS, directory_pb2.NODE_ROLE_MINISTRY_LINK)
MAX_DEPTH = 4


def accept_delegation(view, signed: directory_pb2.SignedDirectory, now: datetime.datetime,
                      name: str, depth: int = 1):
    """Verify one delegated segment against ``view`` and return a view that includes it.

    1. The signer is a node of an accepted segment that may delegate, and the
       signature verifies with its directory key.
    2. The verified bytes parse strictly, in the same federation, unexpired.
    3. Every node is new, lies inside the signer's division, may issue
       authorizations only inside that division, and hangs below the signer
       through nodes of this segment.
    Nested delegations of the segment follow, with the widened view.
    """
    from hedui.gateway.directory import DirectoryView

    if depth > MAX_DEPTH:
        raise HeduiError(Reason.DIRECTORY_INVALID, name, ("目录分段嵌套过深", "directory segments nest too deep"))

    # Step 1.
    signer = signed.signature.signer
    where = f"{name} [{signer}]"
    if signer not in view or view.node(signer).role not in DELEGATING_ROLES:
        raise HeduiError(Reason.DIRECTORY_SIGNATURE_INVALID, where,
                         (f"{signer} 无权签署目录分段", f"{signer} may not sign a directory segment"))
    try:
        view.verify(signed.signature, signed.directory, signer, "DirectorySegment", now)
    except (VerificationError, HeduiError) as exc:
        raise HeduiError(Reason.DIRECTORY_SIGNATURE_INVALID, where, exc.message()) from exc

    # Step 2.
    try:
        segment = parse_strict(directory_pb2.Directory, signed.directory, "Directory")
    except HeduiError as exc:
        raise HeduiError(Reason.DIRECTORY_INVALID, where, exc.detail) from exc
    if segment.federation != view.directory.federation:
        raise HeduiError(Reason.DIRECTORY_INVALID, where,
                         (f"联邦名称 {segment.federation} 与根目录不符", f"federation {segment.federation} differs from the root"))
    expires_at = from_timestamp(segment.expires_at)
    if now >= expires_at:
        raise HeduiError(Reason.DIRECTORY_EXPIRED, where, iso(expires_at))

    # Step 3.
    scope = identifiers.division_of(signer)
    inside = {signer}
    for entry in segment.nodes:
        if entry.node_id in view.directory_ids():
            raise HeduiError(Reason.DIRECTORY_INVALID, where,
                             (f"节点 {entry.node_id} 已由上级分段定义", f"node {entry.node_id} is already defined above"))
        if not identifiers.division_contains(scope, identifiers.division_of(entry.node_id)):
            raise HeduiError(Reason.DIRECTORY_INVALID, where,
                             (f"节点 {entry.node_id} 不在 {signer} 的辖区内", f"node {entry.node_id} is outside {signer}'s division"))
        for division in entry.issues_for_divisions:
            if not identifiers.division_contains(scope, division):
                raise HeduiError(Reason.DIRECTORY_INVALID, where,
                                 (f"节点 {entry.node_id} 的授权签发范围 {division} 不在 {signer} 的辖区内",
                                  f"node {entry.node_id} may issue for {division}, outside {signer}'s division"))
        inside.add(entry.node_id)
    for entry in segment.nodes:
        if entry.parent not in inside:
            raise HeduiError(Reason.DIRECTORY_INVALID, where,
                             (f"节点 {entry.node_id} 的上级 {entry.parent or '（空）'} 不在本分段内",
                              f"the parent {entry.parent or '(none)'} of node {entry.node_id} is outside this segment"))

    merged = directory_pb2.Directory()
    merged.CopyFrom(view.directory)
    merged.nodes.extend(segment.nodes)
    if expires_at < view.expires_at:
        merged.expires_at.CopyFrom(to_timestamp(expires_at))
    versions = dict(view.segment_versions)
    versions[signer] = segment.version
    widened = DirectoryView(merged, view.source, view.signed, versions)
    for nested in signed.delegations:
        widened = accept_delegation(widened, nested, now, name, depth + 1)
    return widened
