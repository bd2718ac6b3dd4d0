"""The web view at province scale (issue 18), on PostgreSQL 15.

A generated province of 100 communes of 20,000 people each (2,000,000 people, about 14
million rows), made commune by commune (``tests/support/province.py``: the demo commune with
its own seed and pace) and loaded with ``COPY`` (the records' indexes dropped for the load and
built after it), not through the API; then ``rebuild-tallies`` and a year of daily snapshots.
``--quick``: 4 communes of 2,000. ``GOCUA_BENCH_WEB_PERSONS`` sets the province's size (the
communes stay 100) when the full size will not load on a machine.

Measured, against the real server (``gocua-server serve``, one worker per server):

- the ranking page and a commune page, signed in as the province viewer: p50 and p95 over 50
  requests each (goal: p95 under 300 ms and 200 ms);
- a push of 50 mutations, with and without keeping the tallies (two servers on the same
  database, one with ``GOCUA_TALLIES=0``, pushes interleaved): 50 creates in one hamlet, and
  50 edits (four items' states and a visit each, for ten persons of different households);
  goal: within 10%;
- the tallies' size beside the records';
- one commune's leader: the first pull (pages of 5,000) and a no-op sync (hello, then a pull
  that finds nothing) on the province's database, against the same commune loaded alone in
  a database of its own (goal: within 1.5x); and the plan of the pull's query.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import socket
import statistics
import time
import uuid

import httpx
import orjson
import psycopg
import sqlalchemy as sa

from bench import Result
from bench.wire import Wire
from gocua import ids
from gocua.protocol import TABLES, full_row
from server import admin, schema, snapshots, tallies
from server.db import create_engine
from server.models import records_t
from server.settings import Settings
from tests.support import province
from tests.support.postgres import PostgresCluster
from tests.support.server_process import CHEAP_PASSWORDS, ServerProcess

PASSWORD = "bench-password"
API = "/api/v1"
PROVINCE = "PB"
COLUMNS = (
    "tbl",
    "id",
    "scope_area",
    "commune_id",
    "household_id",
    "subject_id",
    "version",
    "deleted",
    "data",
    "meta",
    "updated_at",
)
OPTIONS = ("max_wal_size=8GB",)  # a bulk load's WAL; durability stays PostgreSQL's default


def _log(message: str) -> None:
    print(f"  bench_web: {message}", flush=True)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- loading ------------------------------------------------------------------------------------


def _records(c: province.Commune, version: int, now: float):
    """The commune's rows as ``records`` rows (the placement of server.admin.bulk_load)."""
    place: dict[str, tuple[str, str | None]] = {}
    for tbl in TABLES:
        for row in c.rows.get(tbl, []):
            version += 1
            data = full_row(tbl, row)
            subject = None
            if tbl == "households":
                scope, household = data["hamlet_id"], row["id"]
                place[row["id"]] = (scope, household)
            elif tbl == "persons":
                scope, household = place[data["household_id"]]
                place[row["id"]] = (scope, household)
            elif tbl == "support_items":
                (scope, household), subject = place[data["subject_id"]], data["subject_id"]
            elif tbl == "visits":
                scope, household = place[data["household_id"]]
            else:
                scope, household = data["area_id"], None
            yield (
                tbl,
                row["id"],
                scope,
                c.id,
                household,
                subject,
                version,
                False,
                orjson.dumps(data).decode(),
                "{}",
                now,
            )


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _load(url: str, make, count: int, users: dict) -> dict:
    """Create the schema, the areas and users, COPY ``count`` communes made by ``make(i)``,
    build the indexes, the tallies and a year of snapshots. Returns timings and sizes."""
    engine = create_engine(url)
    settings = Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=1024)
    schema.upgrade(engine)
    admin.load_areas(engine, province.province_areas(PROVINCE, "Tỉnh Bến Sông"))
    timings: dict = {}
    start = time.perf_counter()
    version, rows, first = 0, 0, None
    with psycopg.connect(_conninfo(url)) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("ALTER TABLE records DROP CONSTRAINT records_pkey")
        for index in records_t.indexes:
            conn.execute(f"DROP INDEX {index.name}")
        conn.commit()
        for i in range(count):
            commune = make(i)
            if first is None:
                first = commune
            admin.load_areas(engine, commune.areas)
            sql = f"COPY records ({', '.join(COLUMNS)}) FROM STDIN"
            with conn.cursor() as cursor, cursor.copy(sql) as copy:
                for record in _records(commune, version, time.time()):
                    copy.write_row(record)
                    version, rows = record[6], rows + 1
            conn.commit()
            if i % 10 == 9:
                _log(f"{i + 1} communes, {rows:,} rows, {time.perf_counter() - start:.0f} s")
        timings["copy_s"] = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("ALTER TABLE records ADD PRIMARY KEY (tbl, id)")
        conn.commit()
        for index in records_t.indexes:
            sql = str(sa.schema.CreateIndex(index).compile(dialect=engine.dialect))
            conn.execute(sql)
            conn.commit()
        conn.execute("UPDATE server_state SET version = %s WHERE id = 1", (version,))
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
        timings["index_s"] = time.perf_counter() - start
    for username, (role, commune_id) in users.items():
        admin.add_user(
            engine,
            settings,
            username,
            PASSWORD,
            role,
            commune_id=commune_id if role != "province_viewer" else None,
            province_id=PROVINCE if role == "province_viewer" else None,
        )
    start = time.perf_counter()
    tallies.rebuild(engine)
    timings["tallies_s"] = time.perf_counter() - start
    start = time.perf_counter()
    _year_of_snapshots(engine)
    timings["snapshots_s"] = time.perf_counter() - start
    with engine.connect() as conn:
        size = lambda t: conn.execute(sa.text(f"SELECT pg_total_relation_size('{t}')")).scalar()  # noqa: E731
        timings.update(
            rows=rows,
            records_bytes=size("records"),
            tallies_bytes=size("tallies"),
            snapshots_bytes=size("tally_snapshots"),
            tallies_rows=conn.execute(sa.text("SELECT count(*) FROM tallies")).scalar(),
        )
    engine.dispose()
    timings["first"] = first
    return timings


