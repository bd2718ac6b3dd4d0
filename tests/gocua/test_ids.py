"""Record ids: random UUIDs and the derived uuid5 ids of SYNC.md."""

from __future__ import annotations

import hashlib
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from gocua import ids

# Written out from SYNC.md, not imported, so a change to the namespace in the code is caught.
SYNC_MD_NAMESPACE = "6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10"

uuids_st = st.uuids().map(str)
codes_st = st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=20)
area_st = st.text(min_size=1, max_size=20)
period_st = st.one_of(
    st.integers(2000, 2100).map(str),
    st.tuples(st.integers(2000, 2100), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
)


def uuid5_by_hand(name: str) -> str:
    """RFC 4122 section 4.3 computed with hashlib: SHA-1 of namespace bytes + name."""
    digest = bytearray(hashlib.sha1(uuid.UUID(SYNC_MD_NAMESPACE).bytes + name.encode()).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    hexed = digest[:16].hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def test_namespace_is_the_sync_md_one():
    assert str(ids.ID_NAMESPACE) == SYNC_MD_NAMESPACE


def test_hand_uuid5_agrees_with_stdlib():
    # Guards the helper itself.
    name = "a/b"
    assert uuid5_by_hand(name) == str(uuid.uuid5(uuid.UUID(SYNC_MD_NAMESPACE), name))


@settings(deadline=None, max_examples=100)
@given(uuids_st, codes_st)
def test_support_item_id_is_the_sync_md_uuid5(subject_id, item_code):
    expected = str(uuid.uuid5(uuid.UUID(SYNC_MD_NAMESPACE), f"{subject_id}/{item_code}"))
    got = ids.support_item_id(subject_id, item_code)
    assert got == expected == uuid5_by_hand(f"{subject_id}/{item_code}")
    assert got == ids.support_item_id(subject_id, item_code)  # deterministic
    assert ids.is_canonical_uuid(got)
    assert uuid.UUID(got).version == 5


@settings(deadline=None, max_examples=100)
@given(area_st, codes_st, period_st)
def test_target_id_is_the_sync_md_uuid5(area_id, indicator_code, period):
    name = f"target/{area_id}/{indicator_code}/{period}"
    got = ids.target_id(area_id, indicator_code, period)
    assert got == str(uuid.uuid5(uuid.UUID(SYNC_MD_NAMESPACE), name)) == uuid5_by_hand(name)
    assert got == ids.target_id(area_id, indicator_code, period)
    assert ids.is_canonical_uuid(got)


def test_known_support_item_id():
    # A fixed vector, so the desktop, the server and any other client can check theirs.
    subject = "0b5e8f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    assert ids.support_item_id(subject, "vneid_l2") == uuid5_by_hand(f"{subject}/vneid_l2")
    assert ids.support_item_id(subject, "vneid_l2") != ids.support_item_id(subject, "vneid_l1")


@settings(deadline=None, max_examples=60)
@given(uuids_st, uuids_st, codes_st)
def test_derived_ids_differ_by_subject_and_kind(a, b, code):
    if a != b:
        assert ids.support_item_id(a, code) != ids.support_item_id(b, code)
    # A target and a support item never share an id for the same text pieces.
    assert ids.target_id(a, code, "2026") != ids.support_item_id(a, code)


def test_new_id_is_random_canonical_v4():
    made = {ids.new_id() for _ in range(200)}
    assert len(made) == 200
    assert all(ids.is_canonical_uuid(i) and uuid.UUID(i).version == 4 for i in made)


@settings(deadline=None, max_examples=60)
@given(st.uuids())
def test_is_canonical_uuid(value):
    text = str(value)
    assert ids.is_canonical_uuid(text)
    if any(c.isalpha() for c in text):
        assert not ids.is_canonical_uuid(text.upper())
    assert not ids.is_canonical_uuid(text.replace("-", ""))
    assert not ids.is_canonical_uuid("{" + text + "}")
    assert not ids.is_canonical_uuid(" " + text[:-1])
    assert not ids.is_canonical_uuid(value)  # a UUID object is not a wire id


def test_is_canonical_uuid_rejects_non_strings_and_junk():
    for junk in (None, 42, b"6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10", "", "x" * 36):
        assert not ids.is_canonical_uuid(junk)


@given(uuids_st, uuids_st)
def test_merged_visit_id_is_a_uuid5_of_visit_and_kept_household(visit_id, keep_id):
    expected = str(uuid.uuid5(uuid.UUID(SYNC_MD_NAMESPACE), f"merge/{visit_id}/{keep_id}"))
    assert ids.merged_visit_id(visit_id, keep_id) == expected
    assert ids.merged_visit_id(visit_id, keep_id) != ids.merged_visit_id(keep_id, visit_id) or (
        visit_id == keep_id
    )
