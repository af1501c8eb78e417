"""A stop signal that comes while a finalizer runs is not lost (nor printed as a traceback)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    from convert.batch.signals import exiting_when_stopped

    class Slow:
        def __del__(self):  # the signal comes while this runs (ZipFile.__del__ in a real build)
            time.sleep(1.5)

    with exiting_when_stopped("nothing"):
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
        slow = Slow()
        del slow
        time.sleep(3)
        print("the stop was lost")
    """
)


def test_a_stop_signal_during_a_finalizer_still_stops_the_command() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60)
    assert done.returncode == 143, (done.stdout, done.stderr)
    assert "the stop was lost" not in done.stdout
    assert "Traceback" not in done.stderr and "stopped by SIGTERM" in done.stderr, done.stderr
