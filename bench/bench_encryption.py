"""Issue 7's cost of encryption: the core's search and coverage benchmarks on the same
100,000-person profile, clear and SQLCipher-encrypted (goal: within 1.3x), and the time to
open an encrypted profile (the key derivation runs once per connection)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import Result
from desktop.demo_profile import create_demo_profile
from desktop.store import Store
from desktop.store.coverage import coverage_by_area
from desktop.store.search import search_persons
from gocua import demo
from gocua.catalogue import default_catalogue
from gocua.text import fold

GROUP = "encryption"
PASSPHRASE = "một mật khẩu dài cho hồ sơ"


def _measure(store: Store, queries: list[str]) -> tuple[float, float]:
    catalogue = default_catalogue()
    year = dt.date.today().year
    timings = []
    with store.read() as conn:
        search_persons(conn, "nguyen")
        for query in queries:
            started = time.perf_counter()
            search_persons(conn, query)
            timings.append((time.perf_counter() - started) * 1000)
        coverage = []
        for _ in range(5):
            started = time.perf_counter()
            coverage_by_area(conn, catalogue, year)
            coverage.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return timings[int(0.95 * len(timings)) - 1], statistics.median(coverage)


def run(quick: bool) -> list[Result]:
    persons = 2_000 if quick else 100_000
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        clear = Path(tmp) / "clear.sqlite"
        commune = create_demo_profile(clear, demo.households_for_persons(persons), seed=1)
        encrypted = Path(tmp) / "encrypted.sqlite"
        shutil.copy2(clear, encrypted)
        started = time.perf_counter()
        Store.open(encrypted, passphrase=PASSPHRASE).close()
        results.append(
            Result(
                GROUP,
                f"encrypt a {len(commune.persons):,}-person profile",
                time.perf_counter() - started,
                "s",
            )
        )
        rng = random.Random(3)
        queries = [fold(rng.choice(commune.persons)["full_name"]) for _ in range(200)]

        started = time.perf_counter()
        store = Store.open(encrypted, passphrase=PASSPHRASE)
        with store.read() as conn:
            conn.exec_driver_sql("SELECT 1")
        open_ms = (time.perf_counter() - started) * 1000
        results.append(Result(GROUP, "open the encrypted profile", open_ms, "ms"))
        enc_search, enc_cov = _measure(store, queries)
        store.close()
        store = Store.open(clear)
        clear_search, clear_cov = _measure(store, queries)
        store.close()
    for name, enc, plain in (
        ("search p95", enc_search, clear_search),
        ("coverage", enc_cov, clear_cov),
    ):
        ratio = enc / plain if plain else float("nan")
        results.append(
            Result(GROUP, f"{name}: clear / encrypted", plain, "ms", note=f"encrypted {enc:.1f} ms")
        )
        results.append(
            Result(GROUP, f"{name}: encrypted / clear", ratio, "x", "<= 1.3x", ratio <= 1.3)
        )
    return results
