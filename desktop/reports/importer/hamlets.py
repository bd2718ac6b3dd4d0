"""Hamlets named in a list: the profile's own, matched by folded name ("Long Hòa" = "Ấp Long
Hòa", :mod:`gocua.areas`), and the ones it does not have yet.

A hamlet the list names but the profile lacks is offered in the preview: map it to an existing
hamlet (always), or create it (only while the profile is not joined to a server commune: its
hamlets are then local, ``LOCAL-nn``, and the join maps them later; a joined profile's hamlets
come from the server, so there a leader adds it there first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from desktop.store.areas import joined_commune
from gocua.areas import area_key

CREATE = "create"  # the choice that creates an unknown hamlet (local profiles only)
PLACEHOLDER = "new-hamlet:"  # hamlet_id of a household whose hamlet the import creates


@dataclass
class UnknownHamlet:
    key: str  # area_key of the name
    name: str  # as the list writes it (the first spelling met)
    rows: int = 0  # data rows that fall in it
    sheets: set[str] = field(default_factory=set)
    choice: str | None = None  # an existing hamlet's id, CREATE, or None (undecided)


class Hamlets:
    """The profile's hamlets and the unknown ones met while planning."""

    def __init__(self, conn: Connection, choices: dict[str, str] | None = None):
        rows = conn.exec_driver_sql(
            "SELECT id, name FROM areas WHERE kind = 'hamlet' AND retired = 0 ORDER BY name"
        ).all()
        self.known: list[tuple[str, str]] = [(i, n) for i, n in rows]
        self.names = dict(self.known)
        self.by_key: dict[str, str | None] = {}
        for area_id, name in self.known:
            key = area_key(name)
            # Two hamlets of one key (they differ by accents only) are a person's to choose.
            self.by_key[key] = None if key in self.by_key else area_id
        self.local = joined_commune(conn) is None
        self.choices = dict(choices or {})
        self.unknown: dict[str, UnknownHamlet] = {}

    def keys(self) -> dict[str, str]:
        """Keys of the known hamlets (for recognising a section row's hamlet)."""
        return {k: v for k, v in self.by_key.items() if v}

    def find(self, name: str) -> str | None:
        """The id of the known hamlet ``name`` names (or is), else ``None``."""
        text = " ".join(str(name).split())
        if text in self.names:
            return text
        return self.by_key.get(area_key(text))

    def resolve(self, name: str, sheet: str) -> tuple[str | None, UnknownHamlet | None]:
        """``(hamlet id, None)`` for a known or mapped hamlet, ``(None, unknown)`` for one
        still undecided; an unknown hamlet chosen for creation gets a placeholder id."""
        found = self.find(name)
        if found is not None:
            return found, None
        key = area_key(name)
        if not key:
            return None, None
        unknown = self.unknown.get(key)
        if unknown is None:
            unknown = self.unknown[key] = UnknownHamlet(key, " ".join(str(name).split()))
            unknown.choice = self.choices.get(key)
            if unknown.choice == CREATE and not self.local:
                unknown.choice = None
        unknown.sheets.add(sheet)
        if unknown.choice == CREATE:
            return PLACEHOLDER + key, unknown
        if unknown.choice in self.names:
            return unknown.choice, unknown
        return None, unknown

    def name_of(self, hamlet_id: str | None) -> str:
        if hamlet_id is None:
            return ""
        if hamlet_id.startswith(PLACEHOLDER):
            unknown = self.unknown.get(hamlet_id[len(PLACEHOLDER) :])
            return unknown.name if unknown else hamlet_id
        return self.names.get(hamlet_id, hamlet_id)
