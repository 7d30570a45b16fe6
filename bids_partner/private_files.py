"""Files that hold people's words (the tracker database, logs, exports) are
readable by their owner only: 0600 in 0700 folders, whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

# For processes we start: everything they create is the owner's alone.
PRIVATE_UMASK = 0o077


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner can open (created if missing)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_open_for_writing(path: Path) -> int:
    """A descriptor of `path`, emptied and 0600 (also when it existed with a
    wider mode): for a child process's log, or private_write_bytes."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return descriptor


def private_write_bytes(path: Path, data: bytes) -> None:
    """Writes `path` as 0600."""
    with os.fdopen(private_open_for_writing(path), "wb") as file:
        file.write(data)
