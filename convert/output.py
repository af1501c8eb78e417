"""Atomic output: a file is either complete or not there (or still the old one)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection
from pathlib import Path

PART = ".part"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The temporary file is named after its writer's process (``.<name>.<pid>-<random>.part``): a
    worker killed while writing cannot remove it, the process that killed it can (``remove_left_by``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is at most as long as a name of 120 characters would make it: a final
    # name near the file system's limit (255) must not fail for the temporary one's sake.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:92]}.{os.getpid()}-", suffix=PART, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_left_by(folder: Path, writers: Collection[int]) -> None:
    """Remove the temporary files that the processes ``writers``, killed while writing, left in
    ``folder`` or below it; another process's are left alone."""
    if not writers or not folder.is_dir():
        return
    for part in folder.rglob(f".*{PART}"):
        writer = part.name.rsplit(".", 2)[-2].partition("-")[0]  # the random part holds no dot
        if writer.isdigit() and int(writer) in writers:
            part.unlink(missing_ok=True)
