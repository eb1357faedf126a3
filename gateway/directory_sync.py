"""Keeping a node's directory current: fetch from the parent, verify the chain, cache on disk.

A node starts from the newer of its configured directory file and its
cache, fetches its parent's copy on an interval, and adopts a fetched copy
only if the whole chain verifies and no segment moves to a lower version. A
copy that fails is never used; the node keeps serving on the last good one
and logs why. A child's new segment reaches the parent through
PublishDirectory and spreads downwards on the next fetches.
"""

from __future__ import annotations

import datetime
import logging
import os
import pathlib
import tempfile
from typing import Iterable

from hedui.gateway.directory import DirectoryView, TrustAnchor, save_signed, verify_signed_directory
from hedui.gateway.errors import HeduiError, Reason
from hedui.gateway.messages import parse_strict
from hedui.v1 import directory_pb2

log = logging.getLogger(__name__)

CACHE_NAME = "directory.cache.json"


def is_not_older(candidate: DirectoryView, current: DirectoryView) -> bool:
    """Return True if no segment of ``current`` is missing from or newer than in ``candidate``."""
    for signer, version in current.segment_versions.items():
        if candidate.segment_versions.get(signer, 0) < version:
            return False
    return True


def is_newer(candidate: DirectoryView, current: DirectoryView) -> bool:
    """Return True if ``candidate`` is not older and changes a version or the expiry."""
    if not is_not_older(candidate, current):
        return False
    return candidate.segment_versions != current.segment_versions or candidate.expires_at > current.expires_at


def write_cache(path: pathlib.Path, signed: directory_pb2.SignedDirectory) -> None:
    """Write the signed directory atomically, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".directory-", suffix=".json")
    os.close(handle)
    try:
        save_signed(pathlib.Path(temporary), signed)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def read_signed(path: pathlib.Path) -> directory_pb2.SignedDirectory:
    """Read a signed directory file without verifying it; raise CONFIG_MISSING or DIRECTORY_INVALID."""
    from google.protobuf import json_format

    from hedui.gateway.errors import os_error_detail

    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc
    signed = directory_pb2.SignedDirectory()
    try:
        json_format.Parse(text, signed)
    except (json_format.ParseError, ValueError) as exc:
        raise HeduiError(Reason.DIRECTORY_INVALID, str(path), str(exc)[:200]) from exc
    return signed


def find_segment(bundle: directory_pb2.SignedDirectory, signer: str) -> directory_pb2.SignedDirectory | None:
    """Return the delegated segment signed by ``signer`` anywhere in the bundle, or None."""
    for child in bundle.delegations:
        if segment_signer(child) == signer:
            return child
        found = find_segment(child, signer)
        if found is not None:
            return found
    return None


def segment_version(segment: directory_pb2.SignedDirectory | None) -> int:
    """Return a segment's version, 0 for None; used only to choose, the result is verified after."""
    if segment is None:
        return 0
    return parse_strict(directory_pb2.Directory, segment.directory, "Directory", validate=False).version


def segment_signer(segment: directory_pb2.SignedDirectory) -> str:
    """Return the node that signed a delegated segment."""
    return segment.signature.signer


def replace_segment(bundle: directory_pb2.SignedDirectory, segment: directory_pb2.SignedDirectory,
                    view: DirectoryView) -> directory_pb2.SignedDirectory:
    """Return a copy of ``bundle`` with the signer's segment replaced, or added under the segment listing it.

    The signer's children publish their segments to the signer, not here,
    so the nested delegations the signer sends are how they move up. Each
    nested segment is kept at the higher version of the one held and the one
    sent. The caller verifies the result.
    """
    signer = segment_signer(segment)
    updated = directory_pb2.SignedDirectory()
    updated.CopyFrom(bundle)

    def replace_in(parent: directory_pb2.SignedDirectory) -> bool:
        for index, child in enumerate(parent.delegations):
            if segment_signer(child) == signer:
                merged = directory_pb2.SignedDirectory()
                merged.CopyFrom(segment)
                del merged.delegations[:]
                merged.delegations.extend(_merge_delegations(child.delegations, segment.delegations))
                parent.delegations[index].CopyFrom(merged)
                return True
            if replace_in(child):
                return True
        return False

    if replace_in(updated):
        return updated

    holder = _segment_listing(updated, signer)
    if holder is None:
        raise HeduiError(Reason.DIRECTORY_INVALID, signer, ("目录中找不到该分段的签署节点", "the segment's signer is not in the directory"))
    holder.delegations.add().CopyFrom(segment)
    return updated


def _merge_delegations(held: Iterable[directory_pb2.SignedDirectory],
                       sent: Iterable[directory_pb2.SignedDirectory]) -> list[directory_pb2.SignedDirectory]:
    """Return one segment per signer from both lists, the higher version of each, merging their nested segments too."""
    merged = {segment_signer(segment): segment for segment in held}
    for segment in sent:
        signer = segment_signer(segment)
        kept = merged.get(signer)
        if kept is None:
            merged[signer] = segment
            continue
        # The versions come from unverified bytes and only pick which copy to keep. The caller verifies the result.
        newer, older = (segment, kept) if _version(segment) > _version(kept) else (kept, segment)
        combined = directory_pb2.SignedDirectory(directory=newer.directory, signature=newer.signature)
        combined.delegations.extend(_merge_delegations(older.delegations, newer.delegations))
        merged[signer] = combined
    return list(merged.values())


def _version(segment: directory_pb2.SignedDirectory) -> int:
    """Return a segment's version from its bytes, without verifying the signature."""
    return parse_strict(directory_pb2.Directory, segment.directory, "Directory", validate=False).version


def _segment_listing(bundle: directory_pb2.SignedDirectory, node_id: str) -> directory_pb2.SignedDirectory | None:
    """Return the (sub)bundle whose own segment lists node_id."""
    directory = parse_strict(directory_pb2.Directory, bundle.directory, "Directory", validate=False)
    if any(entry.node_id == node_id for entry in directory.nodes):
        return bundle
    for child in bundle.delegations:
        found = _segment_listing(child, node_id)
        if found is not None:
            return found
    return None


def adopt(current: DirectoryView, candidate_signed: directory_pb2.SignedDirectory, anchor: TrustAnchor,
          now: datetime.datetime, source: str, *, older_ok: bool = False) -> DirectoryView | None:
    """Verify a candidate directory and return it if it should replace ``current``, else None.

    Raises HeduiError with the reason if the candidate fails verification, or
    if it is older than ``current`` unless ``older_ok`` (then None).
    """
    candidate = verify_signed_directory(candidate_signed, anchor, now, source)
    if not is_not_older(candidate, current):
        if older_ok:
            return None
        raise HeduiError(Reason.DIRECTORY_INVALID, source,
                         ("目录中有分段的版本低于本节点现有版本", "a segment's version is lower than the one held here"))
    return candidate if is_newer(candidate, current) else None
