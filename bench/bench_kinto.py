"""The peer a commune might pick instead: Kinto, on the same records, side by side with ours.

Both servers run on loopback, each with its embedded store (Kinto: memory; ours: SQLite) and
with PostgreSQL 15 (one throwaway cluster for both). The same person records are pushed in
batches of 1,000 (Kinto: ``POST /v1/batch`` with ``kinto.batch_max_requests = 1000``; ours: the
outbox through the sync engine), pulled whole with pagination (Kinto: ``_since`` and
``Next-Page``; ours: a full pull into an empty profile), then 100 changed rows and a no-op
pull. Kinto pulls only the pushed records; ours pulls the demo commune too, so its row count
is larger.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import text

from bench import Result
from desktop.store import Store
from desktop.store.identity import load_clock, save_clock
from desktop.store.rows import record_upsert
from desktop.sync.client import SyncClient
from desktop.sync.engine import SyncEngine, SyncReport
from gocua import demo
from tests.support.postgres import PostgresCluster, free_port
from tests.support.server_process import CHEAP_PASSWORDS, ServerProcess

GROUP = "vs Kinto"
ROOT = Path(__file__).resolve().parent.parent
KINTO_INI = """
[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = %(http_port)s
threads = 4

[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.{backend}
kinto.storage_url = {url}
kinto.cache_backend = kinto.core.cache.memory
kinto.cache_url =
kinto.permission_backend = kinto.core.permission.{backend}
kinto.permission_url = {url}
kinto.userid_hmac_secret = 6c1ab1e7ba5e5ecre7
multiauth.policies = basicauth
kinto.bucket_create_principals = system.Everyone
kinto.batch_max_requests = 1000
kinto.paginate_by = 1000

[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = plain
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = plain
[formatter_plain]
format = %(message)s
"""


class Kinto:
    def __init__(self, folder: Path, backend: str, url: str = ""):
        self.ini = folder / f"kinto-{backend}.ini"
        self.ini.write_text(KINTO_INI.format(backend=backend, url=url))
        kinto = str(Path(sys.executable).with_name("kinto"))
        if backend == "postgresql":
            subprocess.run(
                [kinto, "migrate", "--ini", str(self.ini)], check=True, capture_output=True
            )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/v1"
        self.log = open(folder / f"kinto-{backend}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [kinto, "start", "--ini", str(self.ini), "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.session = requests.Session()
        self.session.auth = ("bench", "bench")
        for _ in range(200):
            try:
                if self.session.get(self.base + "/").ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        self.session.put(self.base + "/buckets/gocua").raise_for_status()
        self.session.put(self.base + "/buckets/gocua/collections/persons").raise_for_status()
        self.records = self.base + "/buckets/gocua/collections/persons/records"

    def push(self, records: list[dict]) -> float:
        started = time.perf_counter()
        for start in range(0, len(records), 1000):
            requests_ = [
                {
                    "method": "PUT",
                    "path": f"/buckets/gocua/collections/persons/records/{r['id']}",
                    "body": {"data": {k: v for k, v in r.items() if k != "id"}},
                }
                for r in records[start : start + 1000]
            ]
            answer = self.session.post(self.base + "/batch", json={"requests": requests_})
            answer.raise_for_status()
        return time.perf_counter() - started

    def pull(self, since: str = "0") -> tuple[int, float, str]:
        started = time.perf_counter()
        url = f"{self.records}?_since={since}&_sort=last_modified&_limit=1000"
        count, etag = 0, since
        while url:
            answer = self.session.get(url)
            answer.raise_for_status()
            count += len(answer.json()["data"])
            etag = answer.headers.get("ETag", etag).strip('"')
            url = answer.headers.get("Next-Page")
        return count, time.perf_counter() - started, etag

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def _our_side(folder: Path, url: str, records: list[dict]) -> dict[str, float]:
    env = {**os.environ, **CHEAP_PASSWORDS}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "demo", "--database", url],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
    )
    numbers: dict[str, float] = {}
    with ServerProcess(url) as server:
        writer = _profile(folder / f"writer-{uuid.uuid4().hex[:6]}.sqlite", server.base_url)
        engine = SyncEngine(writer[0], writer[1])
        engine.sync()
        _queue_persons(writer[0], records)
        started = time.perf_counter()
        engine.push(SyncReport())
        numbers["push_s"] = time.perf_counter() - started

        reader = _profile(folder / f"reader-{uuid.uuid4().hex[:6]}.sqlite", server.base_url)
        reader_engine = SyncEngine(reader[0], reader[1], page_size=1000)
        started = time.perf_counter()
        report = reader_engine.sync()
        numbers["pull_s"] = time.perf_counter() - started
        numbers["pulled"] = report.pulled

        _queue_persons(writer[0], records[:100], edit=True)
        engine.push(SyncReport())
        reader_engine.hello(SyncReport())
        started = time.perf_counter()
        report = SyncReport()
        reader_engine.pull(report)
        numbers["changed_ms"] = (time.perf_counter() - started) * 1000
        numbers["changed_rows"] = report.pulled
        started = time.perf_counter()
        reader_engine.pull(SyncReport())
        numbers["noop_ms"] = (time.perf_counter() - started) * 1000
        for store, client in (writer, reader):
            client.close()
            store.close()
    return numbers


def _profile(path: Path, base_url: str) -> tuple[Store, SyncClient]:
    store = Store.open(path)
    client = SyncClient(base_url)
    client.login("totruong", "gocua-demo", "bench")
    return store, client


def _queue_persons(store: Store, records: list[dict], edit: bool = False) -> None:
    """Outbox mutations for the records, as the services would write them (one transaction)."""
    today = dt.date.today()
    with store.write() as conn:
        households = conn.execute(text("SELECT id FROM households LIMIT 500")).scalars().all()
        clock = load_clock(conn)
        for index, record in enumerate(records):
            fields = {k: v for k, v in record.items() if k != "id"}
            fields["household_id"] = households[index % len(households)]
            current = None
            if edit:
                row = conn.execute(
                    text("SELECT version FROM persons WHERE id = :id"), {"id": record["id"]}
                ).first()
                current = {**fields, "version": row[0] if row else 0, "deleted": False}
                fields = {"note": "đã sửa"}
            record_upsert(conn, clock.now(), "persons", record["id"], fields, current, today)
        save_clock(conn, clock)


def run(quick: bool) -> list[Result]:
    count = 1_000 if quick else 10_000
    commune = demo.generate(demo.households_for_persons(count * 1.2), seed=5)
    records = [dict(p) for p in commune.persons[:count]]
    results: list[Result] = []
    cluster = PostgresCluster.start()
    folder = Path(tempfile.mkdtemp(prefix="gocua-kinto-"))
    try:
        for label, backend in (("embedded", "memory"), ("PostgreSQL", "postgresql")):
            kinto_url = ""
            if backend == "postgresql":
                kinto_url = cluster.create_database("kinto").replace("+psycopg", "")
                ours_url = cluster.create_database("ours")
            else:
                ours_url = f"sqlite:///{folder / 'ours.sqlite'}"
            kinto = Kinto(folder, backend, kinto_url)
            try:
                push_s = kinto.push(records)
                pulled, pull_s, etag = kinto.pull()
                kinto.push([{**r, "note": "đã sửa"} for r in records[:100]])
                changed, changed_s, etag = kinto.pull(etag)
                _, noop_s, _ = kinto.pull(etag)
            finally:
                kinto.stop()
            ours = _our_side(folder, ours_url, records)
            rows = [
                ("push, records/s", count / push_s, count / ours["push_s"], "/s", True),
                ("full pull, rows/s", pulled / pull_s, ours["pulled"] / ours["pull_s"], "/s", True),
                ("100 changed rows pulled", changed_s * 1000, ours["changed_ms"], "ms", False),
                ("no-op pull", noop_s * 1000, ours["noop_ms"], "ms", False),
            ]
            for name, theirs, mine, unit, higher_is_better in rows:
                ratio = mine / theirs if higher_is_better else theirs / mine
                results.append(
                    Result(
                        GROUP,
                        f"{label}: {name}",
                        mine,
                        unit,
                        note=f"Kinto {theirs:,.1f} {unit}; ours {ratio:,.1f}x better"
                        if ratio >= 1
                        else f"Kinto {theirs:,.1f}; ours {1 / ratio:.1f}x worse",
                    )
                )
    finally:
        cluster.stop()
    return results
