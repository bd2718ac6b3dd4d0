"""The volunteer's and leader's actions on the local store.

Every public method is one ``BEGIN IMMEDIATE`` transaction that validates with the core's rules
(the same the server applies), writes the domain rows and appends their outbox mutations.
An exception anywhere rolls all of it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from desktop.services.errors import NotFound
from desktop.services.merge import Merging
from desktop.store import bulk
from desktop.store.areas import LOCAL_COMMUNE, all_areas, joined_commune, offline_areas
from desktop.store.database import Store
from desktop.store.identity import current_user_id, load_clock, save_clock
from desktop.store.rows import (
    OUTBOX,
    fetch_row,
    local_columns,
    now_utc,
    record_delete,
    record_upsert,
)
from desktop.store.schema import SYNCED_TABLES, Area
from gocua import ids
from gocua.catalogue import HOUSEHOLD, PERSON, Catalogue, default_catalogue
from gocua.dates import VN_TZ, now_vn
from gocua.protocol import full_row, validate_fields
from gocua.text import normalize_name
from gocua.validation import FieldError, ValidationFailed


@dataclass(frozen=True)
class ItemChange:
    """One support item's new state, as a visit or a grid click sets it."""

    subject_type: str  # "person" | "household"
    subject_id: str
    item_code: str
    state: str
    reason: str | None = None
    note: str | None = None


@dataclass
class _Tx:
    conn: Connection
    hlc: Callable[[], str]
    today: dt.date
    user_id: str


def _indexed(prefix: str, failed: ValidationFailed) -> ValidationFailed:
    """The errors with ``prefix`` in front of each field ("households[2].members[0]...")."""
    return ValidationFailed(
        [
            FieldError(f"{prefix}.{e.field}", e.code, e.message_en, e.message_vi)
            for e in failed.errors
        ]
    )


