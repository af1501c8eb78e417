"""Runs in child processes, told to stop: what is left of them, how they ended."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import psutil


def session_left(session: int) -> list[str]:
    """The processes still in ``session`` (a run started with ``start_new_session``: it, its workers, their pandoc)."""
    left = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        try:
            if os.getsid(process.pid) == session:
                left.append(f"{process.pid} {' '.join(process.info['cmdline'] or [])[:150]}")
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return left


def session_gone(session: int, within: float = 5.0) -> list[str]:
    """What is left of ``session`` after ``within`` seconds (the forkserver and resource tracker leave last)."""
    gone_by = time.monotonic() + within
    while session_left(session) and time.monotonic() < gone_by:
        time.sleep(0.2)
    return session_left(session)


def interrupt(running: subprocess.Popen[bytes], signum: int) -> tuple[int, float, bytes]:
    """Send ``signum``; the exit code, the seconds it took to end, and its stderr."""
    running.send_signal(signum)
    start = time.monotonic()
    try:
        _, stderr = running.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(running.pid, signal.SIGKILL)
        running.communicate()
        raise
    return running.returncode, time.monotonic() - start, stderr
