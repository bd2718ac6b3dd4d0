"""Issue 19: the sync over simulated 3G and 2G links (tests/support/link.py), beside Kinto.

One SQLite server with a 20,000-person demo commune (``--quick``: 2,000), a volunteer of the
hamlet nearest 2,000 persons (quick: 200) and the leader. Kinto (memory backend, set up as in
``bench_kinto``) holds the same rows, one record per row with its table in a field, in a
collection for the hamlet and one for the commune: Kinto's best case (one collection, one
conditional request). Both are measured through the same simulated link, in the same run:

- no-op sync on an open connection (ours: one checked pull; Kinto: a conditional GET, 304),
  median of 5, and ours on a fresh connection (what a background sync after the server's
  keep-alive has closed pays: the TCP handshake too);
- a day's work: 100 of the device's edits pushed and 100 rows changed by another device
  pulled (ours: the sync; Kinto: one batch of 100 PUTs, then a GET since its ETag);
- first pull of the hamlet and of the commune into an empty profile (ours: the whole sync
  into the store, checksum included; Kinto: every page of the collection, decoded).

The device runs in a process of its own (its CPU does not slow the simulator); the link counts
requests and bytes. Kinto's commune is not loaded: its memory backend slows down as it grows
(70,000 of the 156,000 rows after 25 minutes, and slower each batch), and on 2G its pull would
take about an hour (it sends JSON as it is, ~330 bytes a row). Its time there is worked out
from what it sent for the hamlet through the same link: its bytes a row times the commune's
rows at the link's rate, plus a round trip for each of its pages of 1,000.
Each side's figures are written to ``bench-links.json`` in the temporary folder's parent as
they come (``GOCUA_BENCH_OUT`` to choose), so a long run that fails keeps what it measured.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

from bench import Result
from bench.bench_kinto import Kinto
from bench.bench_server import PASSWORD, _prepare
from server import admin
from server.db import create_engine
from server.settings import Settings
from tests.support.link import PROFILES, Link, Profile
from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess

GROUP = "links"
ROUND = {"3G": 3, "2G": 2}  # another digit in each run's edits: each changes the rows

DEVICE = r"""
import json, sys, time
from sqlalchemy import text
from desktop.services import Services
from desktop.store import Store
from desktop.sync.client import SyncClient
from desktop.sync.engine import SyncEngine

url, token, profile, mode, note = sys.argv[1:6]
store = Store.open(profile)
client = SyncClient(url, token, timeout=900, background=True)
engine = SyncEngine(store, client)
out = {"windows": []}


def timed(label):
    start = time.monotonic()
    report = engine.sync()
    end = time.monotonic()
    out["windows"].append([label, start, end])
    return report, end - start


if mode == "first":
    report, seconds = timed("first")
    out.update(seconds=seconds, rows=report.pulled, checksum_ok=report.checksum_ok)
elif mode == "noop":
    engine.sync()  # opens the connection
    seconds = [timed("noop")[1] for _ in range(5)]
    out["seconds"] = sorted(seconds)[2]
    for _ in range(3):  # a fresh connection each time
        engine.client.close()
        engine.client = client = SyncClient(url, token, timeout=900, background=True)
        timed("fresh")
elif mode == "day":
    services = Services(store)
    with store.read() as conn:
        mine = conn.execute(text(
            "SELECT id FROM persons WHERE deleted = 0 ORDER BY id DESC LIMIT 100")).scalars().all()
    for person in mine:
        services.update_person(person, note=note)
    client.summary()  # opens the connection (not timed)
    report, seconds = timed("day")
    out.update(seconds=seconds, pushed=report.pushed, pulled=report.pulled)