class Services(Merging):
    """Every use case; the leader's merges of duplicates are in desktop.services.merge."""

    def __init__(
        self,
        store: Store,
        catalogue: Catalogue | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = now_vn,
    ):
        self.store = store
        self.catalogue = catalogue or default_catalogue()
        self._today = today
        self._now = now

    @contextmanager
    def _transaction(self) -> Iterator[_Tx]:
        with self.store.write() as conn:
            clock = load_clock(conn)
            yield _Tx(conn, clock.now, self._today(), current_user_id(conn))
            save_clock(conn, clock)

    # -- shared steps ---------------------------------------------------------------------------

    def _upsert(
        self, tx: _Tx, table: str, row_id: str, fields: dict[str, Any], *, must_exist: bool
    ) -> int | None:
        current = fetch_row(tx.conn, table, row_id)
        if must_exist and (current is None or current["deleted"]):
            raise NotFound("id", f"{table} row {row_id}", "bản ghi cần sửa")
        wire_current = None if current is None or current["deleted"] else current
        clean = validate_fields(
            table, row_id, fields, current=wire_current, catalogue=self.catalogue
        )
        # The stored row itself (tombstone included): re-creating a deleted row with a derived
        # id (a support item, a target) revives it rather than inserting a duplicate.
        return record_upsert(tx.conn, tx.hlc(), table, row_id, clean, current, tx.today)

    def _require_live(self, tx: _Tx, table: str, row_id: str, field: str, what_vi: str) -> dict:
        row = fetch_row(tx.conn, table, row_id)
        if row is None or row["deleted"]:
            raise NotFound(field, f"{table} row {row_id}", what_vi)
        return row

    def _require_hamlet(self, tx: _Tx, hamlet_id: Any) -> None:
        area = Area.__table__
        kind = tx.conn.execute(select(area.c.kind).where(area.c.id == hamlet_id)).scalar()
        if kind != "hamlet":
            raise NotFound("hamlet_id", f"hamlet {hamlet_id}", "ấp/thôn này")

    # -- households and persons -------------------------------------------------------------

    def register_household(
        self,
        hamlet_id: str,
        address: str,
        phone: str | None = None,
        note: str = "",
        members: Iterable[dict[str, Any]] = (),
    ) -> str:
        """A new household and, in the same transaction, its members (dicts of person fields)."""
        household_id = ids.new_id()
        with self._transaction() as tx:
            self._require_hamlet(tx, hamlet_id)
            fields = {"hamlet_id": hamlet_id, "address": address, "phone": phone, "note": note}
            self._upsert(tx, "households", household_id, fields, must_exist=False)
            errors: list[FieldError] = []
            for index, member in enumerate(members):
                try:
                    self._upsert(
                        tx,
                        "persons",
                        ids.new_id(),
                        {**member, "household_id": household_id},
                        must_exist=False,
                    )
                except ValidationFailed as failed:
                    errors.extend(
                        FieldError(
                            f"members[{index}].{e.field}", e.code, e.message_en, e.message_vi
                        )
                        for e in failed.errors
                    )
            if errors:
                raise ValidationFailed(errors)
        return household_id

    def import_households(
        self,
        households: Iterable[dict[str, Any]],
        *,
        updates: Iterable[dict[str, Any]] = (),
        new_hamlets: dict[str, str] | None = None,
    ) -> list[str]:
        """Many new households with their members in ONE transaction: all are written or none.

        Each dict holds ``hamlet_id``, ``address``, optional ``phone`` and ``note``, and
        ``members`` (dicts of person fields). Every row is validated like
        :meth:`register_household`'s and gets the same created-row outbox mutation, so imported
        rows sync like any other; the first problem rolls everything back and is raised with
        the household's index in the field name. The rows are new (fresh ids), so they are
        written with one multi-row INSERT per table instead of a statement per row: a
        20,000-person list takes seconds, not a minute.

        A list imported again (issue 17) also brings, in the same transaction:

        * households given as ``household_id`` and ``members``: new members of a household
          the store has;
        * ``updates``: ``{"table": "households" | "persons", "id", "fields"}``, edits of rows
          the store has, only the fields given (each an ordinary edit, with its outbox entry);
        * ``new_hamlets``: placeholder -> name of hamlets to create, for a profile not joined
          to a server commune yet (local hamlets, ``LOCAL-nn``, which the join maps later); a
          household's or an update's ``hamlet_id`` may be such a placeholder.
        """
        created: list[str] = []
        rows: dict[str, list[dict[str, Any]]] = {"households": [], "persons": []}
        mutations: list[dict[str, Any]] = []
        with self._transaction() as tx:
            hamlets: set[str] = set()
            stamp = now_utc()
            placeholders = self._create_local_hamlets(tx, new_hamlets or {})

            def add(table: str, row_id: str, fields: dict[str, Any]) -> None:
                clean = validate_fields(table, row_id, fields, catalogue=self.catalogue)
                row = full_row(table, clean)
                hlc = tx.hlc()
                rows[table].append(
                    {
                        "id": row_id,
                        **row,
                        **local_columns(table, row, tx.today),
                        "version": 0,
                        "deleted": False,
                        "updated_hlc": hlc,
                    }
                )
                mutations.append(
                    {
                        "hlc": hlc,
                        "table_name": table,
                        "row_id": row_id,
                        "op": "upsert",
                        "base_version": 0,
                        "fields": row,
                        "created_at": stamp,
                        "state": "pending",
                    }
                )

            for index, household in enumerate(households):
                existing = household.get("household_id")
                try:
                    if existing is not None:
                        self._require_live(
                            tx, "households", existing, "household_id", "hộ gia đình"
                        )
                        household_id = existing
                    else:
                        hamlet_id = placeholders.get(household.get("hamlet_id"))
                        hamlet_id = hamlet_id or household.get("hamlet_id")
                        if hamlet_id not in hamlets:
                            self._require_hamlet(tx, hamlet_id)
                            hamlets.add(hamlet_id)
                        household_id = ids.new_id()
                        fields = {
                            "hamlet_id": hamlet_id,
                            "address": household.get("address"),
                            "phone": household.get("phone"),
                            "note": household.get("note", ""),
                        }
                        add("households", household_id, fields)
                    for member in household.get("members", ()):
                        add("persons", ids.new_id(), {**member, "household_id": household_id})
                except ValidationFailed as failed:
                    raise _indexed(f"households[{index}]", failed) from None
                if existing is None:
                    created.append(household_id)
            # Households first: the persons' triggers read their household's hamlet.
            for table in ("households", "persons"):
                if rows[table]:
                    tx.conn.execute(insert(SYNCED_TABLES[table]), rows[table])
            if mutations:
                tx.conn.execute(insert(OUTBOX), mutations)
            # Edits after the inserts: a person may move into a household created above.
            for index, update in enumerate(updates):
                table, fields = update["table"], dict(update["fields"])
                if fields.get("hamlet_id") in placeholders:
                    fields["hamlet_id"] = placeholders[fields["hamlet_id"]]
                try:
                    if table not in ("households", "persons"):
                        raise ValueError(f"import cannot edit {table}")
                    if "hamlet_id" in fields:
                        self._require_hamlet(tx, fields["hamlet_id"])
                    if "household_id" in fields:
                        self._require_live(
                            tx, "households", fields["household_id"], "household_id", "hộ gia đình"
                        )
                    self._upsert(tx, table, update["id"], fields, must_exist=True)
                except ValidationFailed as failed:
                    raise _indexed(f"updates[{index}]", failed) from None
        return created

    def _create_local_hamlets(self, tx: _Tx, names: dict[str, str]) -> dict[str, str]:
        """Local hamlets (``LOCAL-nn``) for a profile not joined yet; placeholder -> new id."""
        if not names:
            return {}
        if joined_commune(tx.conn) is not None:
            raise ValidationFailed(
                [
                    FieldError(
                        "hamlet_id",
                        "joined",
                        "a joined profile's hamlets come from the server",
                        "Hồ sơ đã kết nối máy chủ: ấp mới phải được tạo trên máy chủ trước",
                    )
                ]
            )
        areas = all_areas(tx.conn)
        parent = next((a for a in areas if a.kind == "commune" and a.local), None) or next(
            (a for a in areas if a.kind == "commune"), None
        )
        new_areas: list[dict[str, Any]] = []
        if parent is None:
            new_areas.append(offline_areas("", [])[0])
            parent_id = LOCAL_COMMUNE
        else:
            parent_id = parent.id
        taken = {a.id for a in areas}
        number = 1
        mapping: dict[str, str] = {}
        for placeholder, name in names.items():
            while f"{LOCAL_COMMUNE}-{number:02d}" in taken:
                number += 1
            area_id = f"{LOCAL_COMMUNE}-{number:02d}"
            taken.add(area_id)
            new_areas.append(
                {
                    "id": area_id,
                    "kind": "hamlet",
                    "name": normalize_name(name),
                    "parent_id": parent_id,
                    "local": True,
                }
            )
            mapping[placeholder] = area_id
        bulk.insert_areas(tx.conn, new_areas)
        return mapping

    def update_household(self, household_id: str, **changes: Any) -> None:
        with self._transaction() as tx:
            if "hamlet_id" in changes:
                self._require_hamlet(tx, changes["hamlet_id"])
            self._upsert(tx, "households", household_id, changes, must_exist=True)

    def set_household_status(self, household_id: str, status: str) -> None:
        """Mark a household moved or gone (or active again); its history stays."""
        self.update_household(household_id, status=status)

    def add_person(self, household_id: str, **fields: Any) -> str:
        person_id = ids.new_id()
        with self._transaction() as tx:
            self._require_live(tx, "households", household_id, "household_id", "hộ gia đình")
            self._upsert(
                tx, "persons", person_id, {**fields, "household_id": household_id}, must_exist=False
            )
        return person_id

    def update_person(self, person_id: str, **changes: Any) -> None:
        with self._transaction() as tx:
            if "household_id" in changes:
                self._require_live(
                    tx, "households", changes["household_id"], "household_id", "hộ gia đình"
                )
            self._upsert(tx, "persons", person_id, changes, must_exist=True)

    def move_person(self, person_id: str, household_id: str, relation: str | None = None) -> None:
        """Move a person to another household (their support items follow them)."""
        changes: dict[str, Any] = {"household_id": household_id}
        if relation is not None:
            changes["relation"] = relation
        self.update_person(person_id, **changes)

    def delete_person(self, person_id: str) -> None:
        """Remove a person entered by mistake (a tombstone; use status for moved/deceased)."""
        with self._transaction() as tx:
            current = self._require_live(tx, "persons", person_id, "id", "người này")
            record_delete(tx.conn, tx.hlc(), "persons", person_id, current)

    # -- support items and visits -----------------------------------------------------------

    def _apply_item(self, tx: _Tx, change: ItemChange, household_id: str | None = None) -> dict:
        if change.subject_type == PERSON:
            person = self._require_live(tx, "persons", change.subject_id, "subject_id", "người này")
            owner = person["household_id"]
        elif change.subject_type == HOUSEHOLD:
            self._require_live(tx, "households", change.subject_id, "subject_id", "hộ gia đình")
            owner = change.subject_id
        else:
            raise ValidationFailed(
                [
                    FieldError(
                        "subject_type",
                        "invalid_value",
                        "must be person or household",
                        "Loại đối tượng không hợp lệ",
                    )
                ]
            )
        if household_id is not None and owner != household_id:
            raise ValidationFailed(
                [
                    FieldError(
                        "subject_id",
                        "invalid_value",
                        "is not in the visited household",
                        "Người này không thuộc hộ đang thăm",
                    )
                ]
            )
        row_id = ids.support_item_id(change.subject_id, change.item_code)
        current = fetch_row(tx.conn, "support_items", row_id)
        fields: dict[str, Any] = {"state": change.state, "reason": change.reason}
        if current is None or current["deleted"]:
            fields.update(
                subject_type=change.subject_type,
                subject_id=change.subject_id,
                item_code=change.item_code,
            )
        if change.note is not None:
            fields["note"] = change.note
        self._upsert(tx, "support_items", row_id, fields, must_exist=False)
        return {
            "subject_id": change.subject_id,
            "item_code": change.item_code,
            "state": change.state,
        }

    def set_item_state(
        self,
        subject_type: str,
        subject_id: str,
        item_code: str,
        state: str,
        reason: str | None = None,
        note: str | None = None,
    ) -> str:
        """Set one support item's state (a click in the grid). Returns the item's id."""
        change = ItemChange(subject_type, subject_id, item_code, state, reason, note)
        with self._transaction() as tx:
            self._apply_item(tx, change)
        return ids.support_item_id(subject_id, item_code)

    def log_visit(
        self,
        household_id: str,
        outcome: str,
        items: Iterable[ItemChange] = (),
        note: str = "",
        follow_up_on: str | dt.date | None = None,
        visited_at: dt.datetime | None = None,
        met_ids: Iterable[str] = (),
    ) -> str:
        """The visit, who was met (persons of the household) and every item it touched, in
        one transaction. Returns the visit's id."""
        visit_id = ids.new_id()
        met_ids = list(met_ids)
        if isinstance(follow_up_on, dt.date):
            follow_up_on = follow_up_on.isoformat()
        when = visited_at or self._now()
        if when.tzinfo is None:
            when = when.replace(tzinfo=VN_TZ)
        with self._transaction() as tx:
            self._require_live(tx, "households", household_id, "household_id", "hộ gia đình")
            touched = [self._apply_item(tx, change, household_id) for change in items]
            for person_id in met_ids:
                person = self._require_live(tx, "persons", person_id, "met_ids", "người này")
                if person["household_id"] != household_id:
                    raise ValidationFailed(
                        [
                            FieldError(
                                "met_ids",
                                "invalid_value",
                                "is not in the visited household",
                                "Người này không thuộc hộ đang thăm",
                            )
                        ]
                    )
            fields = {
                "household_id": household_id,
                "visited_at": when.isoformat(timespec="seconds"),
                "volunteer_id": tx.user_id,
                "outcome": outcome,
                "note": note,
                "follow_up_on": follow_up_on,
                "items": touched,
                "met_ids": met_ids,
            }
            self._upsert(tx, "visits", visit_id, fields, must_exist=False)
        return visit_id

    # -- targets ----------------------------------------------------------------------------

    def set_target(self, area_id: str, indicator_code: str, period: str, percent: float) -> str:
        row_id = ids.target_id(area_id, indicator_code, period)
        with self._transaction() as tx:
            area = Area.__table__
            if tx.conn.execute(select(area.c.id).where(area.c.id == area_id)).scalar() is None:
                raise NotFound("area_id", f"area {area_id}", "địa bàn này")
            fields = {
                "area_id": area_id,
                "indicator_code": indicator_code,
                "period": period,
                "percent": percent,
            }
            self._upsert(tx, "targets", row_id, fields, must_exist=False)
        return row_id
