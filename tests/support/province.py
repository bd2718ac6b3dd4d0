"""A fictional province of many communes for the web view's tests, screenshots and benchmark.

Each commune is :func:`gocua.demo.generate` with its own seed, its areas and ids renamed, and
its own pace: some communes have helped more people than others, so rankings differ.
:func:`history` replays the way there (earlier days with fewer items done) so daily
snapshots show rank changes and progress over time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

import sqlalchemy as sa

from gocua import demo, ids
from gocua.protocol import full_row
from server import admin, snapshots, tallies
from server.db import run_transaction
from server.models import records_t

COMMUNE_NAMES = (
    "Xã Tiền An",
    "Xã Hòa Long",
    "Xã Tân Hưng",
    "Xã Phước Thạnh",
    "Xã Long Điền",
    "Xã An Nhơn",
    "Xã Bình Châu",
    "Xã Mỹ Xuân",
    "Xã Châu Pha",
    "Xã Lộc An",
    "Xã Kim Long",
    "Xã Nghĩa Thành",
    "Xã Xuyên Mộc",
    "Xã Bàu Lâm",
    "Xã Hòa Hội",
    "Xã Phước Tân",
    "Xã Tóc Tiên",
    "Xã Sông Xoài",
    "Xã Long Hải",
    "Xã Đất Đỏ",
)
DONE = ("done", "already_had")


def commune_name(index: int) -> str:
    if index < len(COMMUNE_NAMES):
        return COMMUNE_NAMES[index]
    return f"Xã Số {index + 1}"


@dataclass
class Commune:
    id: str
    areas: list[dict]
    rows: dict[str, list[dict]]
    pace: float


def commune(
    index: int,
    province_id: str,
    households: int,
    *,
    commune_id: str | None = None,
    hamlet_ids: list[str] | None = None,
    today: dt.date | None = None,
) -> Commune:
    """One commune's areas and rows. ``commune_id``/``hamlet_ids``: put the households in
    areas that exist already (the test world's) instead of new ones."""
    rng = random.Random(1000 + index)
    made = demo.generate(households, seed=1000 + index, today=today)
    commune_id = commune_id or f"{province_id}-X{index + 1:03d}"
    old_hamlets = [a["id"] for a in made.hamlets]
    if hamlet_ids:
        mapping = {old: hamlet_ids[i % len(hamlet_ids)] for i, old in enumerate(old_hamlets)}
        areas = []
    else:
        mapping = {old: f"{commune_id}-{i + 1:02d}" for i, old in enumerate(old_hamlets)}
        areas = [
            {
                "id": commune_id,
                "kind": "commune",
                "name": commune_name(index),
                "parent_id": province_id,
            }
        ] + [
            {"id": mapping[a["id"]], "kind": "hamlet", "name": a["name"], "parent_id": commune_id}
            for a in made.hamlets
        ]
    pace = rng.uniform(-0.4, 0.75)  # how far ahead (or behind) of the demo's rates
    for h in made.households:
        h["hamlet_id"] = mapping[h["hamlet_id"]]
        h["address"] = h["address"].rsplit(", ", 1)[0]
    for item in made.support_items:
        if pace > 0 and item["state"] in ("not_started", "guided", "pending"):
            if rng.random() < pace:
                item["state"], item["reason"] = "done", None
        elif pace < 0 and item["state"] in DONE and rng.random() < -pace:
            item["state"], item["reason"] = "guided", None
    targets = []
    for t in made.targets:
        period, code = t["period"], t["indicator_code"]
        targets.append({**t, "id": ids.target_id(commune_id, code, period), "area_id": commune_id})
    rows = {**made.rows(), "targets": targets}
    return Commune(commune_id, areas, rows, pace)


def province_areas(province_id: str, name: str) -> list[dict]:
    return [{"id": province_id, "kind": "province", "name": name, "parent_id": None}]


def load(engine, communes: list[Commune]) -> int:
    total = 0
    for c in communes:
        if c.areas:
            admin.load_areas(engine, c.areas)
        total += admin.bulk_load(engine, c.rows)
    return total


def history(engine, communes: list[Commune], days: list[dt.date], seed: int = 7) -> None:
    """Keep snapshots on ``days`` (oldest first) as if the communes got where they are now
    step by step, at their own pace: before each day, items done are put back to "guided"
    in proportion to how far that day is from today; then everything is restored and the
    tallies rebuilt from the records."""
    rng = random.Random(seed)
    done_items = [
        (c, item["id"])
        for c in communes
        for item in c.rows["support_items"]
        if item["state"] in DONE
    ]
    original = {}
    r = records_t.c
    with engine.connect() as conn:
        for item_id, data in conn.execute(
            sa.select(r.id, r.data).where(
                r.tbl == "support_items", r.id.in_([i for _, i in done_items])
            )
        ):
            original[item_id] = data
    steps = len(days)
    # Each item gets the step at which it was done; slower communes did theirs later.
    when = {
        item_id: min(steps, int(rng.random() * (steps + 1) * (1.2 - max(-0.3, c.pace))))
        for c, item_id in done_items
    }
    for step, day in enumerate(days):
        undone = [i for i, s in when.items() if s > step]

        def rewrite(conn, undone=undone):
            for item_id, data in original.items():
                row = json.loads(data)
                if item_id in undone:
                    row = full_row("support_items", {**row, "state": "guided", "reason": None})
                conn.execute(
                    sa.update(records_t)
                    .where(r.tbl == "support_items", r.id == item_id)
                    .values(data=json.dumps(row, ensure_ascii=False))
                )

        run_transaction(engine, rewrite)
        tallies.rebuild(engine)
        run_transaction(engine, lambda conn, day=day: snapshots.take(conn, day))

    def restore(conn):
        for item_id, data in original.items():
            conn.execute(
                sa.update(records_t)
                .where(r.tbl == "support_items", r.id == item_id)
                .values(data=data)
            )

    run_transaction(engine, restore)
    tallies.rebuild(engine)
