"""Committing: the plan written through the services, in one transaction (all or nothing).

New households with their members, new members of households the store has, the edits of
changed persons and households (only the fields that differ), and the local hamlets the user
chose to create: :meth:`desktop.services.Services.import_households` writes them all with
their outbox entries, so they sync like anything typed by hand, or writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.reports.importer.hamlets import CREATE, PLACEHOLDER
from desktop.reports.importer.model import CHANGED, NEW, ImportPlan
from gocua.validation import FieldError, ValidationFailed


@dataclass
class ImportOutcome:
    household_ids: list[str]  # the households created
    persons: int  # persons added (to new or existing households)
    changed: int = 0  # persons edited
    households_changed: int = 0
    hamlets_created: int = 0
    skipped_rows: list[int] = field(default_factory=list)  # the rows in error, not imported


def commit_plan(services, plan: ImportPlan) -> ImportOutcome:
    """Write what the plan says; ``ValidationFailed`` (and nothing written) on any problem."""
    if not plan.writes:
        raise ValidationFailed(
            [
                FieldError(
                    "file",
                    "empty",
                    "nothing to import",
                    "Không có gì để nhập: không có người mới hay thông tin thay đổi",
                )
            ]
        )
    batch, updates = [], []
    added = 0
    used_hamlets: set[str] = set()
    for household in plan.households:
        new = [r.person for r in household.valid_rows if r.change == NEW]
        if household.existing_id is None:
            if new:
                batch.append(
                    {
                        "hamlet_id": household.hamlet_id,
                        "address": household.address,
                        "phone": household.phone,
                        "members": new,
                    }
                )
                used_hamlets.add(household.hamlet_id or "")
        else:
            if new:
                batch.append({"household_id": household.existing_id, "members": new})
            if household.changes:
                updates.append(
                    {
                        "table": "households",
                        "id": household.existing_id,
                        "fields": household.changes,
                    }
                )
                used_hamlets.add(household.changes.get("hamlet_id") or "")
        added += len(new)
    changed = [r for r in plan.rows if r.valid and r.change == CHANGED]
    for row in changed:
        updates.append({"table": "persons", "id": row.person_id, "fields": row.changed_fields})
    new_hamlets = {
        PLACEHOLDER + h.key: h.name
        for h in plan.unknown_hamlets
        if h.choice == CREATE and PLACEHOLDER + h.key in used_hamlets
    }
    created = services.import_households(batch, updates=updates, new_hamlets=new_hamlets)
    return ImportOutcome(
        created,
        added,
        len(changed),
        sum(bool(h.changes) for h in plan.households if h.existing_id),
        len(new_hamlets),
        [r.line for r in plan.error_rows],
    )
