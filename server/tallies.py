"""Coverage tallies per hamlet, kept exact inside every write transaction.

A province of 100 communes and two million people cannot be ranked by reading every person
on each page view. The table ``tallies`` holds, per hamlet and indicator, the sums that
:func:`gocua.coverage.compute_coverage` would give, split by the first year each person
counts in:

- ``since`` is ``max(FLOOR_YEAR, birth_year + min_age)`` for a person-level indicator, and
  ``FLOOR_YEAR`` for a person without a birth year and for every household-level indicator.
  Eligibility moves with the reference year only through the minimum age (``meets_age``: the
  year minus the birth year), so the figures of any year ``Y >= FLOOR_YEAR`` are the sums over
  ``since <= Y``: exact for the current year, for the years after it and for every year back
  to the floor, with nothing to rebuild when a year turns. Per hamlet that is one row per
  indicator and class: about 200 for a hamlet of 1,400 people, some 26 of them up to the
  current year (the rest are children's future birthdays at the minimum ages).
- Two more lines per hamlet are for leaders: ``@unvisited`` counts the active households
  without any visit, ``@to_help`` the persons with at least one indicator they count in and
  are not covered for (``since``: the first year that is so). Counts, never names.

Exactness. Coverage adds up household by household: a person counts under its household, a
support item under its subject, and every row of a household carries the household's id
(``records.household_id``). When a write changes a fact that coverage reads (:func:`facts`),
the household's contribution is computed from all its rows before and after the change and
the difference goes into ``tallies`` in the same transaction (:meth:`server.store.Changes.flush`;
on PostgreSQL in the one statement that writes the records, after the version counter is
taken). The rows of a changed household are read after a lock on the household (an advisory
lock on PostgreSQL; SQLite has one writer at a time), and every writer takes it the same way
before reading, so two transactions never both compute from the state before the other's
change. Pushes, conflict resolutions, hamlet merges and splits all
write through ``Changes.flush``; :func:`server.admin.bulk_load` adds what it loads;
``gocua-server rebuild-tallies`` recomputes everything from the records (after a load that
bypassed both, such as ``COPY``, or a change of the catalogue) and ``--check`` compares.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import validation
from gocua.catalogue import HOUSEHOLD, Catalogue, Indicator, default_catalogue
from gocua.coverage import ACTIVE_HOUSEHOLD, PersonFacts, person_counts_for
from gocua.states import COVERED_STATES, NOT_ELIGIBLE
from server.models import areas_t, records_t, tallies_t

# The first year the tallies answer for: the campaign's data starts in 2025. Persons who
# counted before it are filed under it.
FLOOR_YEAR = 2025
UNVISITED = "@unvisited"
TO_HELP = "@to_help"
TABLES = ("households", "persons", "support_items", "visits")

Key = tuple[str, str, str, int]  # (hamlet_id, commune_id, indicator, since)
Delta = dict[Key, list[int]]  # key -> [eligible, covered]


def facts(
    tbl: str,
    row_id: str,
    scope_area: str,
    commune_id: str,
    household_id: str | None,
    deleted: bool,
    data: dict | None,
) -> tuple | None:
    """What coverage reads of one row, its household's id first; None when it reads nothing
    (a deleted row, a target)."""
    if deleted or tbl not in TABLES or household_id is None:
        return None
    if tbl == "support_items":
        return (household_id, "s", data["subject_id"], data["item_code"], data["state"])
    if tbl == "persons":
        return (
            household_id,
            "p",
            row_id,
            validation.birth_year_of(data["birth_date"]),
            data["has_smartphone"],
            data["status"],
        )
    if tbl == "households":
        return (household_id, "h", scope_area, commune_id, data["status"])
    return (household_id, "v")


def row_facts(row) -> tuple | None:
    """:func:`facts` of a :class:`server.store.RowState`."""
    return facts(
        row.tbl, row.id, row.scope_area, row.commune_id, row.household_id, row.deleted, row.data
    )


@dataclass(frozen=True)
class Prepared:
    household: tuple[tuple[str, str], ...]  # (indicator code, item code)
    person: tuple[Indicator, ...]


@functools.cache
def prepared(catalogue: Catalogue) -> Prepared:
    household = tuple((i.code, i.item) for i in catalogue.indicators if i.level == HOUSEHOLD)
    person = tuple(i for i in catalogue.indicators if i.level != HOUSEHOLD)
    return Prepared(household, person)


class _Bump:
    """Adds ``sign`` times a count into ``out`` under one household's hamlet."""

    __slots__ = ("out", "sign", "hamlet", "commune")

    def __init__(self, out: Delta, sign: int, head: tuple):
        self.out, self.sign, self.hamlet, self.commune = out, sign, head[2], head[3]

    def __call__(self, code: str, since: int, covered: bool) -> None:
        key = (self.hamlet, self.commune, code, since)
        cell = self.out.get(key)
        if cell is None:
            cell = self.out[key] = [0, 0]
        cell[0] += self.sign
        if covered:
            cell[1] += self.sign


