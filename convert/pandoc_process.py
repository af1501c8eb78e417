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
import os
import select
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO

import pypandoc

from convert.limits import PANDOC_HEAP_MB, PANDOC_TIMEOUT_S
from convert.stylesheets import style_path

log = logging.getLogger("tearsheet")

_SCRIPT = Path(__file__).with_name("pandoc_serve.lua")
HEAP_EXHAUSTED = "Heap exhausted"


class PandocFailed(Exception):
    """pandoc refused or could not finish a conversion; ``reason`` is one line."""

    def __init__(self, reason: str, *, out_of_memory: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.out_of_memory = out_of_memory


def pandoc_command(*args: str) -> list[str]:
    """pandoc with its heap capped, then ``args``."""
    return [pypandoc.get_pandoc_path(), "+RTS", f"-M{PANDOC_HEAP_MB}m", "-RTS", *args]


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
    """One ``pandoc lua`` process and the pipes to it; safe to share between threads."""

    def __init__(self) -> None:
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._stderr_seen = 0

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
        if not select.select([process.stdout], [], [], timeout)[0]:
            raise PandocFailed(f"pandoc took more than {timeout:g} s")
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
        self._stderr_seen = 0
        command = pandoc_command("lua", str(_SCRIPT), str(style_path("reference.docx")))
        try:
            self._process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, close_fds=True
            )
        except OSError as exc:
            raise PandocFailed(f"could not run pandoc: {exc}") from None
        return self._process

    def _messages(self) -> list[str]:
        """Lines pandoc wrote to stderr since the last call."""
        if self._stderr is None:
            return []
        self._stderr.seek(self._stderr_seen)
        text = self._stderr.read()
        self._stderr_seen += len(text)
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

    def close(self) -> None:
        if os.getpid() != self._owner:  # a forked child must not stop its parent's pandoc
            return
        with self._lock:
            self._stop()


_shared: tuple[int, PandocProcess] | None = None
_shared_lock = threading.Lock()


def pandoc() -> PandocProcess:
    """This process's warm pandoc (a forked child gets its own, never its parent's pipes)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared[0] != os.getpid():
            _shared = (os.getpid(), PandocProcess())
            atexit.register(_shared[1].close)
        return _shared[1]


def convert_text(data: bytes, source_format: str, target_format: str) -> tuple[bytes, list[str]]:
    """``data`` converted by this process's warm pandoc; raises ``PandocFailed``."""
    return pandoc().convert(data, source_format, target_format)
