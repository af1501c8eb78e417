"""What one input may cost: time, size, nesting depth, archive contents, pandoc's memory.

Hostile or broken inputs must fail with one clear line, never hang the batch or
exhaust the machine. The numbers are far above what an article needs.
"""

from __future__ import annotations

import io
import signal
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from convert.errors import InputError, TearsheetError

MIB = 1024 * 1024

# Any input file, before it is read: saved web pages with inline images can be big.
MAX_FILE_BYTES = 64 * MIB
# Text handed to pandoc: 5 MB of Markdown already costs pandoc ~3 s and ~450 MB.
MAX_TEXT_BYTES = 5 * MIB
# Links in one document. Each is a citation, a note and a footer entry in every format: at
# 100,000 the writers alone take minutes, so such an article is refused once pandoc has read it.
MAX_LINKS = 20_000
# pandoc's heap (GHC RTS ``-M``); past it pandoc stops with "Heap exhausted".
PANDOC_HEAP_MB = 1024
# One conversion by the warm pandoc, wherever it runs: the backstop where no alarm can
# interrupt it (worker threads, Dask tasks). Per-input limits (``--timeout``) are shorter.
PANDOC_TIMEOUT_S = 600.0
# Container inputs (DOCX, ODT, EPUB) are ZIPs: refused past these, before pandoc opens them.
MAX_ARCHIVE_ENTRIES = 10_000
MAX_ARCHIVE_BYTES = 256 * MIB  # uncompressed, all entries together
# Nesting of model nodes (blocks and inlines); deeper content is flattened by the reader.
# Passes and renderers recurse a few Python frames per level, and libxml2 (EPUB) stops
# at 256 nested elements: a table level is four.
MAX_DEPTH = 32

_ENCRYPTED = 0x1  # ZIP general-purpose flag bit 0
# After the first alarm, fire again this often in case library code swallowed it.
_RETRY_S = 1.0


class TimeLimitExceeded(TearsheetError):
    """An input that took longer than the time allowed for one input."""

    def __init__(self, source: str | Path, seconds: float) -> None:
        super().__init__(source, f"timed out after {seconds:g} s")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float | None, source: str | Path = "input") -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in the block once ``seconds`` have passed.

    Uses SIGALRM, so it works on the main thread of a POSIX process only; elsewhere
    (other threads, Windows) and for ``None`` or 0 it does nothing. Nested limits keep
    the earlier deadline; an outer one is re-armed on exit. Subprocesses started with
    ``subprocess.run`` are killed when the exception interrupts them.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    outer_left, outer_interval = signal.setitimer(signal.ITIMER_REAL, 0)
    if outer_left and outer_left <= seconds:  # an outer limit comes first: let it fire
        signal.setitimer(signal.ITIMER_REAL, outer_left, outer_interval)
        yield
        return
    active = [True]

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if active[0]:  # not once the block is over, should an alarm slip past the clean-up
            raise TimeLimitExceeded(source, seconds)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds, _RETRY_S)
    try:
        yield
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_left:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), outer_interval)


def check_archive(path: Path, fmt: str, data: bytes | None = None) -> None:
    """Refuse a container input that is not a ZIP, or is a ZIP bomb, before pandoc opens it.

    Declared sizes are checked first (cheap); then every entry is read through once,
    a chunk at a time, because a bomb can lie about its sizes: ``zipfile`` stops at the
    declared size and fails on the CRC. ``data``, when given, is the file's content already read.
    """
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                raise InputError(path, f"{len(entries)} files in the archive (the limit is {MAX_ARCHIVE_ENTRIES})")
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > MAX_ARCHIVE_BYTES:
                limit = megabytes(MAX_ARCHIVE_BYTES)
                raise InputError(path, f"unpacks to {megabytes(unpacked)} (the limit is {limit})")
            for entry in entries:
                if entry.flag_bits & _ENCRYPTED:
                    raise InputError(path, f"not a readable {fmt.upper()} file: it is encrypted")
                with archive.open(entry) as member:
                    while member.read(MIB):
                        pass
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise InputError(path, f"not a valid {fmt.upper()} file ({_zip_problem(path, exc, data)})") from None


def safe_xml_parser() -> Any:
    """An lxml XML parser that expands no entity, loads no DTD, fetches nothing and keeps
    libxml2's default limits (nesting deeper than 256 is an error). One per thread: lxml
    parsers are not to be shared between threads."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def _zip_problem(path: Path, exc: Exception, data: bytes | None) -> str:
    text = str(exc).strip().lower().rstrip(".")
    if "not a zip file" in text:
        if data is None:
            with path.open("rb") as file:
                data = file.read(4)
        # A ZIP cut short still starts like one.
        return "a damaged ZIP archive" if data.startswith(b"PK\x03\x04") else "not a ZIP archive"
    return f"a damaged ZIP archive: {text or type(exc).__name__}"