def _year_of_snapshots(engine) -> None:
    """Today's snapshot, and the same figures under each of the 364 days before (what a
    year of daily snapshots weighs and costs to read; the figures themselves do not matter
    here)."""
    today = snapshots.today()
    with engine.begin() as conn:
        snapshots.take(conn, today)
        kept = conn.execute(
            sa.text("SELECT area_id, data FROM tally_snapshots WHERE day = :d"),
            {"d": today.isoformat()},
        ).all()
    with psycopg.connect(_conninfo(str(engine.url.render_as_string(hide_password=False)))) as conn:
        with conn.cursor() as cursor:
            with cursor.copy("COPY tally_snapshots (day, area_id, data) FROM STDIN") as copy:
                for back in range(1, 365):
                    day = (today - dt.timedelta(days=back)).isoformat()
                    for area_id, data in kept:
                        copy.write_row((day, area_id, data))
            with cursor.copy("COPY snapshot_days (day, year, taken_at) FROM STDIN") as copy:
                for back in range(1, 365):
                    day = today - dt.timedelta(days=back)
                    copy.write_row((day.isoformat(), day.year, time.time()))
        conn.execute("ANALYZE tally_snapshots")
        conn.commit()


# -- the web pages ------------------------------------------------------------------------------


def _web_session(base_url: str, username: str) -> httpx.Client:
    http = httpx.Client(base_url=base_url, timeout=120)
    form = http.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    answer = http.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": csrf, "next": "/"}
    )
    assert answer.status_code == 303, answer.text[:300]
    return http


def _page_times(http: httpx.Client, path: str, n: int = 50) -> list[float]:
    answer = http.get(path)  # warm: the day's snapshot, the statements prepared
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    times = []
    for _ in range(n):
        start = time.perf_counter()
        answer = http.get(path)
        answer.read()
        times.append(time.perf_counter() - start)
        assert answer.status_code == 200
    return times


# -- pushes with and without the tallies --------------------------------------------------------