def household_part(
    out: Delta, sign: int, head: tuple | None, states: dict, visited: bool, prep: Prepared
) -> None:
    """A household's own figures: the household-level indicators (``states``: its items'
    states by item code) and ``@unvisited``."""
    if head is None or head[4] != ACTIVE_HOUSEHOLD:
        return
    bump = _Bump(out, sign, head)
    for code, item in prep.household:
        state = states.get(item)
        if state != NOT_ELIGIBLE:
            bump(code, FLOOR_YEAR, state in COVERED_STATES)
    if not visited:
        bump(UNVISITED, FLOOR_YEAR, False)


def person_part(
    out: Delta, sign: int, head: tuple | None, person: tuple | None, states: dict, prep: Prepared
) -> None:
    """One person's figures in its household (``head``): each person-level indicator by the
    first year the person counts in, and ``@to_help``. The same arithmetic as
    :func:`gocua.coverage.compute_coverage`, whose rule (:func:`person_counts_for`) decides."""
    if head is None or person is None or head[4] != ACTIVE_HOUSEHOLD:
        return  # person_counts_for counts nobody in a household that is not active
    household_id, _, person_id, birth_year, smartphone, status = person
    facts_ = PersonFacts(person_id, household_id, birth_year, smartphone, status)
    bump = _Bump(out, sign, head)
    floor = FLOOR_YEAR
    first_help = None
    for indicator in prep.person:
        if birth_year is None:
            since = ref = floor
        else:
            ref = birth_year + indicator.min_age  # the first year the age allows
            since = ref if ref > floor else floor
        if not person_counts_for(indicator, facts_, True, ref):
            continue
        if indicator.attribute is not None:
            covered = smartphone is True
        else:
            state = states.get(indicator.item)
            if state == NOT_ELIGIBLE:
                continue
            covered = state in COVERED_STATES
        bump(indicator.code, since, covered)
        if not covered and (first_help is None or since < first_help):
            first_help = since
    if first_help is not None:
        bump(TO_HELP, first_help, False)


@dataclass
class _Rows:
    """Rows' facts sorted out: household rows, items' states by subject, persons, visits."""

    heads: dict[str, tuple]
    states: dict[str, dict[str, str]]
    persons: dict[str, tuple]
    visited: set[str]


def _sort(rows: Iterable[tuple]) -> _Rows:
    out = _Rows({}, {}, {}, set())
    for f in rows:
        kind = f[1]
        if kind == "s":
            out.states.setdefault(f[2], {})[f[3]] = f[4]
        elif kind == "p":
            out.persons[f[2]] = f
        elif kind == "h":
            out.heads[f[0]] = f
        else:
            out.visited.add(f[0])
    return out


def contribute(out: Delta, sign: int, rows: Iterable[tuple], prep: Prepared) -> None:
    """Add ``sign`` times the contribution of whole households (the :func:`facts` of all
    their live rows) into ``out``."""
    sorted_ = _sort(rows)
    for household_id, head in sorted_.heads.items():
        household_part(
            out,
            sign,
            head,
            sorted_.states.get(household_id, {}),
            household_id in sorted_.visited,
            prep,
        )
    for person_id, person in sorted_.persons.items():
        head = sorted_.heads.get(person[0])
        person_part(out, sign, head, person, sorted_.states.get(person_id, {}), prep)


