"""Issue 15's benchmarks: likely duplicates after a first pull of a 20,000-person commune.

The demo commune (gocua.demo, seed 7 as in bench_sync) gets copies of 1% of its households as
a second volunteer would have typed them offline (the same head, the address without accents
and in other case, one more member, a visit and items of their own), and 100 persons entered
again in another household (the same CCCD). The rows are stored the way a first pull stores
them: hello's areas and users, then pages of 5,000 changes through desktop.sync.apply in
version order, the secondary indexes set aside with the first page and built again at the
end, as the engine does for an empty profile. Then, as the leader's laptop would:

- detection (desktop.store.duplicates.find_duplicates, the pairs and what the dialog shows of
  each): the first run right after the pull, and the median of 5 (goal < 1 s);
- counting the pairs (what the window does after each pull);
- one household merge (desktop.services merge_households), median of 20 pairs.

``--quick``: 2,000 persons.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import Result
from desktop.services import Services
from desktop.store import Store, bulk, deferred_indexes
from desktop.store.duplicates import count_duplicates, find_duplicates
from desktop.store.identity import USER_ID
from desktop.sync.apply import apply_changes
from desktop.sync.engine import PULL_PAGE
from gocua import demo, ids
from gocua.text import fold

GROUP = "duplicates"


def _commune_with_duplicates(persons: int) -> tuple[demo.DemoCommune, int, int]:
    """The demo commune plus copies: returns it, the household copies and the person copies."""
    commune = demo.generate(demo.households_for_persons(persons), seed=7)
    rng = random.Random(15)
    members: dict[str, list[dict]] = {}
    for person in commune.persons:
        members.setdefault(person["household_id"], []).append(person)
    volunteer = next(u["id"] for u in commune.users if u["role"] == "volunteer")
    households = [h for h in commune.households if members.get(h["id"])]
    copies = rng.sample(households, max(1, len(households) // 100))
    for original in copies:
        household_id = str(ids.new_id())
        commune.households.append(
            {**original, "id": household_id, "address": fold(original["address"]).upper()}
        )
        head = members[original["id"]][0]
        twin = {**head, "id": ids.new_id(), "household_id": household_id}
        twin["full_name"] = fold(head["full_name"])
        extra = {
            **head,
            "id": ids.new_id(),
            "household_id": household_id,
            "full_name": "Người Mới Thêm",
            "cccd": None,
            "relation": "other",
        }
        commune.persons.extend([twin, extra])
        item = {
            "id": ids.support_item_id(twin["id"], "vneid_l2"),
            "subject_type": "person",
            "subject_id": twin["id"],
            "item_code": "vneid_l2",
            "state": "guided",
            "reason": None,
            "note": "",
        }
        commune.support_items.append(item)
        commune.visits.append(
            {
                "id": ids.new_id(),
                "household_id": household_id,
                "visited_at": "2026-11-20T09:30:00+07:00",
                "volunteer_id": volunteer,
                "outcome": "met",
                "note": "Nhập ở máy thứ hai",
                "follow_up_on": None,
                "items": [{"subject_id": twin["id"], "item_code": "vneid_l2", "state": "guided"}],
            }
        )
    # Persons entered again in another household (not its head): the same CCCD.
    with_cccd = [p for p in commune.persons if p["cccd"] and p["relation"] != "head"]
    again = rng.sample(with_cccd, min(100, len(with_cccd) // 10))
    for person in again:
        host = rng.choice(households)
        commune.persons.append(
            {**copy.deepcopy(person), "id": ids.new_id(), "household_id": host["id"]}
        )
    return commune, len(copies), len(again)


def _pull_into(store: Store, commune: demo.DemoCommune, today: dt.date) -> float:
    """Store the commune as a first pull does; returns its seconds."""
    changes = []
    version = 0
    for table, rows in commune.rows().items():
        for row in rows:
            version += 1
            fields = {k: v for k, v in row.items() if k != "id"}
            changes.append(
                {"table": table, "id": row["id"], "op": "upsert", "version": version, "row": fields}
            )
    started = time.perf_counter()
    with store.write() as conn:  # hello
        bulk.insert_areas(conn, commune.areas)
        bulk.insert_users(conn, commune.users)
        leader = next(u for u in commune.users if u["role"] == "leader")
        USER_ID.set(conn, leader["id"])
    for start in range(0, len(changes), PULL_PAGE):
        with store.write() as conn:
            if start == 0:
                deferred_indexes.defer(conn)
            apply_changes(conn, changes[start : start + PULL_PAGE], today, mark=False)
    with store.write() as conn:
        deferred_indexes.restore_in(conn)
    return time.perf_counter() - started


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def run(quick: bool) -> list[Result]:
    persons = 2_000 if quick else 20_000
    today = dt.date.today()
    commune, household_copies, person_copies = _commune_with_duplicates(persons)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="gocua-bench-duplicates-") as folder:
        store = Store.open(Path(folder) / "profile.db")
        try:
            pull_seconds = _pull_into(store, commune, today)
            rows = sum(len(r) for r in commune.rows().values())

            def detect():
                with store.read() as conn:
                    return find_duplicates(conn)

            pairs, first = _timed(detect)
            again = [_timed(detect)[1] for _ in range(5)]
            with store.read() as conn:
                counted = [_timed(lambda c=conn: count_duplicates(c)) for _ in range(5)]
            households = [p for p in pairs if p.kind == "household"]
            found_people = len(pairs) - len(households)
            note = (
                f"{len(households)} household and {found_people} person pairs found "
                f"(planted {household_copies} and {person_copies}); {rows:,} rows pulled "
                f"in {pull_seconds:.1f} s"
            )
            results.append(
                Result(
                    GROUP,
                    f"detection after a first pull ({len(commune.persons):,} persons), first run",
                    round(first * 1000, 1),
                    "ms",
                    "< 1 s",
                    first < 1,
                    note,
                )
            )
            median = statistics.median(again)
            results.append(
                Result(
                    GROUP,
                    "detection, median of 5",
                    round(median * 1000, 1),
                    "ms",
                    "< 1 s",
                    median < 1,
                )
            )
            results.append(
                Result(
                    GROUP,
                    "count of pairs (the window, after each pull), median of 5",
                    round(statistics.median(s for _, s in counted) * 1000, 1),
                    "ms",
                )
            )

            services = Services(store)
            merges = []
            for pair in households[:20]:
                result, seconds = _timed(
                    lambda p=pair: services.merge_households(p.left.id, p.right.id)
                )
                assert result.persons_merged >= 1, result
                merges.append(seconds)
            results.append(
                Result(
                    GROUP,
                    "one household merge, median",
                    round(statistics.median(merges) * 1000, 1),
                    "ms",
                    "",
                    None,
                    f"{len(merges)} merges, max {max(merges) * 1000:.1f} ms",
                )
            )
        finally:
            store.close()
    return results


if __name__ == "__main__":
    from bench import format_table

    print(format_table(run(quick="--quick" in sys.argv)))
