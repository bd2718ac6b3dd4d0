"""``python -m bench [--quick] [NAME ...]``: run the benchmarks and print a Markdown table."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

import bench
from bench import Result, format_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small data sets, for a smoke run")
    parser.add_argument("names", nargs="*", help="run only these modules (e.g. core, server)")
    args = parser.parse_args(argv)
    modules = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if args.names:
        modules = [m for m in modules if m.removeprefix("bench_") in args.names]
    results: list[Result] = [bench.machine_speed()]
    failed = False
    for name in modules:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            results.extend(importlib.import_module(f"bench.{name}").run(quick=args.quick))
        except Exception:
            traceback.print_exc()
            failed = True
    results.append(bench.machine_speed())  # the machine may have changed pace meanwhile
    print(format_table(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
