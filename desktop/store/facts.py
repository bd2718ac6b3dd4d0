"""The coverage facts in SQL, generated from the core's rule (gocua.coverage).

Persons and support items carry facts the store's triggers keep (migrations 0002 and 0003):
each person its household's hamlet (``area_id``) and whether it counts at all (``counted``:
:func:`gocua.coverage.person_counts`); each support item its subject's hamlet, birth year,
smartphone flag and whether the subject counts. The expressions below are those facts, written
from the core's constants. The set-wise fills of :mod:`desktop.store.bulk` run them; the
triggers of migration 0003 hold the same text (a migration keeps its own frozen copy: a test
holds the stored triggers to these expressions, so a change of the rule needs a new migration
that recreates them); tests/desktop/test_coverage_sql.py holds what both compute equal to
:func:`gocua.coverage.person_standing` person by person.

Each expression is a row-valued subquery over ``{ref}``, the row being filled (``new`` in an
insert trigger, the table's own name in an UPDATE). The parent is left-joined to a one-row
driver so that a child arriving before its parent (pulled pages come in version order) gets
``(NULL, ..., 0)`` and is filled in when the parent arrives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gocua.coverage import ACTIVE_HOUSEHOLD, COUNTED_PERSON_STATUSES
from gocua.states import COVERED_STATES, NOT_ELIGIBLE, PERSON_STATUSES, STATES


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Iterable[str], order: Sequence[str] = STATES) -> str:
    """``('a', 'b')`` in the core's order of those codes, so the text is stable."""
    rank = {code: index for index, code in enumerate(order)}
    ordered = sorted(values, key=lambda v: (rank.get(v, len(rank)), v))
    return "(" + ", ".join(sql_text(v) for v in ordered) + ")"


def household_counts(h: str) -> str:
    """:func:`gocua.coverage.household_counts` of the households row ``h`` (live and active)."""
    return f"{h}.deleted = 0 AND {h}.status = {sql_text(ACTIVE_HOUSEHOLD)}"


def person_counts(p: str, h: str) -> str:
    """:func:`gocua.coverage.person_counts` of the persons row ``p`` in household ``h``."""
    return (
        f"{p}.deleted = 0 AND {p}.status IN {sql_list(COUNTED_PERSON_STATUSES, PERSON_STATUSES)}"
        f" AND {household_counts(h)}"
    )


# persons (area_id, counted)
PERSON_FACTS = f"""(
    SELECT h.hamlet_id,
           CASE WHEN {person_counts("{ref}", "h")} THEN 1 ELSE 0 END
    FROM (SELECT 1) AS one LEFT JOIN households h ON h.id = {{ref}}.household_id)"""
# support_items (area_id, birth_year, has_smartphone, counted): a person's item counts when
# the person does, a household's when the household does; a deleted item never.
ITEM_FACTS = f"""(
    SELECT coalesce(p.area_id, h.hamlet_id), p.birth_year, p.has_smartphone,
           CASE WHEN {{ref}}.deleted = 0
                AND (p.counted = 1 OR ({household_counts("h")}))
                THEN 1 ELSE 0 END
    FROM (SELECT 1) AS one
    LEFT JOIN persons p ON {{ref}}.subject_type = 'person' AND p.id = {{ref}}.subject_id
    LEFT JOIN households h ON {{ref}}.subject_type = 'household' AND h.id = {{ref}}.subject_id)"""

# The states a coverage scan reads items for: those that change a tally (covered, or out of
# the denominator); any other state counts as not covered, like an item never set.
TALLIED_STATES = sql_list(COVERED_STATES | {NOT_ELIGIBLE})