class Device:
    def __init__(self, base_url: str):
        self.base_url = base_url
        transport = httpx.HTTPTransport(
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        )
        with httpx.Client(base_url=base_url, timeout=60, transport=transport) as http:
            login = http.post(
                API + "/auth/login",
                json={"username": "bench", "password": PASSWORD, "device_name": "bench"},
            ).json()
            self.token = login["token"]
            self.user_id = login["user"]["id"]
            hello = http.post(
                API + "/sync/hello",
                headers={"Authorization": f"Bearer {self.token}"},
                json={"client_id": None, "app_version": "bench", "protocol": 1},
            ).json()
        self.client_id, self.epoch = hello["client_id"], hello["epoch"]
        self.node = self.client_id.replace("-", "")[:12]
        self.next_id = 1

    def body(self, planned: list[tuple[str, str, dict]]) -> bytes:
        from bench.bench_server import stamped_mutations

        mutations = stamped_mutations(planned, self.next_id, self.node)
        self.next_id += len(mutations)
        return json.dumps(
            {"client_id": self.client_id, "epoch": self.epoch, "mutations": mutations}
        ).encode()


def _creates(hamlet: str) -> list[tuple[str, str, dict]]:
    out: list[tuple[str, str, dict]] = []
    while len(out) < 50:
        hid, pid = str(uuid.uuid4()), str(uuid.uuid4())
        out.append(("households", hid, {"hamlet_id": hamlet, "address": "Số 1, tổ 2"}))
        out.append(
            (
                "persons",
                pid,
                {"household_id": hid, "full_name": "Trần Văn Bình", "birth_date": "1990"},
            )
        )
        out.append(
            (
                "support_items",
                ids.support_item_id(pid, "bank_account"),
                {
                    "subject_type": "person",
                    "subject_id": pid,
                    "item_code": "bank_account",
                    "state": "guided",
                },
            )
        )
    return out[:50]


ITEMS = ("vneid_l2", "bank_account", "smartca", "dvc_account")


def _edits(persons: list[dict], user_id: str, state: str) -> list[tuple[str, str, dict]]:
    """Ten persons of different households: a visit to each household and four of the
    person's items moved to ``state``."""
    out: list[tuple[str, str, dict]] = []
    for p in persons:
        out.append(
            (
                "visits",
                str(uuid.uuid4()),
                {
                    "household_id": p["household_id"],
                    "visited_at": "2026-11-20T09:30:00+07:00",
                    "volunteer_id": user_id,
                    "outcome": "met",
                },
            )
        )
        for code in ITEMS:
            out.append(
                (
                    "support_items",
                    ids.support_item_id(p["id"], code),
                    {
                        "subject_type": "person",
                        "subject_id": p["id"],
                        "item_code": code,
                        "state": state,
                        "reason": None,
                    },
                )
            )
    return out


async def _push_times(devices: dict[str, Device], plans: list) -> dict[str, list[float]]:
    """Push each plan to both servers in turn (the order alternating), one push at a time."""
    wires = {}
    for name, d in devices.items():
        url = httpx.URL(d.base_url)
        wires[name] = await Wire(url.host, url.port, d.token).open()
    times: dict[str, list[float]] = {name: [] for name in devices}
    try:
        for n, plan in enumerate(plans):
            order = list(devices) if n % 2 == 0 else list(reversed(devices))
            for name in order:
                body = devices[name].body(plan(name))
                start = time.perf_counter()
                status, answer = await wires[name].post(API + "/sync/push", body)
                times[name].append(time.perf_counter() - start)
                results = json.loads(answer)["results"] if status == 200 else None
                if status != 200 or any(r["status"] == "rejected" for r in results):
                    raise RuntimeError(f"push: {status} {answer[:300]!r}")
    finally:
        for wire in wires.values():
            await wire.close()
    return times