print(json.dumps(out))
"""


def _device(url: str, token: str, profile: Path, mode: str, note: str = "") -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", DEVICE, url, token, str(profile), mode, note or "-"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"device failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _within(link: Link, start: float, end: float) -> list:
    return [r for r in link.requests if start - 0.001 <= r.started <= end + 0.001]


def _wire(requests_: list) -> tuple[int, int]:
    return sum(r.up_bytes for r in requests_), sum(r.down_bytes for r in requests_)


def _login(base_url: str, username: str) -> str:
    answer = requests.post(
        base_url + "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_name": "bench"},
        timeout=60,
    )
    answer.raise_for_status()
    return answer.json()["token"]


def _other_device_edits(
    base_url: str, token: str, persons: list[tuple[str, int]], round_: int
) -> None:
    """Another volunteer's 100 edits, straight to the server (not through the link)."""
    from desktop.sync.client import SyncClient
    from gocua import hlc

    client = SyncClient(base_url, token)
    try:
        hello = client.hello(None)
        clock = hlc.Clock(hlc.node_for_client(hello["client_id"]))
        mutations = [
            {
                "id": n + 1,
                "hlc": clock.now(),
                "table": "persons",
                "row_id": person,
                "op": "upsert",
                "base_version": version,
                "fields": {"phone": f"09{round_}{n:07d}"},
            }
            for n, (person, version) in enumerate(persons)
        ]
        answer = client.push(hello["client_id"], hello["epoch"], mutations)
        assert all(r["status"] in ("applied", "merged") for r in answer["results"]), answer
    finally:
        client.close()


# -- Kinto ------------------------------------------------------------------------------------


def _kinto_load(kinto: Kinto, bucket: str, rows: list[dict]) -> str:
    base = kinto.base
    kinto.session.put(f"{base}/buckets/{bucket}").raise_for_status()
    kinto.session.put(f"{base}/buckets/{bucket}/collections/rows").raise_for_status()
    for start in range(0, len(rows), 1000):
        batch = [
            {
                "method": "PUT",
                "path": f"/buckets/{bucket}/collections/rows/records/{r['id']}",
                "body": {"data": {k: v for k, v in r.items() if k != "id"}},
            }
            for r in rows[start : start + 1000]
        ]
        kinto.session.post(base + "/batch", json={"requests": batch}).raise_for_status()
    return f"/buckets/{bucket}/collections/rows/records"


class KintoDevice:
    """Kinto's client side through the link: pages of ``_since``, conditional GETs, batches."""

    def __init__(self, link: Link, path: str):
        self.session = requests.Session()
        self.session.auth = ("bench", "bench")
        self.base = link.url + "/v1"
        self.path = path
        self.etag = "0"

    def pull(self) -> tuple[int, int]:
        url = f"{self.base}{self.path}?_since={self.etag}&_sort=last_modified&_limit=1000"
        rows = pages = 0
        while url:
            answer = self.session.get(url, timeout=3600)
            answer.raise_for_status()
            rows += len(answer.json()["data"])
            pages += 1
            self.etag = answer.headers.get("ETag", self.etag).strip('"')
            url = answer.headers.get("Next-Page")
        return rows, pages

    def noop(self) -> int:
        answer = self.session.get(
            f"{self.base}{self.path}?_since={self.etag}&_sort=last_modified",
            headers={"If-None-Match": f'"{self.etag}"'},
            timeout=600,
        )
        return answer.status_code

    def push(self, records: list[dict]) -> None:
        batch = [
            {
                "method": "PUT",
                "path": f"{self.path}/{r['id']}",
                "body": {"data": {k: v for k, v in r.items() if k != "id"}},
            }
            for r in records
        ]
        answer = self.session.post(self.base + "/batch", json={"requests": batch}, timeout=600)
        answer.raise_for_status()


