"""Issue 5's benchmarks: the desktop's sync client against the real server on loopback.

On SQLite (the embedded server) and on PostgreSQL (a throwaway cluster with default
durability), one server process each, the device in a child process of its own (so its peak
memory is its own ``ru_maxrss``):

- first pull of a 20,000-person commune (about 141,000 rows) into an empty profile, as the app
  does it (``SyncEngine`` with its default page size; every page and its cursor saved in one
  transaction, then the summary checksum): rows per second, seconds (goal < 6 s), peak RSS;
- pushing 10,000 outbox mutations (the app's batches of 500): mutations per second (goal at
  least 100 x Kinto's 60/s, so >= 6,000/s);
- a no-op sync (hello, empty push, one empty pull page): median (goal < 20 ms);
- 100 rows changed by another device, pulled: median of the pull (goal < 10 ms).

``--quick``: 2,000 persons and 1,000 mutations. Kinto is not run here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import Result
from bench.bench_server import PASSWORD, _prepare  # one loader for both benchmarks
from desktop.sync.engine import PULL_PAGE
from tests.support.postgres import PostgresCluster
from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess

GROUP = "sync"

# The device: everything runs here, in a process of its own.
DEVICE = r"""
import json, resource, statistics, sys, time, uuid
from desktop.services import Services
from desktop.store import Store
from desktop.sync.client import SyncClient
from desktop.sync.engine import SyncEngine, SyncReport
from gocua import hlc

url, password, profile, pushes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def peak_rss_mib():
    # VmHWM is this process's own high-water mark; ru_maxrss would carry the parent's over
    # the fork (it survives exec), and the parent built a whole demo commune.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


out = {}
client = SyncClient(url, timeout=300)
client.login("bench", password, "bench-device")
store = Store.open(profile)
engine = SyncEngine(store, client)
rss_before = peak_rss_mib()
start = time.perf_counter()
report = engine.sync()
out["pull_seconds"] = time.perf_counter() - start
out["pull_rows"] = report.pulled
out["pull_checksum_ok"] = report.checksum_ok
out["rss_before_mib"] = rss_before
out["rss_peak_mib"] = peak_rss_mib()

# Push: a commune-wide import queues `pushes` mutations (households of 3 members: 4 each).
services = Services(store)
with store.read() as conn:
    from sqlalchemy import text
    hamlet = conn.execute(text("SELECT id FROM areas WHERE kind = 'hamlet' ORDER BY id")).scalar()
services.import_households([
    {"hamlet_id": hamlet, "address": f"Số {n}, đường đan",
     "members": [{"full_name": f"Người {n} {k}"} for k in range(3)]}
    for n in range(pushes // 4)
])
start = time.perf_counter()
push_report = SyncReport()
engine.push(push_report)
out["push_seconds"] = time.perf_counter() - start
out["pushed"] = push_report.pushed
engine.sync()  # pulls its own rows back

# No-op syncs.
noop = []
for _ in range(30):
    start = time.perf_counter()
    r = engine.sync()
    noop.append(time.perf_counter() - start)
    assert r.pushed == r.pulled == 0, r
out["noop_ms"] = statistics.median(noop[5:]) * 1000

# 100 rows changed elsewhere, then pulled.
other = SyncClient(url, timeout=60)
other.login("bench", password, "other-device")
hello = other.hello(None)
clock = hlc.Clock(hlc.node_for_client(hello["client_id"]))
with store.read() as conn:
    persons = conn.execute(text("SELECT id, version FROM persons ORDER BY id LIMIT 600")).all()
next_id, pulls, whole = 1, [], []
for round_ in range(6):
    batch = persons[round_ * 100:(round_ + 1) * 100]
    mutations = []
    for person, version in batch:
        mutations.append({"id": next_id, "hlc": clock.now(), "table": "persons", "row_id": person,
                          "op": "upsert", "base_version": version,
                          "fields": {"note": f"đổi lần {round_}"}})
        next_id += 1
    answer = other.push(hello["client_id"], hello["epoch"], mutations)
    assert all(r["status"] in ("applied", "merged") for r in answer["results"]), answer
    r = SyncReport()
    engine.hello(r)
    start = time.perf_counter()
    engine.pull(r)
    pulls.append(time.perf_counter() - start)
    assert r.pulled == 100, r
out["pull100_ms"] = statistics.median(pulls[1:]) * 1000
print(json.dumps(out))
"""


def _device(base_url: str, folder: Path, pushes: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", DEVICE, base_url, PASSWORD, str(folder / "profile.db"), str(pushes)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"device failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bench_backend(name: str, url: str, quick: bool) -> list[Result]:
    persons = 2_000 if quick else 20_000
    pushes = 1_000 if quick else 10_000
    _prepare(url, persons)
    with tempfile.TemporaryDirectory(prefix="gocua-bench-sync-") as folder:
        env = {**CHEAP_PASSWORDS, "GOCUA_LOG_LEVEL": "warning"}
        with ServerProcess(url, env=env) as server:
            m = _device(server.base_url, Path(folder), pushes)
    group = f"{GROUP}/{name}"
    rows, seconds = m["pull_rows"], m["pull_seconds"]
    push_rate = m["pushed"] / m["push_seconds"]
    return [
        Result(
            group,
            f"first pull ({rows:,} rows, {persons:,} persons)",
            round(rows / seconds),
            "rows/s",
            "",
            None,
            f"checksum ok: {m['pull_checksum_ok']}",
        ),
        Result(
            group,
            "first pull, whole",
            round(seconds, 2),
            "s",
            "< 6 s",
            seconds < 6,
            f"pages of {PULL_PAGE:,} (the engine's default), next page fetched while saving",
        ),
        Result(
            group,
            "first pull, device peak RSS",
            round(m["rss_peak_mib"], 1),
            "MiB",
            "",
            None,
            f"{m['rss_before_mib']:.0f} MiB before the pull",
        ),
        Result(
            group,
            f"push {m['pushed']:,} outbox mutations",
            round(push_rate),
            "mutations/s",
            ">= 6,000/s",
            push_rate >= 6000,
            f"{m['push_seconds']:.2f} s, batches of 500",
        ),
        Result(
            group, "no-op sync (median)", round(m["noop_ms"], 2), "ms", "< 20 ms", m["noop_ms"] < 20
        ),
        Result(
            group,
            "100 changed rows pulled (median)",
            round(m["pull100_ms"], 2),
            "ms",
            "< 10 ms",
            m["pull100_ms"] < 10,
        ),
    ]


def run(quick: bool) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="gocua-bench-sync-") as folder:
        url = f"sqlite:///{Path(folder) / 'server.sqlite'}"
        results.extend(_bench_backend("sqlite", url, quick))
    cluster = PostgresCluster.start(options=())
    try:
        url = cluster.create_database("bench_sync")
        results.extend(_bench_backend("postgresql", url, quick))
    finally:
        cluster.stop()
    return results


if __name__ == "__main__":
    from bench import format_table

    print(format_table(run(quick="--quick" in sys.argv)))
