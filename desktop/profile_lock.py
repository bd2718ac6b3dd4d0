"""One running copy of Gõ Cửa per profile: an OS lock beside the profile's database (Qt-free).

``profiles/<slug>/gocua.db.lock`` is locked with the operating system's own file lock
(``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows) for as long as a copy has the
profile open. The OS drops the lock with the process, so a copy that crashed or was killed
leaves nothing behind that blocks the next start; the file itself stays and means nothing
(removing it on release would let two copies lock two different files of the same name).

The ``filelock`` package would do the same; it is not used because importing it costs 15-25 ms
of every start (whose budget is 1.5 s) for what is a few lines here.

    lock = ProfileLock(profile.db_path).acquire()   # ProfileInUse if another copy has it
    ...
    lock.release()
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
LOCK_SUFFIX = ".lock"
EXIT_PROFILE_IN_USE = 3  # the app's exit code when another copy has the profile open

if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # the first byte; may lie past the end

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# What a lock held elsewhere answers (Windows: EACCES or EDEADLOCK after its retries).
_HELD_ELSEWHERE = {errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK}
_HELD_ELSEWHERE.add(getattr(errno, "EDEADLOCK", errno.EDEADLK))


class ProfileInUse(RuntimeError):
    """Another running copy of Gõ Cửa has this profile open."""

    message_vi = (
        "Hồ sơ “{name}” đang được mở trong một cửa sổ Gõ Cửa khác. "
        "Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại hồ sơ."
    )
    message_en = (
        "Profile “{name}” is already open in another window of Gõ Cửa. "
        "Use that window, or close it and open the profile again."
    )

    def __init__(self, path: Path, name: str = ""):
        super().__init__(f"{path}: locked by another copy of Gõ Cửa")
        self.path = path
        self.name = name or path.parent.name

    def text(self) -> str:
        """Vietnamese, then English (the command line's and the log's form)."""
        return (
            self.message_vi.format(name=self.name) + " / " + self.message_en.format(name=self.name)
        )


def lock_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


class ProfileLock:
    """The lock of the profile whose database is ``db_path``; not re-entrant, one per copy."""

    def __init__(self, db_path: Path | str, name: str = ""):
        self.path = lock_path(db_path)
        self.name = name
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> ProfileLock:
        """Take the lock now (never waits); :class:`ProfileInUse` when another copy has it.

        On a file system without file locks (rare network shares) the profile opens unlocked,
        with a warning in the log, rather than not at all.
        """
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # not inherited by children
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _HELD_ELSEWHERE:
                raise ProfileInUse(self.path, self.name) from exc
            log.warning("no lock on %s (%s): opened without one", self.path, exc)
            return self
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError:
            log.exception("unlocking %s", self.path)  # closing the file drops it anyway
        finally:
            os.close(fd)

    def __enter__(self) -> ProfileLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