def _kinto_side(kinto: Kinto, profile: Profile, hamlet: list[dict]) -> dict:
    out: dict = {}
    with Link.to(kinto.base.removesuffix("/v1"), profile) as link:
        device = KintoDevice(link, "/buckets/hamlet/collections/rows/records")
        start = time.monotonic()
        rows, pages = device.pull()
        out["hamlet"] = {
            "seconds": time.monotonic() - start,
            "rows": rows,
            "pages": pages,
            "wire": _wire(link.requests),
            "round_trips": link.round_trips(),
        }
        times, counted = [], []
        for _ in range(5):  # the first on the pull's open connection
            link.reset_counters()
            start = time.monotonic()
            status = device.noop()
            times.append(time.monotonic() - start)
            counted.append((link.round_trips(), *_wire(link.requests), status))
        # Kinto's server (waitress) closes the connection after a 304: the next conditional
        # request pays a handshake. Both are reported.
        out["noop"] = {
            "seconds": times[0],
            "requests": counted[0],
            "then_seconds": sorted(times[1:])[1],
            "then_round_trips": counted[2][0],
        }
        # A day's work: another device's 100 changes (straight to Kinto), then ours.
        persons = [r for r in hamlet if r["table"] == "persons"]
        others = [
            {**r, "phone": f"09{ROUND.get(profile.name, 1)}{n:07d}"}
            for n, r in enumerate(persons[:100])
        ]
        kinto.session.post(
            kinto.base + "/batch",
            json={
                "requests": [
                    {
                        "method": "PUT",
                        "path": f"/buckets/hamlet/collections/rows/records/{r['id']}",
                        "body": {"data": {k: v for k, v in r.items() if k != "id"}},
                    }
                    for r in others
                ]
            },
        ).raise_for_status()
        mine = [{**r, "note": f"đã gặp ({profile.name})"} for r in persons[-100:]]
        link.reset_counters()
        start = time.monotonic()
        device.push(mine)
        changed, _ = device.pull()
        out["day"] = {
            "seconds": time.monotonic() - start,
            "pulled": changed,
            "requests": len(link.requests),
            "round_trips": link.round_trips(),
            "wire": _wire(link.requests),
        }
    return out


def _kinto_commune(hamlet: dict, rows: int, profile: Profile) -> dict:
    """Kinto's commune pull worked out from its hamlet's through the same link."""
    per_row = sum(hamlet["wire"]) / hamlet["rows"]
    pages = -(-rows // 1000)
    seconds = per_row * rows * 8 / profile.down_bps + pages * profile.rtt
    wire = (0, round(per_row * rows))
    return {"seconds": seconds, "rows": rows, "pages": pages, "wire": wire, "estimated": True}


def _kinto_bodies_gzipped(kinto: Kinto, path: str) -> float:
    """Bytes a row if a proxy in front of Kinto gzipped its pages (level 6): for reference."""
    session = requests.Session()
    session.auth = ("bench", "bench")
    url = f"{kinto.base}{path}?_since=0&_sort=last_modified&_limit=1000"
    rows = size = 0
    while url:
        answer = session.get(url, headers={"Accept-Encoding": "identity"})
        rows += len(answer.json()["data"])
        size += len(gzip.compress(answer.content, 6))
        url = answer.headers.get("Next-Page")
    return size / max(rows, 1)


# -- ours -------------------------------------------------------------------------------------


def _our_side(
    server: ServerProcess, folder: Path, profile: Profile, tokens: dict, persons: list
) -> dict:
    out: dict = {}
    with Link.to(server.base_url, profile) as link:

        def run(name: str, token: str, mode: str, path: Path) -> dict:
            link.reset_counters()
            answer = _device(link.url, token, path, mode, f"đã gặp ({profile.name})")
            answer["requests"] = list(link.requests)
            return answer

        hamlet_profile = folder / f"vol-{profile.name}.sqlite"
        first = run("hamlet", tokens["vol"], "first", hamlet_profile)
        out["hamlet"] = {
            **first,
            "wire": _wire(first["requests"]),
            "round_trips": link.round_trips(first["requests"]),
            "pages": sum(r.path.endswith("/sync/pull") for r in first["requests"]),
        }
        noop = run("noop", tokens["vol"], "noop", hamlet_profile)
        windows = noop["windows"]
        timed = [w for w in windows if w[0] == "noop"]
        fresh = [w for w in windows if w[0] == "fresh"]
        middle = sorted(timed, key=lambda w: w[2] - w[1])[2]
        within = [r for r in noop["requests"] if middle[1] <= r.started <= middle[2]]
        fresh_seconds = sorted(w[2] - w[1] for w in fresh)[1]
        out["noop"] = {
            "seconds": middle[2] - middle[1],
            "requests": [r.path.rsplit("/", 1)[1] for r in within],
            "round_trips": link.round_trips(within),
            "wire": _wire(within),
            "fresh_seconds": fresh_seconds,
        }
        _other_device_edits(server.base_url, tokens["vol2"], persons, ROUND.get(profile.name, 1))
        day = run("day", tokens["vol"], "day", hamlet_profile)
        window = day["windows"][0]
        within = [r for r in day["requests"] if window[1] <= r.started <= window[2]]
        out["day"] = {
            "seconds": day["seconds"],
            "pushed": day["pushed"],
            "pulled": day["pulled"],
            "requests": [r.path.rsplit("/", 1)[1] for r in within],
            "round_trips": link.round_trips(within),
            "wire": _wire(within),
        }
        commune = run("commune", tokens["bench"], "first", folder / f"leader-{profile.name}.db")
        out["commune"] = {
            **commune,
            "wire": _wire(commune["requests"]),
            "pages": sum(r.path.endswith("/sync/pull") for r in commune["requests"]),
        }
    return out


def _save(path: Path, figures: dict) -> None:
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "requests" or not value[k]}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value if isinstance(value, int | float | str | bool | type(None)) else repr(value)

    path.write_text(json.dumps(plain(figures), indent=1))


