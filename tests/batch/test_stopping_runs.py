"""``convert --jobs`` and ``collect`` told to stop (SIGTERM from CI or ``timeout``, Ctrl-C): they end
promptly with one line and 128 + the signal, their warm workers and pandoc gone, nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.batch.processes import interrupt, session_gone, session_left
from tests.batch.project import generated_article

EPOCH = "1700000000"


def _articles(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True)
    for k in range(1, count + 1):
        (folder / f"a{k:02d}.md").write_text(generated_article(k), encoding="utf-8")
    return sorted(str(p) for p in folder.iterdir())


def _start(args: list[str], scratch: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(scratch)}
    return subprocess.Popen(
        [sys.executable, "-m", "convert", *args], env=env, start_new_session=True, stderr=subprocess.PIPE
    )


def _wait_until(running: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        if running.poll() is not None:
            stderr = running.stderr.read().decode(errors="replace") if running.stderr else ""
            raise AssertionError(f"the run ended ({running.returncode}) before {what}: {stderr[-2000:]}")
        assert time.monotonic() < deadline, f"no {what} in 120 s"
        time.sleep(0.1)


def _assert_stopped(running: subprocess.Popen[bytes], signum: int, scratch: Path, out: Path, kept: str) -> None:
    code, seconds, stderr = interrupt(running, signum)
    said = stderr.decode(errors="replace")
    assert code == 128 + signum, said[-2000:]
    assert seconds < 10, said[-2000:]  # not the queue worked off first; workers are killed after 5 s
    assert "Traceback" not in said and "leaked semaphore" not in said, said[-2000:]
    assert said.splitlines()[-1] == f"tearsheet: stopped by {signal.Signals(signum).name}; {kept}"
    assert session_gone(running.pid) == []
    assert list(scratch.iterdir()) == []  # multiprocessing's folder, pandoc's temporary folders
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no half-written output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_convert_run_exits_promptly_keeping_only_whole_files(
    signum: int, tmp_path: Path, scratch: Path
) -> None:
    inputs = _articles(tmp_path / "in", 16)
    out = tmp_path / "out"
    running = _start(["convert", *inputs, "--to", "pdf,epub,docx", "-o", str(out), "--jobs", "2"], scratch)
    _wait_until(running, lambda: out.is_dir() and len(list(out.glob("*.pdf"))) >= 2, "two PDFs")

    _assert_stopped(running, signum, scratch, out, "the files written before are kept")
    assert len(list(out.glob("*.pdf"))) < 16  # stopped part-way, not left to finish
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")


def _command(line: str) -> str:
    """The program of a ``session_left`` line: "<pid> <program> <arguments>"."""
    return (line.split() + ["", ""])[1]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_collect_run_exits_promptly_without_a_book(signum: int, tmp_path: Path, scratch: Path) -> None:
    inputs = _articles(tmp_path / "in", 16)
    out = tmp_path / "out"
    out.mkdir()
    running = _start(["collect", *inputs, "-o", str(out / "book.pdf"), "--title", "T", "--jobs", "2"], scratch)
    # its warm workers at work: a pandoc under way in the run's session
    _wait_until(running, lambda: any(_command(line).endswith("pandoc") for line in session_left(running.pid)), "pandoc")

    _assert_stopped(running, signum, scratch, out, "no book was written")
    assert list(out.iterdir()) == []
