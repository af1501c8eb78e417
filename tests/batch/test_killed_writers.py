"""A worker killed while writing an output (it had not unwound within the grace time) leaves its
temporary file behind; the run removes it before it exits, and only that worker's."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from convert.batch import signals
from convert.batch.local_pool import _stop_workers
from convert.output import PART, remove_left_by, write_atomic


def _stuck_writing(folder: str) -> None:
    """A task caught inside a write: its temporary file made, then deaf to SIGTERM (a long fsync)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    tempfile.mkstemp(prefix=f".a01.docx.{os.getpid()}-", suffix=PART, dir=folder)
    time.sleep(60)


def test_what_a_killed_worker_was_writing_is_removed_and_no_other_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    other = out / "sub" / f".b02.pdf.{os.getpid()}-abcd1234{PART}"  # this process's: not killed
    other.write_bytes(b"")
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    pool.submit(_stuck_writing, str(out))
    deadline = time.monotonic() + 60
    while not list(out.glob(f"*{PART}")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(out.glob(f".a01.docx.*{PART}"))) == 1
    _stop_workers(pool)  # SIGTERM is ignored: the worker is killed after the grace time

    with pytest.raises(SystemExit) as stopped, signals.exiting_when_stopped("kept", out):
        raise signals.Interrupted(signal.SIGTERM)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert not list(out.glob(f".a01.docx.*{PART}"))
    assert other.exists()


def test_a_temporary_file_is_removed_only_for_the_writers_named(tmp_path: Path) -> None:
    mine, theirs = tmp_path / f".x.pdf.4242-abc_123{PART}", tmp_path / f".y.pdf.4343-def456{PART}"
    named_like = tmp_path / f".z.4242-q.pdf.777-ghi789{PART}"  # the pid inside the output's own name
    for path in (mine, theirs, named_like):
        path.write_bytes(b"")
    remove_left_by(tmp_path, {4242})
    assert not mine.exists() and theirs.exists() and named_like.exists()


def _stopped_as_its_file_is_made(folder: str, busy: bool) -> None:
    """A worker told to stop the moment ``open`` has made its temporary file, before the name is
    returned: busy with a task (it unwinds) or between two (it ends at once)."""
    signals.stop_worker_on_signals()
    real_open = os.open

    def open_then_stop(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        fd = real_open(path, flags, mode)
        if str(path).endswith(PART):
            os.kill(os.getpid(), signal.SIGTERM)  # handled as this call returns
        return fd

    os.open = open_then_stop  # type: ignore[assignment]
    with signals.task_running() if busy else contextlib.nullcontext():
        write_atomic(Path(folder) / "a01.epub", b"x" * 100_000)


@pytest.mark.parametrize("busy", [True, False])
def test_a_worker_stopped_while_its_temporary_file_is_made_leaves_none(tmp_path: Path, busy: bool) -> None:
    worker: BaseProcess = get_context("spawn").Process(target=_stopped_as_its_file_is_made, args=(str(tmp_path), busy))
    worker.start()
    worker.join(60)
    assert worker.exitcode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []  # neither the temporary file nor the output
