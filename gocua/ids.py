"""Record ids of SYNC.md: random UUIDs, and derived ones so devices agree offline."""

from __future__ import annotations

import uuid

ID_NAMESPACE = uuid.UUID("6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10")


def new_id() -> str:
    return str(uuid.uuid4())


def support_item_id(subject_id: str, item_code: str) -> str:
    """Two devices that create "VNeID level 2 for person P" offline make the same row."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{subject_id}/{item_code}"))


def target_id(area_id: str, indicator_code: str, period: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"target/{area_id}/{indicator_code}/{period}"))


def is_canonical_uuid(value: object) -> bool:
    """A canonical lower-case UUID string, as every record id on the wire must be."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
