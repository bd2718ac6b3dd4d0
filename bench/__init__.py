"""Benchmarks: ``make bench`` runs every ``bench/bench_*.py`` module and prints one table.

Each module defines ``run(quick: bool) -> list[Result]``. ``--quick`` shrinks the data sets
(for a smoke run); the numbers in docs/performance.md come from a full run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Result:
    group: str
    name: str
    value: float
    unit: str
    goal: str = ""
    ok: bool | None = None
    note: str = ""


def machine_speed() -> Result:
    """A fixed pure-Python loop, best of 5: how fast this machine is right now.

    The machines vary (the same code has measured 3 to 4 times slower on one day than on
    another); this row lets two tables be compared, and every figure be scaled by it."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - start)
    return Result(
        "machine",
        "sum(range(10**6)), best of 5",
        round(best * 1000, 1),
        "ms",
        "",
        None,
        "lower is faster; compare tables only at similar values",
    )


def format_table(results: list[Result]) -> str:
    header = ("group", "benchmark", "value", "unit", "goal", "ok", "note")
    rows = [
        (
            r.group,
            r.name,
            f"{r.value:,.2f}" if isinstance(r.value, float) else f"{r.value:,}",
            r.unit,
            r.goal,
            "" if r.ok is None else ("yes" if r.ok else "NO"),
            r.note,
        )
        for r in results
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]

    def line(cells: tuple) -> str:
        padded = (str(c).ljust(w) for c, w in zip(cells, widths, strict=False))
        return "| " + " | ".join(padded) + " |"

    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in rows)
    return "\n".join(out)