# -- reading what a change needs ---------------------------------------------------------------


@dataclass
class Units:
    """What a set of changed rows touches: whole households (a household's own row changed,
    or a row moved between households), households whose own figures change (their items,
    their visits), and persons whose figures change (the person, its items)."""

    whole: set[str]
    households: set[str]
    persons: dict[str, str]  # person id -> household id

    @classmethod
    def of(cls, changed: list[tuple[tuple[str, str], tuple | None, tuple | None]]) -> Units:
        whole, households, persons = set(), set(), {}
        for (tbl, row_id), old, new in changed:
            before = old[0] if old is not None else None
            after = new[0] if new is not None else None
            if tbl == "households" or (before and after and before != after):
                whole.update(h for h in (before, after) if h)
                continue
            f = new if new is not None else old
            household_id = f[0]
            if tbl == "visits":
                households.add(household_id)
            elif tbl == "support_items":
                if f[2] == household_id:  # a household-level item: its subject is the household
                    households.add(household_id)
                else:
                    persons[f[2]] = household_id
            else:
                persons[row_id] = household_id
        households -= whole
        persons = {p: h for p, h in persons.items() if h not in whole}
        return cls(whole, households, persons)

    def heads(self) -> set[str]:
        return (self.households | set(self.persons.values())) - self.whole


_PG_SELECT = """
SELECT r.tbl, r.id, r.scope_area, r.commune_id, r.household_id,
       x.status, x.birth_date, x.has_smartphone, x.subject_id, x.item_code, x.state
FROM records r CROSS JOIN LATERAL json_to_record(
    CASE WHEN r.tbl = 'visits' THEN '{}' ELSE r.data END::json
) AS x(status text, birth_date text, has_smartphone boolean, subject_id text, item_code text,
       state text)
WHERE NOT r.deleted AND """
# One branch per kind of unit, each on its own index. No condition on ``tbl`` beside the
# household or subject index: the planner AND-ed it with the primary key, whose entries for
# one table run to millions (one OR of all branches did the same).
_PG_UNITS = "\nUNION ALL".join(
    _PG_SELECT + where
    for where in (
        "r.household_id = ANY(%(whole)s)",  # only synced rows of a household have one
        "r.tbl = 'households' AND r.id = ANY(%(heads)s)",
        "r.subject_id = ANY(%(subjects)s)",  # only support items have one
        "r.tbl = 'persons' AND r.id = ANY(%(persons)s)",
        "r.household_id = ANY(%(visited)s) AND left(r.tbl, 6) = 'visits'",
    )
)
# One transaction at a time computes a household's change: an advisory lock per household
# (no row is written for it, unlike FOR UPDATE), taken in one order, held until commit.
TALLY_LOCKS = 0x74616C6C  # "tall": the advisory locks' class, used for nothing else
_PG_LOCK = (
    f"SELECT pg_advisory_xact_lock({TALLY_LOCKS}, hashtext(h)) "
    "FROM (SELECT h FROM unnest(%s::text[]) AS h ORDER BY h) AS ordered"
)


def _pg_facts(tbl, row_id, scope_area, commune_id, household_id, status, birth, smart, *item):
    if tbl == "support_items":
        return (household_id, "s", *item)
    if tbl == "persons":
        return (household_id, "p", row_id, validation.birth_year_of(birth), smart, status)
    if tbl == "households":
        return (household_id, "h", scope_area, commune_id, status)
    return (household_id, "v")


def _row_facts(tbl, row_id, scope_area, commune_id, household_id, data) -> tuple | None:
    parsed = orjson.loads(data) if data is not None else None
    return facts(tbl, row_id, scope_area, commune_id, household_id, False, parsed)