def _persons_of_hamlet(url: str, hamlet: str) -> list[tuple[str, int]]:
    import sqlalchemy as sa

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    sa.text(
                        "SELECT id, version FROM records WHERE tbl = 'persons' "
                        "AND scope_area = :h AND deleted = :f ORDER BY id LIMIT 100"
                    ),
                    {"h": hamlet, "f": False},
                )
            ]
    finally:
        engine.dispose()


def run(quick: bool) -> list[Result]:
    persons = 2_000 if quick else 20_000
    target = 200 if quick else 2_000
    results: list[Result] = []
    out = Path(os.environ.get("GOCUA_BENCH_OUT") or tempfile.gettempdir()) / "bench-links.json"
    with tempfile.TemporaryDirectory(prefix="gocua-bench-links-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'server.sqlite'}"
        commune = _prepare(url, persons)
        households = {h["id"]: h["hamlet_id"] for h in commune.households}
        per_hamlet = Counter(households[p["household_id"]] for p in commune.persons)
        hamlet = min(per_hamlet, key=lambda h: abs(per_hamlet[h] - target))
        engine = create_engine(url)
        settings = Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=1024)
        leader = next(u for u in commune.users if u["role"] == "leader")
        for username in ("vol", "vol2"):
            admin.add_user(
                engine,
                settings,
                username,
                PASSWORD,
                "volunteer",
                commune_id=leader["commune_id"],
                hamlet_ids=[hamlet],
            )
        engine.dispose()
        tables = commune.rows()
        all_rows = [{"table": t, **r} for t, rows in tables.items() for r in rows]
        household_ids = {h["id"] for h in commune.households if h["hamlet_id"] == hamlet}
        person_ids = {p["id"] for p in commune.persons if p["household_id"] in household_ids}
        in_hamlet = household_ids | person_ids
        hamlet_rows = [
            r
            for r in all_rows
            if r["id"] in in_hamlet
            or r.get("household_id") in household_ids
            or r.get("subject_id") in in_hamlet
            or r["table"] == "targets"
            and r["area_id"] in (hamlet, leader["commune_id"])
        ]

        ours: dict[str, dict] = {}
        env = {**CHEAP_PASSWORDS, "GOCUA_LOG_LEVEL": "warning"}
        with ServerProcess(url, env=env) as server:
            tokens = {u: _login(server.base_url, u) for u in ("vol", "vol2", "bench")}
            for name in ("3G", "2G"):
                print(f"  ours on {name} ...", file=sys.stderr, flush=True)
                others = _persons_of_hamlet(url, hamlet)
                ours[name] = _our_side(server, folder, PROFILES[name], tokens, others)
                _save(out, {"ours": ours})

        theirs: dict[str, dict] = {}
        kinto = Kinto(folder, "memory")
        try:
            print("  loading Kinto ...", file=sys.stderr, flush=True)
            _kinto_load(kinto, "hamlet", hamlet_rows)
            kinto_gz = _kinto_bodies_gzipped(kinto, "/buckets/hamlet/collections/rows/records")
            for name in ("3G", "2G"):
                print(f"  Kinto on {name} ...", file=sys.stderr, flush=True)
                theirs[name] = _kinto_side(kinto, PROFILES[name], hamlet_rows)
                theirs[name]["commune"] = _kinto_commune(
                    theirs[name]["hamlet"], ours[name]["commune"]["rows"], PROFILES[name]
                )
                _save(out, {"ours": ours, "theirs": theirs})
        finally:
            kinto.stop()
        results.extend(_results(ours, theirs, per_hamlet[hamlet], kinto_gz))
    return results


