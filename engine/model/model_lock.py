"""One training per model file: a lock next to it (`MODEL.keras.lock`), so that a second training writing the
same file, from the CLI or the app, is refused at once instead of one result being silently lost.

The lock is an OS file lock (flock; on Windows a byte-range lock) on that file, which the kernel drops when
its process ends, however it ends: a lock file left behind by a killed training is stale by construction
and the next training simply takes it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from engine.errors import ModelFileError, StudioError


class ModelBusyError(StudioError):
    """Another training is writing the same model file."""


def lock_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name + ".lock")


def _try_lock(descriptor: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        return f" (process {int(path.read_text().split()[0])})"
    return ""


def _open_locked(path: Path, model_path: Path | str) -> int:
    """A descriptor of the lock file at `path`, locked by this process; retried when another process removed
    the file between our open and our lock (the lock would then be on a file nobody else can find)."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        if not _try_lock(descriptor):
            os.close(descriptor)
            raise ModelBusyError(f"{model_path}: another training is writing this model file{_holder(path)}; "
                                 "wait until it ends, or train into another file")
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                return descriptor
        os.close(descriptor)


@contextlib.contextmanager
def model_lock(model_path: Path | str) -> Iterator[None]:
    """Hold the lock of `model_path` for the duration of the block; the lock file is removed at its end.

    Raises:
        ModelBusyError: another live process holds it.
        ModelFileError: the folder cannot be created or written.
    """
    path = lock_path(Path(model_path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = _open_locked(path, model_path)
    except OSError as error:
        raise ModelFileError(f"{model_path}: cannot write in {path.parent} ({error.strerror or error})") from None
    try:
        with contextlib.suppress(OSError):  # the number only names the holder; a full disk must not stop us
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(descriptor)  # releases the lock
