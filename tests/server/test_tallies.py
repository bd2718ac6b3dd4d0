"""The coverage tallies (``server.tallies``) equal :func:`gocua.coverage.compute_coverage`
computed from scratch over the records, whatever was written: hypothesis draws pushes from
two devices (creates, edits with stale bases that merge or conflict, moves of persons and
households, deletes, visits), restores of deleted rows through conflict resolution, and the
admin API's hamlet merges and splits, on SQLite and PostgreSQL. Every example goes on from
the database the previous ones left, so the states pile up."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gocua import ids, validation
from gocua.catalogue import HOUSEHOLD, default_catalogue
from gocua.coverage import (
    ACTIVE_HOUSEHOLD,
    HouseholdFacts,
    PersonFacts,
    compute_coverage,
    person_counts_for,
)
from gocua.states import COVERED_STATES, NOT_ELIGIBLE, STATES
from server import tallies
from server.db import create_engine
from tests.server.world import Device, new_id

CATALOGUE = default_catalogue()
YEARS = (tallies.FLOOR_YEAR, 2026, 2027, 2031, 2045)
PERSON_ITEMS = [i.code for i in CATALOGUE.person_items()]
HOUSEHOLD_ITEMS = [i.code for i in CATALOGUE.household_items()]
H = "/api/v1/admin/hamlets"


# -- the reference: from scratch, with gocua only ------------------------------------------------


def from_scratch(conn, year: int) -> dict[tuple[str, str], tuple[int, int]]:
    households, persons, states, visited = [], [], {}, set()
    rows = conn.execute(
        sa.text(
            "SELECT tbl, id, scope_area, data FROM records WHERE deleted = :no "
            "AND tbl IN ('households', 'persons', 'support_items', 'visits')"
        ),
        {"no": False},
    )
    for tbl, row_id, scope_area, data in rows:
        row = json.loads(data)
        if tbl == "households":
            households.append(HouseholdFacts(row_id, scope_area, row["status"]))
        elif tbl == "persons":
            persons.append(
                PersonFacts(
                    row_id,
                    row["household_id"],
                    validation.birth_year_of(row["birth_date"]),
                    row["has_smartphone"],
                    row["status"],
                )
            )
        elif tbl == "support_items":
            states[(row["subject_id"], row["item_code"])] = row["state"]
        else:
            visited.add(row["household_id"])
    out = {
        key: (t.eligible, t.covered)
        for key, t in compute_coverage(CATALOGUE, households, persons, states, year).items()
        if t.eligible or t.covered
    }
    # Leaders' counts, by their definition in server.tallies' docstring.
    by_id = {h.id: h for h in households}
    counts: Counter = Counter()
    for h in households:
        if h.status == ACTIVE_HOUSEHOLD and h.id not in visited:
            counts[(h.area_id, tallies.UNVISITED)] += 1
    for p in persons:
        h = by_id.get(p.household_id)
        if h is None:
            continue
        active = h.status == ACTIVE_HOUSEHOLD
        for indicator in CATALOGUE.indicators:
            if indicator.level == HOUSEHOLD or not person_counts_for(indicator, p, active, year):
                continue
            state = states.get((p.id, indicator.item))
            if indicator.attribute is not None:
                missing = p.has_smartphone is not True
            else:
                missing = state != NOT_ELIGIBLE and state not in COVERED_STATES
            if missing:
                counts[(h.area_id, tallies.TO_HELP)] += 1
                break
    out.update({key: (n, 0) for key, n in counts.items()})
    return out


def assert_tallies_exact(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for year in YEARS:
                stored = {
                    k: v for k, v in tallies.figures(conn, year, ["C1", "C2"]).items() if any(v)
                }
                assert stored == from_scratch(conn, year), year
        assert tallies.check(engine) == {}
    finally:
        engine.dispose()


# -- what the devices and the admin do ----------------------------------------------------------


class World:
    """Ids the examples have made so far (deleted ones too: writing to them is a case)."""

    def __init__(self, http):
        self.leader, self.admin = Device(http, "leader"), Device(http, "admin")
        self.households: list[str] = []
        self.persons: list[str] = []
        self.items: list[tuple[str, str, str]] = []  # (id, subject type, subject id)
        self.visits: list[str] = []
        self.names = itertools.count(1)

    def hamlets(self) -> list[str]:
        listed = self.admin.get(H).json()["hamlets"]
        return sorted(h["id"] for h in listed if not h["retired"])


_WORLDS: dict = {}


def world_for(http) -> World:
    if id(http) not in _WORLDS:
        _WORLDS.clear()
        _WORLDS[id(http)] = World(http)
    return _WORLDS[id(http)]


birth_dates = st.one_of(
    st.none(),
    st.integers(1930, 2026).map(str),
    st.builds(
        lambda y, d: f"{y}-{d}", st.integers(1930, 2025), st.sampled_from(["01-15", "12-31"])
    ),
)
OPS = (
    ["household"] * 3
    + ["person"] * 4
    + ["item"] * 9
    + ["edit_person"] * 3
    + ["edit_household"] * 2
    + ["visit"] * 2
    + ["delete"] * 2
    + ["restore", "merge", "split"]
)
# One step draws the same values whatever the world holds (hypothesis replays draws, and the
# world piles up between examples); the step picks from the world by index.
pick = st.integers(0, 10**6)
steps = st.fixed_dictionaries(
    {
        "op": st.sampled_from(OPS),
        "admin": st.booleans(),
        "a": pick,
        "b": pick,
        "c": pick,
        "household_status": st.sampled_from(["active", "active", "active", "moved", "gone"]),
        "person_status": st.sampled_from(["present", "present", "away", "moved", "deceased"]),
        "birth_date": birth_dates,
        "smartphone": st.sampled_from([None, True, False]),
        "state": st.sampled_from(STATES),
        "flags": st.lists(st.booleans(), min_size=6, max_size=6),
        "mask": st.integers(0, 2**12 - 1),
    }
)


def _of(pool: list, index: int):
    return pool[index % len(pool)]


def play(step: dict, w: World) -> None:
    op, flags = step["op"], step["flags"]
    device = w.admin if step["admin"] else w.leader
    hamlets = w.hamlets()
    if op == "household" or not w.households:
        hid = new_id()
        fields = {
            "hamlet_id": _of(hamlets, step["a"]),
            "address": "Số 1",
            "status": step["household_status"],
        }
        assert device.push_one("households", hid, fields)["status"] != "rejected"
        w.households.append(hid)
    elif op == "person" or (op == "edit_person" and not w.persons):
        pid = new_id()
        fields = {
            "household_id": _of(w.households, step["a"]),
            "full_name": "Lê Văn An",
            "birth_date": step["birth_date"],
            "has_smartphone": step["smartphone"],
            "status": step["person_status"],
        }
        if device.push_one("persons", pid, fields)["status"] != "rejected":
            w.persons.append(pid)
    elif op == "item":
        if w.persons and flags[0]:
            subject_type, subject = "person", _of(w.persons, step["a"])
            code = _of(PERSON_ITEMS, step["b"])
        else:
            subject_type, subject = "household", _of(w.households, step["a"])
            code = _of(HOUSEHOLD_ITEMS, step["b"])
        sid = ids.support_item_id(subject, code)
        fields = {
            "subject_type": subject_type,
            "subject_id": subject,
            "item_code": code,
            "state": step["state"],
        }
        # Base 0 from either device: the other device's edit is concurrent and merges.
        if device.push_one("support_items", sid, fields)["status"] != "rejected":
            w.items.append((sid, subject_type, subject))
    elif op == "edit_person":
        candidates = {
            "birth_date": step["birth_date"],
            "has_smartphone": step["smartphone"],
            "status": step["person_status"],
            "household_id": _of(w.households, step["b"]),
        }
        fields = {
            k: v for k, v, on in zip(candidates, candidates.values(), flags, strict=False) if on
        }
        device.push_one("persons", _of(w.persons, step["a"]), fields or {"status": "present"})
    elif op == "edit_household":
        fields = {}
        if flags[0] or not flags[1]:
            fields["status"] = step["household_status"]
        if flags[1]:
            fields["hamlet_id"] = _of(hamlets, step["b"])
        device.push_one("households", _of(w.households, step["a"]), fields)
    elif op == "visit":
        fields = {
            "household_id": _of(w.households, step["a"]),
            "visited_at": "2026-11-20T09:30:00+07:00",
            "volunteer_id": device.user["id"],
            "outcome": "met",
        }
        vid = new_id()
        if device.push_one("visits", vid, fields)["status"] != "rejected":
            w.visits.append(vid)
    elif op == "delete":
        pools = [
            ("households", w.households),
            ("persons", w.persons),
            ("support_items", [i[0] for i in w.items]),
            ("visits", w.visits),
        ]
        table, pool = _of(pools, step["b"])
        if pool:
            device.push_one(table, _of(pool, step["a"]), op="delete")
    elif op == "restore":
        # An edit of a deleted row is kept as a conflict; the leader restores it (or not).
        if w.persons:
            device.push_one("persons", _of(w.persons, step["a"]), {"status": "present"})
        open_ = w.leader.get("/api/v1/conflicts").json()["conflicts"]
        deleted = [c for c in open_ if c["field"] == "_deleted" and c["winning_value"] is True]
        if deleted:
            conflict = _of(deleted, step["b"])
            body = {"restore": flags[0]}
            answer = w.leader.post(f"/api/v1/conflicts/{conflict['id']}/resolve", body)
            assert answer.status_code in (200, 409), answer.text
    elif op == "merge" and len(hamlets) >= 2:
        source = _of(hamlets, step["a"])
        into = _of([h for h in hamlets if h != source], step["b"])
        answer = w.admin.post(f"{H}/{source}/merge", {"into": into})
        assert answer.status_code == 200, answer.text
    elif op == "split":
        source = _of(hamlets, step["a"])
        live = sorted(
            c["id"]
            for c in w.leader.pull_all(None)
            if c["table"] == "households" and c["row"]["hamlet_id"] == source
        )
        chosen = [h for i, h in enumerate(live) if step["mask"] >> (i % 12) & 1]
        retire = flags[0] and len(hamlets) > 1
        parts = [{"name": f"Ấp Tách {next(w.names)}", "households": chosen}]
        if retire:
            rest = [h for h in live if h not in chosen]
            parts.append({"name": f"Ấp Tách {next(w.names)}", "households": rest})
        answer = w.admin.post(f"{H}/{source}/split", {"parts": parts, "retire": retire})
        assert answer.status_code == 200, answer.text


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(steps, min_size=5, max_size=20))
def test_tallies_equal_coverage_from_scratch_after_any_writes(http, settings, plan):
    w = world_for(http)
    for step in plan:
        play(step, w)
    assert_tallies_exact(settings.database_url)


def test_rebuild_and_bulk_load_give_the_same_tallies(http, settings):
    """A demo commune loaded in bulk is tallied as it loads; a rebuild from the records
    finds the same figures, and the check finds no difference."""
    from gocua import demo
    from server import admin

    commune = demo.generate(60, seed=5)
    engine = create_engine(settings.database_url)
    try:
        admin.load_areas(engine, commune.areas)
        admin.bulk_load(engine, commune.rows())
        assert tallies.check(engine) == {}
        with engine.connect() as conn:
            before = tallies.figures(conn, 2026, [demo.COMMUNE["id"]])
            assert before == {
                k: v for k, v in from_scratch(conn, 2026).items() if k[0].startswith("X9001")
            } | {k: v for k, v in before.items() if not any(v)}
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM tallies"))
        assert tallies.check(engine) != {}
        tallies.rebuild(engine)
        assert tallies.check(engine) == {}
        with engine.connect() as conn:
            assert tallies.figures(conn, 2026, [demo.COMMUNE["id"]]) == before
    finally:
        engine.dispose()


def test_a_year_before_the_floor_is_refused(settings):
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn, pytest.raises(ValueError):
            tallies.figures(conn, tallies.FLOOR_YEAR - 1, ["C1"])
    finally:
        engine.dispose()


def test_the_commands_rebuild_check_and_snapshot(settings, capsys):
    """`gocua-server rebuild-tallies [--check]` and `gocua-server snapshot`, for cron."""
    from gocua import demo
    from server import admin, cli

    url = settings.database_url
    engine = create_engine(url)
    try:
        commune = demo.generate(20, seed=3)
        admin.load_areas(engine, commune.areas)
        admin.bulk_load(engine, commune.rows())
        with engine.begin() as conn:  # as if rows had been changed behind the server's back
            conn.execute(sa.text("DELETE FROM tallies WHERE indicator = 'ehealth'"))
    finally:
        engine.dispose()
    assert cli.main(["rebuild-tallies", "--database", url, "--check"]) == 1
    assert "run rebuild-tallies" in capsys.readouterr().out
    assert cli.main(["rebuild-tallies", "--database", url]) == 0
    assert "tallies rebuilt from the records" in capsys.readouterr().out
    assert cli.main(["rebuild-tallies", "--database", url, "--check"]) == 0
    assert cli.main(["snapshot", "--database", url, "--day", "2026-01-05"]) == 0
    assert capsys.readouterr().out.strip().endswith("2026-01-05: taken")
    assert cli.main(["snapshot", "--database", url, "--day", "2026-01-05"]) == 0
    assert "already taken" in capsys.readouterr().out
    engine = create_engine(url)
    try:
        from server import snapshots

        with engine.connect() as conn:
            kept = snapshots.figures_on(conn, dt.date(2026, 1, 5), [demo.COMMUNE["id"]])
            now = tallies.commune_figures(conn, 2026, [demo.COMMUNE["id"]])
        assert {code: tuple(v) for code, v in kept[demo.COMMUNE["id"]].items()} == {
            code: v for (_, code), v in now.items() if any(v)
        }
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_concurrent_pushes_into_the_same_households_keep_the_tallies_exact(
    postgres_cluster, pg_template
):
    """Two server workers, four devices pushing at once into the same few households (their
    persons, items, visits and statuses): each household's change is computed under its lock,
    so the tallies still equal the coverage from scratch."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.support.server_process import ServerProcess

    url = postgres_cluster.create_database("t_concurrent", template=pg_template)
    try:
        with ServerProcess(url, workers=2) as server:
            with httpx.Client(base_url=server.base_url, timeout=60) as http:
                leader = Device(http, "leader")
                homes = [new_id() for _ in range(3)]
                people = {h: [new_id() for _ in range(3)] for h in homes}
                leader.push(
                    *[
                        leader.mutation("households", h, {"hamlet_id": "C1-A", "address": "Số 1"})
                        for h in homes
                    ],
                    *[
                        leader.mutation(
                            "persons",
                            p,
                            {"household_id": h, "full_name": "Lê Văn An", "birth_date": "2000"},
                        )
                        for h in homes
                        for p in people[h]
                    ],
                )

            def device_work(n: int) -> None:
                rng = __import__("random").Random(n)
                with httpx.Client(base_url=server.base_url, timeout=60) as client:
                    d = Device(client, "leader" if n % 2 else "admin")
                    for _ in range(20):
                        batch = []
                        for _ in range(6):
                            h = rng.choice(homes)
                            p = rng.choice(people[h])
                            kind = rng.random()
                            if kind < 0.5:
                                code = rng.choice(PERSON_ITEMS)
                                fields = {
                                    "subject_type": "person",
                                    "subject_id": p,
                                    "item_code": code,
                                    "state": rng.choice(STATES),
                                }
                                batch.append(
                                    d.mutation(
                                        "support_items", ids.support_item_id(p, code), fields
                                    )
                                )
                            elif kind < 0.7:
                                fields = {
                                    "household_id": h,
                                    "visited_at": "2026-11-20T09:30:00+07:00",
                                    "volunteer_id": d.user["id"],
                                    "outcome": "met",
                                }
                                batch.append(d.mutation("visits", new_id(), fields))
                            elif kind < 0.8:
                                batch.append(
                                    d.mutation(
                                        "persons",
                                        p,
                                        {"has_smartphone": rng.choice([True, False, None])},
                                    )
                                )
                            else:
                                batch.append(
                                    d.mutation(
                                        "households", h, {"status": rng.choice(["active", "moved"])}
                                    )
                                )
                        d.push(*batch)

            with ThreadPoolExecutor(4) as pool:
                list(pool.map(device_work, range(4)))
        assert_tallies_exact(url)
    finally:
        postgres_cluster.drop_database("t_concurrent")


