"""Record ids of SYNC.md: random UUIDs, and derived ones so devices agree offline."""

from __future__ import annotations

import hashlib
import re
import uuid

ID_NAMESPACE = uuid.UUID("6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10")


def new_id() -> str:
    return str(uuid.uuid4())


_NAMESPACE_BYTES = ID_NAMESPACE.bytes


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(ID_NAMESPACE, name))`` (RFC 4122 4.3) in a quarter of the time: the
    server checks one per support item pushed, and building the UUID object was most of it."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest[:16].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def support_item_id(subject_id: str, item_code: str) -> str:
    """Two devices that create "VNeID level 2 for person P" offline make the same row."""
    return _uuid5(f"{subject_id}/{item_code}")


def target_id(area_id: str, indicator_code: str, period: str) -> str:
    return _uuid5(f"target/{area_id}/{indicator_code}/{period}")


def merged_visit_id(visit_id: str, keep_household_id: str) -> str:
    """The copy of a visit in the household it was merged into (a visit is a log entry: it is
    copied, never moved). Two leaders merging the same pair make the same rows."""
    return _uuid5(f"merge/{visit_id}/{keep_household_id}")


# What str(uuid.UUID(x)) writes; matched directly (a push checks a few ids per mutation, and
# parsing each into a UUID object was a measurable part of it).
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_canonical_uuid(value: object) -> bool:
    """A canonical lower-case UUID string, as every record id on the wire must be."""
    return isinstance(value, str) and _CANONICAL.fullmatch(value) is not None
