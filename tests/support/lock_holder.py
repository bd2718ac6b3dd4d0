"""A profile's lock held by another process, as a second copy of the app meets it.

``LockHolder(db_path)`` starts a Python process that takes the profile's lock
(:class:`desktop.profile_lock.ProfileLock`) and returns once the child says it holds it (no
waiting for a fixed time). ``release()`` lets it exit normally; ``kill()`` SIGKILLs it, a crash
that runs no clean-up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.server_process import ROOT

_HOLD = (
    "import sys\n"
    "from desktop.profile_lock import ProfileLock\n"
    "lock = ProfileLock(sys.argv[1]).acquire()\n"
    "print('held' if lock.held else 'not held', flush=True)\n"
    "sys.stdin.read()  # until the test closes it\n"
)


class LockHolder:
    def __init__(self, db_path: Path | str):
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLD, str(db_path)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        line = self.process.stdout.readline()  # the child's answer, or EOF if it died
        if line.strip() != b"held":
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"the holder did not take the lock: {line!r}")

    def release(self) -> None:
        """The holder closes the profile and exits normally."""
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)

    def kill(self) -> None:
        """SIGKILL: the holder dies without releasing anything itself."""
        if hasattr(signal, "SIGKILL"):
            os.kill(self.process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows: TerminateProcess
            self.process.kill()
        self.process.wait(timeout=30)

    def __enter__(self) -> LockHolder:
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
