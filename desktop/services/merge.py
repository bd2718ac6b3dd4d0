"""A leader merges two records of one household or one person (SYNC.md, "Duplicates across
devices"): ordinary mutations, one transaction per merge, so every device converges on it and
the server's audit shows who merged what.

``merge_households(keep, other)``:

- each person of ``other`` either moves to ``keep`` (its ``household_id`` changes; its support
  items follow it, being keyed by the person) or, when it is a person ``keep`` has already (the
  same CCCD; or, where the two do not both have a CCCD, the same name by
  :func:`gocua.text.match_key` and the same birth year), is merged into that person as
  :meth:`Merging.merge_persons` does. A moved person who was ``other``'s head loses that
  relation (left empty) when ``keep`` has a head already: a household has one head.
- each visit of ``other`` is copied into ``keep`` under a derived id
  (:func:`gocua.ids.merged_visit_id`), its items' subjects rewritten (``other`` becomes
  ``keep``, merged persons their kept person), and the original deleted: a visit is a log entry
  whose household cannot change, and the derived id makes two leaders merging the same pair
  write the same rows.
- each household-level support item goes to ``keep``'s item of the same code when its state is
  further along (:func:`gocua.states.outranks`, "progress wins"), with its reason, and its note
  unless empty; ``other``'s item is deleted.
- ``keep``'s empty phone and note are filled from ``other``; then ``other`` is deleted.

Each record kept is also "claimed" (:func:`_claim`): two leaders merging one pair in opposite
directions while offline would otherwise delete both records without a conflict.

``merge_persons(keep, other)``: the items as above (subject ``keep``), ``keep``'s empty fields
filled from ``other``, then ``other`` and its items deleted. Visits that named ``other`` stay
as they were logged.

Only leaders and commune admins merge (the signed-in role); a row gone meanwhile (merged on
another device and pulled) is a NotFound before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from desktop.services.errors import NotAllowed
from desktop.store import duplicates
from desktop.store.identity import LEADER_ROLES, signed_in_role
from desktop.store.rows import append_outbox, fetch_row, record_delete
from gocua import ids
from gocua.catalogue import HOUSEHOLD, PERSON
from gocua.protocol import merge_visit_items
from gocua.states import outranks
from gocua.text import match_key
from gocua.validation import FieldError, ValidationFailed, birth_year_of

if TYPE_CHECKING:
    from desktop.services.usecases import _Tx

# A kept person's fields that an empty value lets the other record fill.
PERSON_FILLS = ("birth_date", "sex", "cccd", "phone", "has_smartphone", "relation", "note")
HOUSEHOLD_FILLS = ("phone", "note")
# Fields the CCCD is checked against: dropped from the fills together if they disagree.
_CCCD_FIELDS = ("cccd", "birth_date", "sex")


@dataclass(frozen=True)
class MergeResult:
    kept: str
    persons_moved: int = 0
    persons_merged: int = 0
    visits_copied: int = 0
    items_taken: int = 0  # items whose state came from the other record


def _empty(value: Any) -> bool:
    return value is None or value == ""


def matching_persons(kept: list[dict], others: list[dict]) -> dict[str, str]:
    """Which persons of the other household are persons the kept one has: ``{other: kept}``,
    one to one. The same CCCD first; then, where the two do not both have a CCCD (two
    different CCCDs are two citizens), the same folded name and the same birth year (both
    unknown counts as the same)."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for person in others:
        if not person["cccd"]:
            continue
        match = next(
            (k for k in kept if k["id"] not in taken and k["cccd"] == person["cccd"]), None
        )
        if match is not None:
            found[person["id"]] = match["id"]
            taken.add(match["id"])
    for person in others:
        if person["id"] in found:
            continue
        key, year = match_key(person["full_name"]), birth_year_of(person["birth_date"])
        match = next(
            (
                k
                for k in kept
                if k["id"] not in taken
                and not (k["cccd"] and person["cccd"])
                and match_key(k["full_name"]) == key
                and birth_year_of(k["birth_date"]) == year
            ),
            None,
        )
        if match is not None:
            found[person["id"]] = match["id"]
            taken.add(match["id"])
    return found


