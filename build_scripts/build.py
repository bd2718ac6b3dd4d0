"""``make build``: the one-folder bundle in dist/GoCua, then its own --version and --selftest.

Prints the build time, the bundle's size and its biggest items (the numbers
docs/performance.md keeps), and fails when the bundle is over bundle_filter.LIMIT_MIB or lacks
a file the platform's users load (bundle_filter.REQUIRED_FILES).
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))
from bundle_filter import LIMIT_MIB, required_files  # noqa: E402


def files(path: Path) -> list[Path]:
    """The bundle's files; symbolic links (PyInstaller links libraries into _internal) are
    not counted twice."""
    return [f for f in path.rglob("*") if f.is_file() and not f.is_symlink()]


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in files(path))


def biggest(bundle: Path, count: int = 12) -> list[tuple[int, str]]:
    """The largest files and, inside _internal, the largest package folders."""
    internal = bundle / "_internal"
    items: dict[str, int] = {}
    for f in files(bundle):
        relative = f.relative_to(internal) if internal in f.parents else f.relative_to(bundle)
        key = relative.parts[0] if len(relative.parts) > 1 else str(relative)
        items[key] = items.get(key, 0) + f.stat().st_size
    sizes = sorted(((size, name) for name, size in items.items()), reverse=True)[:count]
    top_files = sorted(((f.stat().st_size, f.name) for f in files(bundle)), reverse=True)
    return sizes + [(size, f"  file {name}") for size, name in top_files[:count]]


def missing(bundle: Path) -> list[str]:
    internal = bundle / "_internal"
    paths = [f.relative_to(internal).as_posix() for f in internal.rglob("*") if f.is_file()]
    return [p for p in required_files() if not fnmatch.filter(paths, p)]


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
    mib = folder_size(bundle) / 2**20
    print(f"build time: {seconds:.0f} s; bundle: {mib:.0f} MiB at {bundle}; biggest:")
    for size, name in biggest(bundle):
        print(f"  {size / 2**20:6.1f} MiB  {name}")
    failed = selftest.returncode != 0
    if mib > LIMIT_MIB:
        print(f"BUNDLE TOO BIG: {mib:.0f} MiB, the limit is {LIMIT_MIB} MiB (issue 16)")
        failed = True
    if absent := missing(bundle):
        print("BUNDLE LACKS what users load: " + ", ".join(absent))
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
