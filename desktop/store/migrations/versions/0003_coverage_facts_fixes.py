"""Coverage facts: tombstoned support items stop counting; children may arrive before parents.

Two flaws of the facts triggers of 0002, fixed by recreating them:

- A support item's ``counted`` was derived from its subject only, so an item deleted locally or
  by a pulled tombstone kept counting (as ``done`` or ``not_eligible``) while the reference
  arithmetic (gocua.coverage) treats it as absent. The item's own ``deleted`` flag now counts.
- The facts were read with an inner join to the parent, which yields no row when the parent
  has not arrived yet (a pulled page with a person before its household, an item before its
  person): the row-value assignment then wrote NULL into the NOT NULL ``counted`` column and
  the insert failed. The parent is now left-joined to a one-row driver, so a child without its
  parent gets ``(NULL, ..., 0)`` and is filled in when the parent arrives.

The tombstones already there get their facts refreshed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PERSON_FACTS = """(
    SELECT h.hamlet_id,
           CASE WHEN {ref}.deleted = 0 AND {ref}.status IN ('present', 'away')
                AND h.deleted = 0 AND h.status = 'active' THEN 1 ELSE 0 END
    FROM (SELECT 1) AS one LEFT JOIN households h ON h.id = {ref}.household_id)"""
ITEM_FACTS = """(
    SELECT coalesce(p.area_id, h.hamlet_id), p.birth_year, p.has_smartphone,
           CASE WHEN {ref}.deleted = 0
                AND (p.counted = 1 OR (h.deleted = 0 AND h.status = 'active'))
                THEN 1 ELSE 0 END
    FROM (SELECT 1) AS one
    LEFT JOIN persons p ON {ref}.subject_type = 'person' AND p.id = {ref}.subject_id
    LEFT JOIN households h ON {ref}.subject_type = 'household' AND h.id = {ref}.subject_id)"""

# 0002's expressions, for the downgrade.
OLD_PERSON_FACTS = """(
    SELECT h.hamlet_id,
           CASE WHEN p.deleted = 0 AND p.status IN ('present', 'away') AND h.deleted = 0
                AND h.status = 'active' THEN 1 ELSE 0 END
    FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id = {ref}.id)"""
OLD_ITEM_FACTS = """(
    SELECT p.area_id, p.birth_year, p.has_smartphone, p.counted
    FROM persons p WHERE p.id = {ref}.subject_id AND {ref}.subject_type = 'person'
    UNION ALL
    SELECT h.hamlet_id, NULL, NULL,
           CASE WHEN h.deleted = 0 AND h.status = 'active' THEN 1 ELSE 0 END
    FROM households h WHERE h.id = {ref}.subject_id AND {ref}.subject_type = 'household')"""


def triggers(person_facts: str, item_facts: str) -> dict[str, str]:
    """The facts triggers of 0002 (same names, events and bodies) over the given expressions."""
    set_person = "UPDATE persons SET (area_id, counted) = "
    set_item = "UPDATE support_items SET (area_id, birth_year, has_smartphone, counted) = "
    return {
        "person_facts_insert": f"""CREATE TRIGGER person_facts_insert AFTER INSERT ON persons
            BEGIN
            {set_person}{person_facts.format(ref="new")} WHERE id = new.id;
        END""",
        "person_facts_update": f"""CREATE TRIGGER person_facts_update AFTER UPDATE OF
            household_id, status, deleted ON persons BEGIN
            {set_person}{person_facts.format(ref="new")} WHERE id = new.id;
        END""",
        "household_facts_insert": f"""CREATE TRIGGER household_facts_insert AFTER INSERT ON
            households BEGIN
            UPDATE person_search SET address = gocua_fold(new.address)
            WHERE rowid IN (SELECT seq FROM persons WHERE household_id = new.id);
            {set_person}{person_facts.format(ref="persons")} WHERE household_id = new.id;
            {set_item}{item_facts.format(ref="support_items")} WHERE subject_id = new.id;
        END""",
        "household_facts_update": f"""CREATE TRIGGER household_facts_update AFTER UPDATE OF
            hamlet_id, status, deleted ON households BEGIN
            {set_person}{person_facts.format(ref="persons")} WHERE household_id = new.id;
            {set_item}{item_facts.format(ref="support_items")} WHERE subject_id = new.id;
        END""",
        "item_facts_person": f"""CREATE TRIGGER item_facts_person AFTER UPDATE OF area_id,
            counted, birth_year, has_smartphone ON persons BEGIN
            {set_item}{item_facts.format(ref="support_items")} WHERE subject_id = new.id;
        END""",
        "item_facts_insert": f"""CREATE TRIGGER item_facts_insert AFTER INSERT ON support_items
            BEGIN
            {set_item}{item_facts.format(ref="support_items")} WHERE id = new.id;
        END""",
        "item_facts_update": f"""CREATE TRIGGER item_facts_update AFTER UPDATE OF subject_id,
            subject_type, deleted ON support_items BEGIN
            {set_item}{item_facts.format(ref="support_items")} WHERE id = new.id;
        END""",
    }


def _replace(person_facts: str, item_facts: str) -> None:
    for name, ddl in triggers(person_facts, item_facts).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(ddl)
    op.execute(f"""UPDATE support_items SET (area_id, birth_year, has_smartphone, counted) =
        {item_facts.format(ref="support_items")} WHERE deleted = 1""")


def upgrade() -> None:
    _replace(PERSON_FACTS, ITEM_FACTS)


def downgrade() -> None:
    _replace(OLD_PERSON_FACTS, OLD_ITEM_FACTS)
