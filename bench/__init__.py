"""Benchmarks: ``make bench`` runs every ``bench/bench_*.py`` module and prints one table.

Each module defines ``run(quick: bool) -> list[Result]``. ``--quick`` shrinks the data sets
(for a smoke run); the numbers in docs/performance.md come from a full run.
"""

from __future__ import annotations

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