class Merging:
    """The merges, mixed into :class:`desktop.services.Services`: they use its
    ``_transaction``, ``_upsert`` and ``_require_live``."""

    # -- public -----------------------------------------------------------------------------

    def merge_households(self, keep_id: str, other_id: str) -> MergeResult:
        """Merge household ``other_id`` into ``keep_id`` (see the module's description)."""
        _distinct(keep_id, other_id, "Hai hộ cần gộp phải là hai hộ khác nhau")
        with self._transaction() as tx:
            _require_merger(tx.conn)
            keep = self._require_live(tx, "households", keep_id, "keep_id", "hộ được giữ lại")
            other = self._require_live(
                tx, "households", other_id, "other_id", "hộ cần gộp (có thể đã được gộp ở máy khác)"
            )
            kept_persons = _live_persons(tx.conn, keep_id)
            other_persons = _live_persons(tx.conn, other_id)
            same = matching_persons(kept_persons, other_persons)
            kept_by_id = {p["id"]: p for p in kept_persons}
            has_head = any(p["relation"] == "head" for p in kept_persons)
            moved = merged = taken = 0
            for person in other_persons:
                if person["id"] in same:
                    taken += self._merge_person_rows(tx, kept_by_id[same[person["id"]]], person)
                    merged += 1
                    continue
                changes: dict[str, Any] = {"household_id": keep_id}
                if person["relation"] == "head" and has_head:
                    changes["relation"] = None
                self._upsert(tx, "persons", person["id"], changes, must_exist=True)
                moved += 1
            taken += self._merge_items(tx, HOUSEHOLD, keep_id, other_id)
            renamed = {other_id: keep_id, **same}
            copied = 0
            for visit in _live_rows(tx.conn, "visits", "household_id", other_id):
                self._copy_visit(tx, visit, keep_id, renamed)
                copied += 1
            fills = {
                name: other[name]
                for name in HOUSEHOLD_FILLS
                if _empty(keep[name]) and not _empty(other[name])
            }
            if fills:
                self._upsert(tx, "households", keep_id, fills, must_exist=True)
            _claim(tx, "households", keep_id)
            record_delete(tx.conn, tx.hlc(), "households", other_id, other)
        return MergeResult(keep_id, moved, merged, copied, taken)

    def merge_persons(self, keep_id: str, other_id: str) -> MergeResult:
        """Merge person ``other_id`` into ``keep_id`` (in the same household or not)."""
        _distinct(keep_id, other_id, "Hai người cần gộp phải là hai người khác nhau")
        with self._transaction() as tx:
            _require_merger(tx.conn)
            keep = self._require_live(tx, "persons", keep_id, "keep_id", "người được giữ lại")
            other = self._require_live(
                tx, "persons", other_id, "other_id", "người cần gộp (có thể đã được gộp ở máy khác)"
            )
            taken = self._merge_person_rows(tx, {**keep, "id": keep_id}, {**other, "id": other_id})
        return MergeResult(keep_id, persons_merged=1, items_taken=taken)

    def dismiss_duplicate(self, kind: str, first_id: str, second_id: str) -> None:
        """ "Không phải trùng": this profile no longer lists the pair (nothing is synced)."""
        with self.store.write() as conn:
            duplicates.dismiss(conn, kind, first_id, second_id)

    # -- steps ------------------------------------------------------------------------------

    def _merge_person_rows(self, tx: _Tx, keep: dict, other: dict) -> int:
        """Items, then empty fields, then the other's tombstone. Returns the items taken."""
        taken = self._merge_items(tx, PERSON, keep["id"], other["id"])
        fills = {
            name: other[name]
            for name in PERSON_FILLS
            if _empty(keep[name]) and not _empty(other[name])
        }
        if fills.get("relation") == "head" and _has_head(tx.conn, keep["household_id"]):
            del fills["relation"]  # a household has one head
        if fills:
            try:
                self._upsert(tx, "persons", keep["id"], fills, must_exist=True)
            except ValidationFailed as failed:
                # The other's CCCD (or birth date, or sex) disagrees with what the kept record
                # says: the kept record's word stands, the rest is still filled.
                if not any(e.field in _CCCD_FIELDS for e in failed.errors):
                    raise
                rest = {k: v for k, v in fills.items() if k not in _CCCD_FIELDS}
                if rest:
                    self._upsert(tx, "persons", keep["id"], rest, must_exist=True)
        _claim(tx, "persons", keep["id"])
        record_delete(tx.conn, tx.hlc(), "persons", other["id"], other)
        return taken

    def _merge_items(self, tx: _Tx, subject_type: str, keep_id: str, other_id: str) -> int:
        """Each item of ``other_id`` into ``keep_id``'s of the same code when further along;
        the other's items deleted. Returns how many states came from the other."""
        taken = 0
        for item in _live_rows(tx.conn, "support_items", "subject_id", other_id):
            code = item["item_code"]
            row_id = ids.support_item_id(keep_id, code)
            current = fetch_row(tx.conn, "support_items", row_id)
            live = current is not None and not current["deleted"]
            if outranks(item["state"], current["state"] if live else None):
                fields: dict[str, Any] = {"state": item["state"], "reason": item["reason"]}
                if item["note"] or not live:
                    fields["note"] = item["note"]
                if not live:
                    fields.update(subject_type=subject_type, subject_id=keep_id, item_code=code)
                self._upsert(tx, "support_items", row_id, fields, must_exist=False)
                taken += 1
            record_delete(tx.conn, tx.hlc(), "support_items", item["id"], item)
        return taken

    def _copy_visit(self, tx: _Tx, visit: dict, keep_id: str, renamed: dict[str, str]) -> None:
        items = [
            {**entry, "subject_id": renamed.get(entry["subject_id"], entry["subject_id"])}
            for entry in visit["items"] or []
        ]
        fields = {
            "household_id": keep_id,
            "visited_at": visit["visited_at"],
            "volunteer_id": visit["volunteer_id"],
            "outcome": visit["outcome"],
            "note": visit["note"],
            "follow_up_on": visit["follow_up_on"],
            # Two entries may now name one subject: one entry, the state further along.
            "items": merge_visit_items(items, []),
            # Persons merged into the kept household's are named by their kept id.
            "met_ids": sorted({renamed.get(p, p) for p in visit.get("met_ids") or []}),
        }
        copy_id = ids.merged_visit_id(visit["id"], keep_id)
        self._upsert(tx, "visits", copy_id, fields, must_exist=False)
        record_delete(tx.conn, tx.hlc(), "visits", visit["id"], visit)