def _pushes(url: str, commune: province.Commune, rounds: int) -> dict:
    hamlets = [h for h in (a["id"] for a in commune.areas) if h != commune.id] or [
        commune.rows["households"][0]["hamlet_id"]
    ]
    adults = [
        p
        for p in commune.rows["persons"]
        if p["status"] in ("present", "away") and 2026 - int(p["birth_date"][:4]) >= 18
    ]
    by_household: dict[str, dict] = {}
    for p in adults:
        by_household.setdefault(p["household_id"], p)
    people = list(by_household.values())
    env = {**CHEAP_PASSWORDS, "GOCUA_LOG_LEVEL": "warning"}
    with (
        ServerProcess(url, env=env) as on,
        ServerProcess(url, env={**env, "GOCUA_TALLIES": "0"}) as off,
    ):
        devices = {"on": Device(on.base_url), "off": Device(off.base_url)}
        create_plans = [
            (lambda name, i=i: _creates(hamlets[i % len(hamlets)])) for i in range(rounds)
        ]
        states = ("guided", "done", "pending")

        def edit_plan(i):
            def plan(name):
                # Each server edits its own persons: both start from the same kind of rows.
                offset = 0 if name == "on" else len(people) // 2
                chosen = people[offset + (i * 10) % (len(people) // 2) :][:10]
                return _edits(chosen, devices[name].user_id, states[i % 3])

            return plan

        edit_plans = [edit_plan(i) for i in range(rounds)]
        creates = asyncio.run(_push_times(devices, create_plans))
        edits = asyncio.run(_push_times(devices, edit_plans))
    return {"creates": creates, "edits": edits}


# -- pulls on the province's database and alone -------------------------------------------------


def _pull_and_sync(base_url: str) -> dict:
    from bench.bench_server import _noop_pulls, timed_first_pull

    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    with httpx.Client(base_url=base_url, timeout=300, transport=transport) as http:
        first = timed_first_pull(http)
        hello_body = {"client_id": first.client_id, "app_version": "bench", "protocol": 1}
        hellos = []
        for _ in range(40):
            start = time.perf_counter()
            assert http.post(API + "/sync/hello", headers=first.headers, json=hello_body).is_success
            hellos.append(time.perf_counter() - start)
    body = json.dumps(
        {"client_id": first.client_id, "cursor": first.cursor, "limit": 1000}
    ).encode()
    noop = asyncio.run(_noop_pulls(base_url, first.token, body, 60))
    return {
        "rows": first.rows,
        "first_pull_s": first.seconds,
        "hello_ms": statistics.median(hellos[10:]) * 1000,
        "noop_pull_ms": statistics.median(noop[10:]) * 1000,
    }


def _pull_plan(url: str, commune_id: str) -> str:
    """The plan of a leader's first pull page on the province's database."""
    from server.pull import _PAGE_OF_COMMUNE

    engine = create_engine(url)
    try:
        compiled = _PAGE_OF_COMMUNE.compile(engine)
        params = {"commune": commune_id, "v": 0, "t": "", "i": "", "snapshot": 2**62, "n": 5001}
        with engine.connect() as conn:
            found = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), params)
            lines = [row[0] for row in found]
    finally:
        engine.dispose()
    return "\n".join(lines)


# -- the run ------------------------------------------------------------------------------------