def read_units(conn: Connection, units: Units, skip: set[str]) -> dict[tuple[str, str], tuple]:
    """The facts of the live rows these units need, by ``(tbl, id)``; households in ``skip``
    (made by this very write) have nothing stored. On PostgreSQL the households are locked
    first (:data:`TALLY_LOCKS`) and the rows read by the next statement, which sees every
    change committed by whoever held those locks (READ COMMITTED); both go in one round
    trip."""
    whole = sorted(units.whole - skip)
    heads = sorted(units.heads() - skip)
    households = sorted(units.households - skip)
    persons = sorted(p for p, h in units.persons.items() if h not in skip)
    if not (whole or heads):
        return {}
    found: dict[tuple[str, str], tuple] = {}
    if conn.dialect.name == "postgresql":
        params = {
            "whole": whole,
            "heads": heads,
            "subjects": households + persons,
            "persons": persons,
            "visited": households,
        }
        for row in _pg_pipeline(conn, sorted({*whole, *heads}), params):
            found[(row[0], row[1])] = _pg_facts(*row)
        return found
    r = records_t.c
    data = sa.case((r.tbl == "visits", sa.null()), else_=r.data)
    query = sa.select(r.tbl, r.id, r.scope_area, r.commune_id, r.household_id, data).where(
        r.deleted.is_(False),
        r.tbl.in_(TABLES),
        sa.or_(
            r.household_id.in_(whole),
            sa.and_(r.tbl == "households", r.id.in_(heads)),
            r.subject_id.in_(households + persons),
            sa.and_(r.tbl == "persons", r.id.in_(persons)),
            sa.and_(r.tbl == "visits", r.household_id.in_(households)),
        ),
    )
    for row in conn.execute(query):
        found[(row[0], row[1])] = _row_facts(*row)
    return found


def _pg_pipeline(conn: Connection, lock: list[str], params: dict) -> list[tuple]:
    import psycopg

    driver = conn.connection.driver_connection
    try:
        with driver.pipeline():
            locking = driver.cursor()
            locking.execute(_PG_LOCK, (lock,))
            reading = driver.cursor()
            reading.execute(_PG_UNITS, params)
        return reading.fetchall()
    except psycopg.Error as error:
        # As SQLAlchemy raises it, so that run_transaction retries a deadlock.
        raise sa.exc.DBAPIError.instance(_PG_UNITS, params, error, psycopg.Error) from error


# -- deltas --------------------------------------------------------------------------------------


def _unit_figures(out: Delta, sign: int, rows: dict, units: Units, prep: Prepared) -> None:
    by_household: dict[str, list[tuple]] = {}
    for f in rows.values():
        by_household.setdefault(f[0], []).append(f)
    for household_id in units.whole:
        contribute(out, sign, by_household.get(household_id, ()), prep)
    sorted_ = _sort(f for h in units.heads() for f in by_household.get(h, ()))
    for household_id in units.households:
        head = sorted_.heads.get(household_id)
        states = sorted_.states.get(household_id, {})
        household_part(out, sign, head, states, household_id in sorted_.visited, prep)
    for person_id, household_id in units.persons.items():
        head = sorted_.heads.get(household_id)
        person = sorted_.persons.get(person_id)
        person_part(out, sign, head, person, sorted_.states.get(person_id, {}), prep)


def _delta(
    conn: Connection,
    changed: list[tuple[tuple[str, str], tuple | None, tuple | None]],
    fresh: set[str],
    written: set[tuple[str, str]] | None = None,
    catalogue: Catalogue | None = None,
) -> Delta:
    """The change of the tallies when rows ``changed`` (``(key, old facts, new facts)``) are
    written. ``fresh``: households created by this very write (nothing stored refers to
    them). ``written``: keys already in the database that were not there before (a bulk
    load reads after inserting)."""
    units = Units.of(changed)
    before = read_units(conn, units, fresh)
    if written:
        before = {k: f for k, f in before.items() if k not in written}
    after = dict(before)
    for key, _, new in changed:
        if new is None:
            after.pop(key, None)
        else:
            after[key] = new
    prep = prepared(catalogue or default_catalogue())
    out: Delta = {}
    _unit_figures(out, -1, before, units, prep)
    _unit_figures(out, 1, after, units, prep)
    return {k: v for k, v in out.items() if v[0] or v[1]}


