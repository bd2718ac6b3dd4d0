"""Issue 15: joining an offline profile to its commune on the server.

A volunteer's profile made offline with the demo commune's 2,000 households (200 with --quick)
typed under local hamlets: every row unsent, one outbox mutation each. Timed: the join's one
transaction (desktop.sync.join.apply_join: server areas stored, every household's hamlet and
every unsent payload rewritten, the coverage facts following through the store's triggers),
goal under 2 s; and the plan (matching the typed hamlets by folded name). Then, against a real
server, the cost of held rows on every later sync: a profile that left all its hamlets
unmatched (every row held) syncing with nothing new, beside a profile holding nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import Result
from desktop.store import Store, bulk
from desktop.store.areas import create_offline_areas
from desktop.sync.join import apply_join, plan_join
from gocua import demo
from gocua.protocol import full_row

GROUP = "join"
GOAL_S = 2.0


def _offline_profile(path: Path, households: int) -> tuple[Store, dict, int]:
    """The demo commune as a profile made offline; returns the store, the server's hello
    answer for its leader, and the number of rows."""
    today = dt.date(2026, 12, 6)
    commune = demo.generate(households, seed=3, today=today)
    server_hamlets = commune.hamlets
    store = Store.open(path)
    # Typed as a hamlet head writes them: without "Ấp", in lower case.
    typed = [h["name"].removeprefix("Ấp ").lower() for h in server_hamlets]
    rows = 0
    with store.write() as conn:
        create_offline_areas(conn, "Hòa Phú", typed)
        local = {h["id"]: f"LOCAL-{n:02d}" for n, h in enumerate(server_hamlets, start=1)}
        for household in commune.households:
            household["hamlet_id"] = local[household["hamlet_id"]]
        stamp = "2026-12-01T00:00:00+00:00"
        for table, table_rows in commune.rows().items():
            if table == "targets" or not table_rows:
                continue
            bulk.insert_synced(conn, table, table_rows, 1, today)
            conn.exec_driver_sql(f"UPDATE {table} SET version = 0")
            conn.exec_driver_sql(
                "INSERT INTO outbox (hlc, table_name, row_id, op, base_version, fields, "
                "created_at, state) VALUES (?, ?, ?, 'upsert', 0, ?, ?, 'pending')",
                [
                    (
                        f"{1764547200000 + i:013d}-0000-aaaaaaaaaaaa",
                        table,
                        row["id"],
                        json.dumps(full_row(table, row), ensure_ascii=False),
                        stamp,
                    )
                    for i, row in enumerate(table_rows)
                ],
            )
            rows += len(table_rows)
    answer = {
        "user": {
            "id": "u",
            "role": "leader",
            "commune_id": demo.COMMUNE["id"],
            "commune_name": demo.COMMUNE["name"],
            "hamlet_ids": [],
        },
        "areas": [dict(demo.PROVINCE), dict(demo.COMMUNE), *server_hamlets],
        "last_mutation_id": 0,
    }
    return store, answer, rows


def run(quick: bool = False) -> list[Result]:
    households = 200 if quick else 2000
    with tempfile.TemporaryDirectory(prefix="gocua-bench-join-") as folder:
        store, answer, rows = _offline_profile(Path(folder) / "lan.db", households)
        try:
            started = time.perf_counter()
            with store.read() as conn:
                plan = plan_join(conn, answer)
            plan_ms = (time.perf_counter() - started) * 1000
            assert plan is not None and all(h.match for h in plan.hamlets), plan
            started = time.perf_counter()
            with store.write() as conn:
                result = apply_join(conn, plan, {})
            join_s = time.perf_counter() - started
            assert result.households == households and result.unmatched == 0, result
        finally:
            store.close()
    size = f"{households:,} households, {rows:,} rows and their outbox"
    held_ms, plain_ms, held_rows = _held_sync(200 if quick else 500)
    return [
        Result(GROUP, f"plan the join ({len(plan.hamlets)} hamlets)", plan_ms, "ms", note=size),
        Result(
            GROUP,
            "join: one transaction rewriting rows and outbox",
            join_s,
            "s",
            goal=f"< {GOAL_S:g} s",
            ok=join_s < GOAL_S if not quick else None,
            note=f"{size}; {result.mutations:,} payloads rewritten",
        ),
        Result(
            GROUP,
            "sync with nothing new, every row held",
            held_ms,
            "ms",
            note=f"{held_rows:,} held rows (a whole commune's hamlets left unmatched); median of 5",
        ),
        Result(GROUP, "sync with nothing new, nothing held (same server)", plain_ms, "ms"),
    ]


def _held_sync(households: int) -> tuple[float, float, int]:
    import keyring

    from desktop.store import Store
    from desktop.sync import errors
    from desktop.sync.session import SyncSession
    from tests.support.keyring_memory import MemoryKeyring
    from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess

    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(prefix="gocua-bench-held-") as folder:
        url = f"sqlite:///{Path(folder) / 'server.sqlite'}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "server.cli",
                "demo",
                "--database",
                url,
                "--households",
                "10",
                "--seed",
                "3",
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, **CHEAP_PASSWORDS},
        )
        with ServerProcess(url) as server:
            store, _answer, _rows = _offline_profile(Path(folder) / "lan.db", households)
            plain = Store.open(Path(folder) / "plain.db")
            try:
                session = SyncSession(store)
                session.sign_in(server.base_url, "totruong", "gocua-demo")
                try:
                    session.sync()
                except errors.JoinRequired as needed:
                    plan = needed.plan
                session.join(plan, {h.id: None for h in plan.hamlets})
                held = session.sync().held
                other = SyncSession(plain)
                other.sign_in(server.base_url, "tnv.an", "gocua-demo")
                other.sync()
                timings = []
                for one in (session, other):
                    runs = []
                    for _ in range(5):
                        started = time.perf_counter()
                        one.sync()
                        runs.append((time.perf_counter() - started) * 1000)
                    timings.append(statistics.median(runs))
            finally:
                store.close()
                plain.close()
    return timings[0], timings[1], held