def run(quick: bool) -> list[Result]:
    communes = 4 if quick else 100
    persons = 8_000 if quick else int(os.environ.get("GOCUA_BENCH_WEB_PERSONS", 2_000_000))
    households = max(10, round(persons / communes / 3.62))
    rounds = 10 if quick else 30
    cluster = PostgresCluster.start(options=OPTIONS)
    out: list[Result] = []
    group = "web/postgresql"
    try:
        url = cluster.create_database("province")
        users = {
            "bench": ("leader", f"{PROVINCE}-X001"),
            "tinh": ("province_viewer", None),
        }
        make = lambda i: province.commune(i, PROVINCE, households)  # noqa: E731
        _log(f"loading {communes} communes of {households:,} households")
        loaded = _load(url, make, communes, users)
        first: province.Commune = loaded["first"]
        size_note = (
            f"{communes} communes, {loaded['rows']:,} rows, "
            f"{sum(len(c) for c in [first.rows['persons']]) * communes:,} persons (about)"
        )
        _log(f"loaded: {size_note}; " + str({k: v for k, v in loaded.items() if k != "first"}))
        out += [
            Result(group, "province loaded", loaded["rows"], "rows", "", None, size_note),
            Result(
                group, "load: COPY", round(loaded["copy_s"]), "s", "", None, "rows made in Python"
            ),
            Result(group, "load: indexes and ANALYZE", round(loaded["index_s"]), "s"),
            Result(group, "rebuild-tallies (whole province)", round(loaded["tallies_s"], 1), "s"),
        ]
        with ServerProcess(url, env={**CHEAP_PASSWORDS, "GOCUA_LOG_LEVEL": "warning"}) as server:
            http = _web_session(server.base_url, "tinh")
            since = (snapshots.today() - dt.timedelta(days=30)).isoformat()
            ranking = _page_times(http, f"/province/{PROVINCE}?since={since}")
            commune = _page_times(http, f"/commune/{first.id}?indicator=ehealth&since={since}")
            xlsx = _page_times(http, f"/province/{PROVINCE}/ranking.xlsx?since={since}", 10)
            http.close()
        for name, times, goal in (
            ("ranking page (100 communes)" if not quick else "ranking page", ranking, 0.300),
            ("commune page", commune, 0.200),
        ):
            p50, p95 = _percentile(times, 0.5), _percentile(times, 0.95)
            out.append(
                Result(
                    group,
                    f"{name}, p95 of 50",
                    round(p95 * 1000, 1),
                    "ms",
                    f"< {goal * 1000:.0f} ms",
                    p95 < goal,
                    f"p50 {p50 * 1000:.1f} ms; signed in, through httpx",
                )
            )
        out.append(
            Result(
                group, "ranking XLSX, median of 10", round(statistics.median(xlsx) * 1000, 1), "ms"
            )
        )
        _log("one commune's pulls: in the province, and alone")
        plan = _pull_plan(url, first.id)
        _log("plan of a leader's first pull page:\n" + plan)
        with ServerProcess(url, env={**CHEAP_PASSWORDS, "GOCUA_LOG_LEVEL": "warning"}) as server:
            big = _pull_and_sync(server.base_url)
        alone_url = cluster.create_database("alone")
        # The same commune again, rows identical (same seed and day), alone in its database.
        _load(alone_url, lambda i: province.commune(0, PROVINCE, households), 1, users)
        with ServerProcess(
            alone_url, env={**CHEAP_PASSWORDS, "GOCUA_LOG_LEVEL": "warning"}
        ) as server:
            alone = _pull_and_sync(server.base_url)
        assert big["rows"] == alone["rows"], (big, alone)
        for key, label in (
            ("first_pull_s", f"first pull of one commune ({big['rows']:,} rows)"),
            ("noop_pull_ms", "no-op pull (median, minimal client)"),
            ("hello_ms", "hello (median)"),
        ):
            ratio = big[key] / alone[key]
            unit = "s" if key.endswith("_s") else "ms"
            out.append(
                Result(
                    group,
                    f"{label}: in the province / alone",
                    round(ratio, 2),
                    "x",
                    "<= 1.5x",
                    ratio <= 1.5,
                    f"{big[key]:.2f} / {alone[key]:.2f} {unit}",
                )
            )
        _log("pushes with and without the tallies")
        pushes = _pushes(url, first, rounds)
        for kind, times in pushes.items():
            on, off = statistics.median(times["on"]), statistics.median(times["off"])
            ratio = on / off
            out.append(
                Result(
                    group,
                    f"push of 50 {kind}: with / without tallies",
                    round(ratio, 3),
                    "x",
                    "<= 1.10",
                    ratio <= 1.10,
                    f"medians {on * 1000:.1f} / {off * 1000:.1f} ms over {len(times['on'])} "
                    "interleaved pushes each, 1 worker each",
                )
            )
        engine = create_engine(url)
        drift = tallies.check(engine, [first.id])  # the pushes without tallies left them behind
        tallies.rebuild(engine, [first.id])
        exact = tallies.check(engine, [first.id]) == {}
        engine.dispose()
        out.append(
            Result(
                group,
                "tallies exact after rebuild-tallies",
                1.0 if exact and drift else 0.0,
                "",
                "yes",
                exact and bool(drift),
                "the pushes without tallies had left them behind, as expected",
            )
        )
        out += [
            Result(group, "records: size on disk", round(loaded["records_bytes"] / 2**20), "MiB"),
            Result(
                group,
                "tallies: size on disk",
                round(loaded["tallies_bytes"] / 2**20, 1),
                "MiB",
                "",
                None,
                f"{loaded['tallies_rows']:,} rows; "
                f"{100 * loaded['tallies_bytes'] / loaded['records_bytes']:.3f}% of the records",
            ),
            Result(
                group,
                "a year of daily snapshots: size",
                round(loaded["snapshots_bytes"] / 2**20, 1),
                "MiB",
            ),
        ]
        index_line = next((line for line in plan.splitlines() if "Index" in line), plan[:120])
        out.append(
            Result(group, "pull's plan on the province", 0.0, "", "", None, index_line.strip())
        )
    finally:
        cluster.stop()
    return out


if __name__ == "__main__":
    import sys

    from bench import format_table

    print(format_table(run(quick="--quick" in sys.argv)))