def _results(ours: dict, theirs: dict, hamlet_persons: int, kinto_gz: float) -> list[Result]:
    results = []
    for name in ("3G", "2G"):
        o, k = ours[name], theirs[name]
        group = f"{GROUP}/{name}"
        three_g = name == "3G"

        def ratio(mine: float, other: float) -> str:
            return f"Kinto {other:,.2f} s: ours {other / mine:,.1f}x faster"

        noop = o["noop"]
        noop_bytes = sum(noop["wire"])
        kinto_noop = k["noop"]
        results.append(
            Result(
                group,
                "no-op sync, open connection",
                round(noop["seconds"], 3),
                "s",
                "1 round trip, < 0.4 s, < 1 KB" if three_g else "",
                (
                    noop["round_trips"] == 1 and noop["seconds"] < 0.4 and noop_bytes < 1024
                    if three_g
                    else None
                ),
                f"{'+'.join(noop['requests'])}, {noop['round_trips']} round trip(s), "
                f"{noop['wire'][0]} B up + {noop['wire'][1]} B down; "
                f"Kinto 304 {kinto_noop['seconds']:.3f} s, "
                f"{kinto_noop['requests'][1]} + {kinto_noop['requests'][2]} B, then "
                f"{kinto_noop['then_seconds']:.3f} s ({kinto_noop['then_round_trips']} round "
                "trips: its server closes after a 304); ours on a "
                f"fresh connection {noop['fresh_seconds']:.3f} s",
            )
        )
        day = o["day"]
        results.append(
            Result(
                group,
                f"push {day['pushed']} + pull {day['pulled']} (100 others' + own back)",
                round(day["seconds"], 3),
                "s",
                "<= 3 round trips, < 1.5 s" if three_g else "",
                day["round_trips"] <= 3 and day["seconds"] < 1.5 if three_g else None,
                f"{'+'.join(day['requests'])}, {day['round_trips']} round trips, "
                f"{day['wire'][0]:,} B up + {day['wire'][1]:,} B down; "
                + ratio(day["seconds"], k["day"]["seconds"])
                + f" ({k['day']['requests']} requests)",
            )
        )
        for key, label, goal_s, goal in (
            (
                "hamlet",
                f"first pull, hamlet of {hamlet_persons:,} persons",
                15,
                "< 15 s, <= 50 B/row",
            ),
            ("commune", "first pull, commune", 150, "< 150 s, resumable"),
        ):
            mine, other = o[key], k[key]
            per_row = sum(mine["wire"]) / max(mine["rows"], 1)
            kinto_row = sum(other["wire"]) / max(other["rows"], 1)
            ok = mine["seconds"] < goal_s and (key != "hamlet" or per_row <= 50)
            estimated = " (estimated from its hamlet's bytes)" if other.get("estimated") else ""
            results.append(
                Result(
                    group,
                    f"{label} ({mine['rows']:,} rows)",
                    round(mine["seconds"], 1),
                    "s",
                    goal if three_g else "",
                    ok if three_g else None,
                    f"{per_row:.1f} B/row, {mine['pages']} pages, checksum ok "
                    f"{mine['checksum_ok']}; Kinto {other['seconds']:,.1f} s{estimated}, "
                    f"{kinto_row:.0f} B/row, {other['pages']} pages: ours "
                    f"{other['seconds'] / mine['seconds']:,.1f}x faster"
                    + (f"; Kinto gzipped would be {kinto_gz:.0f} B/row" if key == "hamlet" else ""),
                )
            )
    return results


if __name__ == "__main__":
    from bench import format_table

    print(format_table(run(quick="--quick" in sys.argv)))
