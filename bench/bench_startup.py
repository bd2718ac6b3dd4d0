"""Start-up of the program as shipped, on an encrypted profile of 100,000 persons (2,000 with
--quick): launch to a usable window (the window shown and its household list filled, as the
app's own start-up probe reports it) and launch to the process's exit; median of 3 runs;
goal < 2 s.

Runs the built bundle ``dist/GoCua/GoCua`` when it exists (``make build``), else
``python -m desktop.cli`` from the source tree; the note says which. ``GOCUA_BENCH_BUNDLE=DIR``
runs the bundle in DIR instead (a copy of an older build, to compare before and after in one
session, as docs/performance.md's shipping figures were). The app is started with
``GOCUA_STARTUP_PROBE`` (see :class:`desktop.ui.app.StartupProbe`): it writes the time it
became usable and quits; the passphrase goes in on standard input.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import Result

GROUP = "startup"
RUNS = 3
ROOT = Path(__file__).resolve().parent.parent
EXE = "GoCua.exe" if sys.platform == "win32" else "GoCua"
BUNDLE = ROOT / "dist" / "GoCua" / EXE
PASSPHRASE = "bench-mat-khau"


def program() -> tuple[list[str], str]:
    if other := os.environ.get("GOCUA_BENCH_BUNDLE"):
        bundle = Path(other) / EXE
        if not bundle.is_file():
            raise FileNotFoundError(f"GOCUA_BENCH_BUNDLE: no {EXE} in {other}")
        return [str(bundle)], f"bundle in {other}"
    if BUNDLE.is_file():
        return [str(BUNDLE)], "built bundle"
    return [sys.executable, "-m", "desktop.cli"], "source tree"


def make_profile(home: Path, households: int) -> None:
    """An encrypted demo profile, registered as the last one the way the app does it."""
    from desktop import profiles
    from desktop.demo_profile import create_demo_profile
    from desktop.store import Store

    saved = os.environ.get("GOCUA_HOME")
    os.environ["GOCUA_HOME"] = str(home)  # desktop.profiles finds its folder there
    try:
        profile = profiles.create_profile("Dữ liệu mẫu")
        create_demo_profile(profile.db_path, households, seed=1)
        Store.open(profile.db_path, passphrase=PASSPHRASE).close()  # converts in place
        profiles.remember(profile)
    finally:
        if saved is None:
            del os.environ["GOCUA_HOME"]
        else:
            os.environ["GOCUA_HOME"] = saved


def launch(command: list[str], env: dict[str, str], probe: Path) -> tuple[float, float]:
    """(usable ms, exit ms), both from the launch."""
    probe.unlink(missing_ok=True)
    started = time.time()
    done = subprocess.run(
        command,
        input=PASSPHRASE + "\n",
        text=True,
        capture_output=True,
        env={**env, "GOCUA_T0": repr(started)},
        timeout=120,
    )
    exit_ms = (time.time() - started) * 1000
    if done.returncode != 0 or not probe.exists():
        raise RuntimeError(
            f"{command[0]} exited with {done.returncode} without a probe result "
            f"(a bundle older than the probe? run make build): "
            f"{done.stderr[-1000:]}"
        )
    return json.loads(probe.read_text())["usable_ms"], exit_ms


def run(quick: bool) -> list[Result]:
    from gocua import demo

    persons = 2_000 if quick else 100_000
    command, which = program()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        make_profile(home, demo.households_for_persons(persons))
        probe = Path(tmp) / "probe.json"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "GOCUA_HOME": str(home),
            "GOCUA_STARTUP_PROBE": str(probe),
        }
        times = [launch(command, env, probe) for _ in range(RUNS)]
    usable = statistics.median(t[0] for t in times)
    exited = statistics.median(t[1] for t in times)
    note = (
        f"{which}, encrypted, {persons:,} persons, median of {RUNS}; load "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return [
        Result(GROUP, "launch to usable window", usable, "ms", "< 2000", usable < 2000, note),
        Result(
            GROUP,
            "launch to process exit",
            exited,
            "ms",
            "",
            None,
            "the same runs: usable, then quit and close the store",
        ),
    ]


if __name__ == "__main__":
    from bench import format_table

    print(format_table(run(quick="--quick" in sys.argv)))