def changes_delta(conn: Connection, rows: Iterable) -> Delta:
    """The tallies' change for these dirty :class:`server.store.RowState` rows (each knows
    the facts it was loaded with: ``loaded``), read before they are written."""
    changed, fresh = [], set()
    for row in rows:
        if row.tbl not in TABLES:
            continue
        new = row_facts(row)
        if new != row.loaded:
            changed.append(((row.tbl, row.id), row.loaded, new))
        if row.tbl == "households" and not row.in_db:
            fresh.add(row.id)
    if not changed:
        return {}
    return _delta(conn, changed, fresh)


def loaded_delta(conn: Connection, loaded: list[tuple[tuple[str, str], tuple]]) -> Delta:
    """The tallies' change for new rows ``(key, facts)`` just inserted (a bulk load)."""
    changed = [(key, None, f) for key, f in loaded]
    # A household loaded here is new: the rows stored under it are the ones loaded with it.
    fresh = {key[1] for key, _ in loaded if key[0] == "households"}
    return _delta(conn, changed, fresh, written={key for key, _ in loaded})


def enabled(conn: Connection) -> bool:
    """Tally maintenance is on unless the engine says otherwise (``GOCUA_TALLIES=0``, only to
    measure what it costs: the tallies are then wrong until ``rebuild-tallies``)."""
    return conn.get_execution_options().get("gocua_tallies", True)


def as_rows(delta: Delta) -> list[dict]:
    return [
        {
            "hamlet_id": hamlet,
            "indicator": code,
            "since": since,
            "commune_id": commune,
            "eligible": cell[0],
            "covered": cell[1],
        }
        for (hamlet, commune, code, since), cell in sorted(delta.items())
    ]


_UPSERT = (
    "INSERT INTO tallies AS t (hamlet_id, indicator, since, commune_id, eligible, covered) "
    "VALUES ({marks}) ON CONFLICT (hamlet_id, indicator, since) DO UPDATE SET "
    "eligible = t.eligible + excluded.eligible, covered = t.covered + excluded.covered"
)


def apply(conn: Connection, delta: Delta) -> None:
    """Add a delta to the tallies (PostgreSQL's pushes do it in :mod:`server.write_pg`)."""
    if not delta:
        return
    marks = ",".join(["%s" if conn.dialect.name == "postgresql" else "?"] * 6)
    params = [
        (r["hamlet_id"], r["indicator"], r["since"], r["commune_id"], r["eligible"], r["covered"])
        for r in as_rows(delta)
    ]
    conn.exec_driver_sql(_UPSERT.format(marks=marks), params)


# -- from scratch ----------------------------------------------------------------------------


def compute_commune(conn: Connection, commune_id: str, catalogue: Catalogue | None = None) -> Delta:
    """A commune's tallies computed from its records (one pass, grouped by household)."""
    by_household: dict[str, list[tuple]] = {}
    r = records_t.c
    data = sa.case((r.tbl == "visits", sa.null()), else_=r.data)
    query = sa.select(r.tbl, r.id, r.scope_area, r.commune_id, r.household_id, data).where(
        r.commune_id == commune_id, r.deleted.is_(False), r.tbl.in_(TABLES)
    )
    for row in conn.execute(query.execution_options(yield_per=5000)):
        f = _row_facts(*row)
        if f is not None:
            by_household.setdefault(f[0], []).append(f)
    prep = prepared(catalogue or default_catalogue())
    out: Delta = {}
    for rows in by_household.values():
        contribute(out, 1, rows, prep)
    return {k: v for k, v in out.items() if v[0] or v[1]}


def stored_commune(conn: Connection, commune_id: str) -> Delta:
    t = tallies_t.c
    query = sa.select(t.hamlet_id, t.commune_id, t.indicator, t.since, t.eligible, t.covered).where(
        t.commune_id == commune_id
    )
    return {
        (h, c, code, since): [e, cov]
        for h, c, code, since, e, cov in conn.execute(query)
        if e or cov
    }


