"""A warm pandoc: one ``pandoc lua`` process serves the conversions of a Python process.

Starting pandoc costs more than most conversions Tearsheet asks of it (its binary
is ~160 MB: ~50 ms to start, against ~5 ms to read an article and ~20 ms to write
a DOCX). So readers and the DOCX writer send text conversions to one long-lived
process running ``pandoc_serve.lua`` over pipes, started on first use, restarted
after it dies, and owned by the process that started it (a forked child starts
its own). Containers (DOCX, ODT, EPUB inputs) still get a ``pandoc`` run of
their own, since their media are extracted to files.

Readers in the Lua process run sandboxed; the writer refuses images that are not
``data:`` URLs. The heap is capped as for any pandoc run: past it pandoc stops,
the caller gets the reason, and the next conversion starts a fresh process.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing.util
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import IO

import pypandoc

from convert.limits import PANDOC_HEAP_MB, PANDOC_TIMEOUT_S
from convert.stylesheets import style_path

log = logging.getLogger("tearsheet")

_SCRIPT = Path(__file__).with_name("pandoc_serve.lua")
HEAP_EXHAUSTED = "Heap exhausted"
_POLL_S = 0.1  # how often a running conversion's time and memory are looked at
_BINARY_MB = 256  # resident memory of an idle pandoc lua (~170 MB, mostly its own code), with room


class PandocFailed(Exception):
    """pandoc refused or could not finish a conversion; ``reason`` is one line."""

    def __init__(self, reason: str, *, out_of_memory: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.out_of_memory = out_of_memory


def pandoc_command(*args: str, heap_mb: int | None = None) -> list[str]:
    """pandoc with its heap capped (at ``PANDOC_HEAP_MB`` unless told), then ``args``."""
    return [pypandoc.get_pandoc_path(), "+RTS", f"-M{heap_mb or PANDOC_HEAP_MB}m", "-RTS", *args]


def _resident_mb(pid: int) -> float:
    """The process's resident memory in MB (0 where /proc cannot tell)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def first_line(stderr: str) -> str:
    """pandoc's reason in one line ("Invalid XML:" continues on the next line)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "pandoc failed"
    first = lines[0]
    if first.endswith(":") and len(lines) > 1:
        first = f"{first} {lines[1]}"
    return first[:300]


class PandocProcess:
    """One ``pandoc lua`` process and the pipes to it (``pandoc()`` gives each thread its own).

    The heap cap works differently here than for a pandoc run: at its ``-M`` limit the
    Lua interpreter keeps collecting instead of stopping, so the process's resident
    memory is watched while it converts, and it is stopped past ``PANDOC_HEAP_MB`` (plus
    what the 160 MB binary itself keeps resident). ``-M`` stays, higher, as the ceiling
    where /proc cannot tell.
    """

    def __init__(self) -> None:
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._remove_tmp: weakref.finalize[..., PandocProcess] | None = None  # pandoc's TMPDIR goes with it

    def convert(
        self, data: bytes, source_format: str, target_format: str, timeout: float = PANDOC_TIMEOUT_S
    ) -> tuple[bytes, list[str]]:
        """``data`` converted, and the messages pandoc printed meanwhile (warnings).

        Past ``timeout`` seconds pandoc is stopped and ``PandocFailed`` says so.
        """
        if any(c.isspace() for c in source_format + target_format) or not source_format or not target_format:
            raise PandocFailed(f"not a pandoc format: {source_format!r} → {target_format!r}")
        request = f"{source_format} {target_format} {len(data)}\n".encode("ascii") + data
        with self._lock:
            process = self._running()
            try:
                reply = self._exchange(process, request, timeout)
            except BaseException:  # a time limit, ^C, our own deadline: the process's state is unknown
                self._stop()
                raise
            if reply is None:
                raise self._died()
            messages = self._messages()
        status, body = reply
        if status != "ok":
            raise PandocFailed(body.decode("utf-8", errors="replace").strip()[:300] or "pandoc failed")
        return body, messages

    @staticmethod
    def _exchange(process: subprocess.Popen[bytes], request: bytes, timeout: float) -> tuple[str, bytes] | None:
        """The reply's status and body; None if the process stopped before it replied in full."""
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(request)
            process.stdin.flush()
        except BrokenPipeError:
            return None
        deadline = time.monotonic() + timeout
        while not select.select([process.stdout], [], [], _POLL_S)[0]:
            if time.monotonic() > deadline:
                raise PandocFailed(f"pandoc took more than {timeout:g} s")
            if _resident_mb(process.pid) > PANDOC_HEAP_MB + _BINARY_MB:
                raise PandocFailed(f"pandoc needed more than {PANDOC_HEAP_MB} MB", out_of_memory=True)
        status, _, size = process.stdout.readline().decode("ascii", errors="replace").partition(" ")
        if not size.endswith("\n") or not size.strip().isdigit():
            return None
        body = process.stdout.read(int(size))
        return (status, body) if len(body) == int(size) else None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        # A file, not a pipe: nobody has to drain it while pandoc works. Closed by ``_stop``.
        self._stderr = tempfile.TemporaryFile(prefix="tearsheet-pandoc-")  # noqa: SIM115
        # pandoc lua makes a file in TMPDIR as it starts and removes it only if it ends on its own:
        # a folder of its own goes, with whatever is in it, when the process is stopped.
        tmp = tempfile.mkdtemp(prefix="tearsheet-pandoc-")
        # Also when this object is dropped unstopped (its thread ended) or the interpreter exits.
        self._remove_tmp = weakref.finalize(self, shutil.rmtree, tmp, ignore_errors=True)
        command = pandoc_command("lua", str(_SCRIPT), str(style_path("reference.docx")), heap_mb=2 * PANDOC_HEAP_MB)
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                close_fds=True,
                env={**os.environ, "TMPDIR": tmp},
            )
        except OSError as exc:
            raise PandocFailed(f"could not run pandoc: {exc}") from None
        return self._process

    def _messages(self) -> list[str]:
        """Lines pandoc wrote to stderr since the last call; the file is emptied for the next.

        pandoc shares the file's offset and writes only while it converts, not now.
        """
        if self._stderr is None:
            return []
        self._stderr.seek(0)
        text = self._stderr.read()
        self._stderr.seek(0)
        self._stderr.truncate()
        return [line.strip() for line in text.decode("utf-8", errors="replace").splitlines() if line.strip()]

    def _died(self) -> PandocFailed:
        """What the process said as it stopped; the next conversion starts a new one."""
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
        stderr = "\n".join(self._messages())
        self._stop()
        if HEAP_EXHAUSTED in stderr:
            return PandocFailed(f"pandoc needed more than {PANDOC_HEAP_MB} MB", out_of_memory=True)
        return PandocFailed(first_line(stderr) if stderr else "pandoc stopped")

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._remove_tmp is not None:
            self._remove_tmp()
            self._remove_tmp = None

    def close(self) -> None:
        if os.getpid() != self._owner:  # a forked child must not stop its parent's pandoc
            return
        with self._lock:
            self._stop()


