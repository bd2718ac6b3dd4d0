"""``make build``: the one-folder bundle in dist/GoCua, then its own --version and --selftest.

Prints the build time and the bundle's size (the numbers docs/performance.md keeps).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(ROOT / "dist"),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(ROOT / "build_scripts" / "gocua.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    bundle = ROOT / "dist" / "GoCua"
    program = bundle / ("GoCua.exe" if sys.platform == "win32" else "GoCua")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM") or "offscreen"}
    version = subprocess.run(
        [str(program), "--version"], capture_output=True, text=True, env=env, check=True
    )
    selftest = subprocess.run(
        [str(program), "--selftest"], capture_output=True, text=True, env=env, timeout=300
    )
    print(version.stdout.strip())
    print(selftest.stdout.strip(), selftest.stderr.strip()[-2000:], sep="\n")
    print(f"build time: {seconds:.0f} s; bundle: {folder_size(bundle) / 2**20:.0f} MiB at {bundle}")
    return selftest.returncode


if __name__ == "__main__":
    sys.exit(main())