def test_a_push_waits_while_another_computes_the_same_household(app, settings, monkeypatch):
    """The race the household lock closes: one push changes a household's status while
    another changes an item of one of its persons. The second must compute after the first
    commits, or it counts the item in a household that is no longer active."""
    import threading
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    with TestClient(app) as one, TestClient(app) as two:
        admin, leader = Device(one, "admin"), Device(two, "leader")
        hid, pid = new_id(), new_id()
        leader.push(
            leader.mutation("households", hid, {"hamlet_id": "C1-A", "address": "Số 1"}),
            leader.mutation(
                "persons",
                pid,
                {"household_id": hid, "full_name": "Lê Văn An", "birth_date": "1990"},
            ),
        )
        entered, release = threading.Event(), threading.Event()
        original = tallies.read_units

        def paused(conn, units, skip):
            found = original(conn, units, skip)
            if hid in units.whole and not entered.is_set():
                entered.set()  # the household is locked and read; hold the transaction open
                release.wait(30)
            return found

        monkeypatch.setattr(tallies, "read_units", paused)
        moving = threading.Thread(
            target=admin.push_one, args=("households", hid, {"status": "moved"})
        )
        item = {
            "subject_type": "person",
            "subject_id": pid,
            "item_code": "vneid_l2",
            "state": "done",
        }
        helping = threading.Thread(
            target=leader.push_one,
            args=("support_items", ids.support_item_id(pid, "vneid_l2"), item),
        )
        moving.start()
        assert entered.wait(30)
        helping.start()
        helping.join(1.0)
        assert helping.is_alive(), "the item's push did not wait for the household"
        release.set()
        moving.join(30)
        helping.join(30)
        assert not moving.is_alive() and not helping.is_alive()
    assert_tallies_exact(settings.database_url)