_local = threading.local()  # this thread's (pid, PandocProcess)


def pandoc() -> PandocProcess:
    """This thread's warm pandoc: threads convert side by side, and a forked child never uses its parent's pipes.

    A thread that ends leaves its process to exit on its own: pandoc stops when its input closes.
    """
    own: tuple[int, PandocProcess] | None = getattr(_local, "pandoc", None)
    if own is None or own[0] != os.getpid():
        own = (os.getpid(), PandocProcess())
        _local.pandoc = own
        _every.add(own[1])
        _hook_worker_exit()
    return own[1]


_every: weakref.WeakSet[PandocProcess] = weakref.WeakSet()


def close_all() -> None:
    """Stop every warm pandoc of this process (at exit, or when a build is interrupted)."""
    for process in list(_every):
        process.close()


atexit.register(close_all)
_exit_hooked: list[int] = []  # the process that hooked close_all into multiprocessing's exit


def _hook_worker_exit() -> None:
    """A multiprocessing worker ends without atexit; its own finalizer closes its processes."""
    if _exit_hooked != [os.getpid()]:
        multiprocessing.util.Finalize(None, close_all, exitpriority=0)  # runs only in this process
        _exit_hooked[:] = [os.getpid()]


def convert_text(data: bytes, source_format: str, target_format: str) -> tuple[bytes, list[str]]:
    """``data`` converted by this process's warm pandoc; raises ``PandocFailed``."""
    return pandoc().convert(data, source_format, target_format)
