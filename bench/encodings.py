"""Bytes a row of a first pull, by page encoding and compressor (issue 19's choice).

``python -m bench.encodings [--quick]``: a demo commune of 20,000 persons (quick: 2,000) in a
SQLite server database; every page of the leader's first pull (5,000 rows) as the server builds
it, in SYNC.md's row objects and in column pages (docs/protocol.md), each page compressed on
its own as an answer is. gzip always; zstd and brotli when ``zstandard`` and ``brotli`` are
installed (they are not dependencies: this measured whether one should be). Not run by
``make bench`` (it measures no goal); docs/performance.md has its figures.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.bench_server import _prepare
from server import pull
from server.db import create_engine
from server.scope import AuthUser


def pages(url: str, columns: bool) -> list[bytes]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            row = conn.execute(
                sa.text("SELECT id, commune_id FROM users WHERE username = 'bench'")
            ).one()
            client = "11111111-1111-4111-8111-11111111111" + ("1" if columns else "2")
            conn.execute(
                sa.text(
                    "INSERT INTO clients (id, user_id, app_version, created_at, "
                    "last_mutation_id) VALUES (:c, :u, 'bench', 0, 0)"
                ),
                {"c": client, "u": row.id},
            )
        user = AuthUser(row.id, "bench", "bench", "leader", row.commune_id, None, ())
        options = pull.Options(columns=columns)
        out, cursor = [], None
        while True:
            body = pull.pull(engine, lambda conn: user, client, cursor, 5000, lambda: "0", options)
            out.append(body)
            page = json.loads(body)
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return out
    finally:
        engine.dispose()


def compressors() -> dict:
    found = {
        "gzip 1": lambda b: gzip.compress(b, 1),
        "gzip 6": lambda b: gzip.compress(b, 6),
    }
    try:
        import zstandard

        found["zstd 3"] = zstandard.ZstdCompressor(level=3).compress
        found["zstd 9"] = zstandard.ZstdCompressor(level=9).compress
    except ImportError:
        pass
    try:
        import brotli

        found["brotli 5"] = lambda b: brotli.compress(b, quality=5)
    except ImportError:
        pass
    return found


def main(quick: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'server.sqlite'}"
        _prepare(url, 2_000 if quick else 20_000)
        bodies = {"row objects": pages(url, False), "column pages": pages(url, True)}
    rows = sum(b.count(b'"op":"upsert"') for b in bodies["row objects"])
    print(f"{rows:,} rows, {len(bodies['row objects'])} pages; bytes a row (CPU a row)")
    for name, pages_ in bodies.items():
        cells = [f"{name}: raw {sum(map(len, pages_)) / rows:.1f}"]
        for label, compress in compressors().items():
            started = time.process_time()
            size = sum(len(compress(p)) for p in pages_)
            spent = time.process_time() - started
            cells.append(f"{label} {size / rows:.1f} ({spent / rows * 1e6:.1f} us)")
        print(" | ".join(cells))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
