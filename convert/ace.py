"""Ace by DAISY, the EPUB accessibility checker, run on an EPUB and its report read back.

Ace is a Node program (``npm install @daisy/ace``) that drives a headless Chromium; its
``ace-puppeteer`` command writes ``report.json`` and exits 0 whatever it found, so the
violations are read from the report. Nothing here installs anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from convert.errors import TearsheetError

ACE_COMMAND = "ace-puppeteer"  # the plain `ace` command needs Electron
INSTALL_HINT = (
    "ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install @daisy/ace, and a Chromium"
    " (PUPPETEER_EXECUTABLE_PATH)"
)
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A development checkout's own `npm install` (the tests and CI install Ace there).
_CHECKOUT_BIN = Path(__file__).resolve().parent.parent / "node_modules" / ".bin"
ACE_SECONDS = 300


class AceUnavailable(TearsheetError):
    """Ace or the Chromium it drives is not installed."""


@dataclass(frozen=True, slots=True)
class AceViolation:
    rule: str  # axe-core or Ace rule id, e.g. "link-in-text-block", "metadata-accessmode"
    impact: str  # "critical", "serious", "moderate" or "minor"
    message: str
    location: str  # the content document it is in ("" for package metadata)

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"{self.impact} {self.rule}: {self.message}{where}"


@dataclass(frozen=True, slots=True)
class AceReport:
    violations: tuple[AceViolation, ...]
    metadata: dict[str, object]  # Ace's view of the package's accessibility metadata

    def counts(self) -> dict[str, int]:
        """Violations by impact."""
        out: dict[str, int] = {}
        for violation in self.violations:
            out[violation.impact] = out.get(violation.impact, 0) + 1
        return out


@dataclass(frozen=True, slots=True)
class AceProgram:
    command: Path
    browser: Path


def find_ace() -> AceProgram:
    """Ace and a Chromium for it: ``TEARSHEET_ACE`` or ``ace-puppeteer`` on PATH or in the checkout."""
    named = os.environ.get("TEARSHEET_ACE")
    found = named or shutil.which(ACE_COMMAND) or shutil.which(ACE_COMMAND, path=str(_CHECKOUT_BIN))
    if not found or not Path(found).is_file():
        raise AceUnavailable("check --accessibility", f"Ace by DAISY is not installed: {INSTALL_HINT}")
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or next(filter(None, map(shutil.which, _BROWSERS)), None)
    if not browser:
        raise AceUnavailable("check --accessibility", "Ace needs Chromium (apt-get install chromium)")
    return AceProgram(Path(found), Path(browser))


def ace_available() -> bool:
    try:
        find_ace()
    except AceUnavailable:
        return False
    return True


def run_ace(epub: Path, program: AceProgram | None = None) -> AceReport:
    """Check ``epub`` with Ace; a report that cannot be had is an error naming the file."""
    program = program or find_ace()
    with tempfile.TemporaryDirectory(prefix="tearsheet-ace-") as out:
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(program.browser)}
        command = [str(program.command), "--force", "--silent", "--outdir", out, str(epub)]
        try:
            done = subprocess.run(command, env=env, capture_output=True, timeout=ACE_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TearsheetError(epub, f"Ace could not run: {exc}") from None
        report_path = Path(out) / "report.json"
        if not report_path.is_file():
            last = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or ["no report"]
            raise TearsheetError(epub, f"Ace failed: {last[0]}")
        return read_report(json.loads(report_path.read_text(encoding="utf-8")))


def read_report(report: dict[str, object]) -> AceReport:
    """The violations of an Ace ``report.json`` (EARL assertions grouped by content document)."""
    violations = []
    for document in _list(report.get("assertions")):
        location = str(_dict(document.get("earl:testSubject")).get("url", ""))
        for assertion in _list(document.get("assertions")):
            test, result = _dict(assertion.get("earl:test")), _dict(assertion.get("earl:result"))
            if result.get("earl:outcome") != "fail":
                continue
            violations.append(
                AceViolation(
                    rule=str(test.get("dct:title", "")),
                    impact=str(test.get("earl:impact", "")),
                    message=" ".join(str(result.get("dct:description", "")).split()),
                    location="" if location.endswith(".opf") else location,
                )
            )
    return AceReport(tuple(violations), _dict(report.get("a11y-metadata")))


def _list(value: object) -> list[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}
