"""Atomic output: a file is either complete or not there (or still the old one)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Collection
from pathlib import Path

PART = ".part"

# The temporary files this process may have made and not yet renamed or removed: named here before
# they are made, so that a stop that comes while one is being made (after ``open`` returned, before
# its name was known) still finds it (``remove_unfinished``).
_unfinished: set[Path] = set()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The temporary file is named after its writer's process (``.<name>.<pid>-<random>.part``): a
    worker killed while writing cannot remove it, the process that killed it can (``remove_left_by``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is at most as long as a name of 120 characters would make it: a final
    # name near the file system's limit (255) must not fail for the temporary one's sake.
    tmp = path.parent / f".{path.name[:92]}.{os.getpid()}-{secrets.token_hex(6)}{PART}"
    _unfinished.add(tmp)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        _unfinished.discard(tmp)
        raise
    _unfinished.discard(tmp)


def remove_unfinished() -> None:
    """Remove this process's temporary files that are still there: a worker calls it before it ends
    at once (``os._exit``), whatever it was doing."""
    for tmp in list(_unfinished):
        tmp.unlink(missing_ok=True)
        _unfinished.discard(tmp)


def remove_left_by(folder: Path, writers: Collection[int]) -> None:
    """Remove the temporary files that the processes ``writers``, killed while writing, left in
    ``folder`` or below it; another process's are left alone."""
    if not writers or not folder.is_dir():
        return
    for part in folder.rglob(f".*{PART}"):
        writer = part.name.rsplit(".", 2)[-2].partition("-")[0]  # the random part holds no dot
        if writer.isdigit() and int(writer) in writers:
            part.unlink(missing_ok=True)