def _communes(conn: Connection) -> list[str]:
    known = conn.execute(sa.select(areas_t.c.id).where(areas_t.c.kind == "commune")).scalars()
    tallied = conn.execute(sa.select(tallies_t.c.commune_id).distinct()).scalars()
    return sorted({*known, *tallied})


def rebuild(
    engine: Engine,
    communes: list[str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Recompute the tallies from the records, one transaction per commune. Each holds the
    pushes of the whole server while it runs (about a second for a commune of 20,000
    people; pulls go on), so the figures it writes are exactly those of the rows then."""
    from server.db import run_transaction
    from server.relocate import hold_pushes

    with engine.connect() as conn:
        communes = communes if communes is not None else _communes(conn)

    def one(conn: Connection, commune_id: str) -> int:
        hold_pushes(conn)
        conn.execute(sa.delete(tallies_t).where(tallies_t.c.commune_id == commune_id))
        delta = compute_commune(conn, commune_id)
        apply(conn, delta)
        return len(delta)

    total = 0
    for commune_id in communes:
        count = run_transaction(engine, lambda conn, c=commune_id: one(conn, c))
        total += count
        if progress is not None:
            progress(commune_id, count)
    return total


def check(engine: Engine, communes: list[str] | None = None) -> dict[str, dict]:
    """Communes whose stored tallies differ from the records: ``{commune: {key: (stored,
    computed)}}`` (empty when all agree). Reads only; a push in flight may show as a
    difference that is gone a moment later."""
    from server.db import run_transaction

    def work(conn: Connection) -> dict[str, dict]:
        differences = {}
        for commune_id in communes if communes is not None else _communes(conn):
            stored = stored_commune(conn, commune_id)
            computed = compute_commune(conn, commune_id)
            if stored != computed:
                differences[commune_id] = {
                    k: (stored.get(k), computed.get(k))
                    for k in stored.keys() | computed.keys()
                    if stored.get(k) != computed.get(k)
                }
        return differences

    # In a transaction (a read one): the records stream through a server-side cursor.
    return run_transaction(engine, work, immediate=False)


def ensure_built(engine: Engine) -> bool:
    """Build the tallies once for a database that has records but none yet (the upgrade to
    revision 0003). Returns whether it did."""
    with engine.connect() as conn:
        if conn.execute(sa.select(tallies_t.c.hamlet_id).limit(1)).first() is not None:
            return False
        r = records_t.c
        live = sa.select(r.id).where(r.tbl == "households", r.deleted.is_(False)).limit(1)
        if conn.execute(live).first() is None:
            return False
    rebuild(engine)
    return True


# -- reading figures -----------------------------------------------------------------------------


def figures(
    conn: Connection, year: int, commune_ids: list[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """``(hamlet_id, indicator) -> (eligible, covered)`` for the year, for these communes."""
    if year < FLOOR_YEAR:
        raise ValueError(f"the tallies answer for {FLOOR_YEAR} and later, not {year}")
    if not commune_ids:
        return {}
    t = tallies_t.c
    query = (
        sa.select(t.hamlet_id, t.indicator, sa.func.sum(t.eligible), sa.func.sum(t.covered))
        .where(t.commune_id.in_(commune_ids), t.since <= year)
        .group_by(t.hamlet_id, t.indicator)
    )
    return {(h, code): (int(e), int(c)) for h, code, e, c in conn.execute(query)}


def commune_figures(
    conn: Connection, year: int, commune_ids: list[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """``(commune_id, indicator) -> (eligible, covered)`` for the year (a province's ranking:
    one grouped read of its communes' rows)."""
    if year < FLOOR_YEAR:
        raise ValueError(f"the tallies answer for {FLOOR_YEAR} and later, not {year}")
    if not commune_ids:
        return {}
    t = tallies_t.c
    query = (
        sa.select(t.commune_id, t.indicator, sa.func.sum(t.eligible), sa.func.sum(t.covered))
        .where(t.commune_id.in_(commune_ids), t.since <= year)
        .group_by(t.commune_id, t.indicator)
    )
    return {(c, code): (int(e), int(cov)) for c, code, e, cov in conn.execute(query)}