# -- helpers --------------------------------------------------------------------------------


def _distinct(keep_id: str, other_id: str, message_vi: str) -> None:
    if keep_id == other_id:
        raise ValidationFailed(
            [FieldError("other_id", "invalid_value", "must differ from keep_id", message_vi)]
        )


def _require_merger(conn: Connection) -> None:
    if signed_in_role(conn) not in LEADER_ROLES:
        raise NotAllowed(
            "only team leaders and commune admins may merge duplicates",
            "Chỉ tổ trưởng hoặc cán bộ quản trị xã mới được gộp hộ hoặc người trùng. "
            "Hãy báo tổ trưởng để gộp.",
        )


# The field a merge re-sends, unchanged, for the record it keeps (see _claim): one that is
# rarely edited, so re-sending the value as this device saw it almost never meets an edit.
_CLAIM_FIELD = {"households": "hamlet_id", "persons": "household_id"}


def _claim(tx: _Tx, table: str, row_id: str) -> None:
    """Tell the server this device kept the row, as of the version it saw: an upsert of one
    field with its current value. It changes nothing, but the server counts it as a write, so
    another leader's merge of the same pair the other way round (deleting this row, offline
    meanwhile) becomes a ``_deleted`` conflict the leader can restore from, rather than two
    tombstones and no trace. A row the server never had (version 0) needs none."""
    current = fetch_row(tx.conn, table, row_id)
    if current is None or current["deleted"] or not current["version"]:
        return
    field = _CLAIM_FIELD[table]
    append_outbox(
        tx.conn, tx.hlc(), table, row_id, "upsert", current["version"], {field: current[field]}
    )


def _has_head(conn: Connection, household_id: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM persons WHERE household_id = ? AND relation = 'head' AND deleted = 0",
        (household_id,),
    )
    return found.first() is not None


def _live_persons(conn: Connection, household_id: str) -> list[dict]:
    """The household's live persons with their wire fields, the head first."""
    found = conn.exec_driver_sql(
        "SELECT id FROM persons WHERE household_id = ? AND deleted = 0 "
        "ORDER BY relation = 'head' DESC, seq",
        (household_id,),
    ).scalars()
    return [{**fetch_row(conn, "persons", pid), "id": pid} for pid in list(found)]


def _live_rows(conn: Connection, table: str, column: str, value: str) -> Iterator[dict]:
    """Live rows of ``table`` whose ``column`` is ``value``, with their wire fields and id."""
    order = "visited_at, id" if table == "visits" else "id"
    found = conn.exec_driver_sql(
        f"SELECT id FROM {table} WHERE {column} = ? AND deleted = 0 ORDER BY {order}", (value,)
    ).scalars()
    for row_id in list(found):
        yield {**fetch_row(conn, table, row_id), "id": row_id}
