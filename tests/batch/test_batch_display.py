"""What a build prints: lines for logs, a bar at a terminal; errors in the usual one-line form either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.batch.check import CheckResult, Problem
from convert.batch.display import BarDisplay, LineDisplay, Verbosity
from convert.batch.runner import Item, Status

BUILT = Item("a.md", "article", "pdf", Path("dist/a.pdf"), Status.BUILT, 1.25, warnings=("image not found",))
FAILED = [Item("b.md", "article", fmt, Path(f"dist/b.{fmt}"), Status.FAILED, error="broken") for fmt in ("pdf", "epub")]
BAD = CheckResult(Path("dist/a.epub"), "epub", ("epubcheck", "links"), (Problem("links", "cited URL is not a link"),))


def run(display: LineDisplay) -> None:
    with display:
        display.planned(3, [])
        display.built([BUILT])
        display.built(FAILED)
        display.checking(1)
        display.checked(BAD)


@pytest.mark.parametrize("display", [LineDisplay, BarDisplay])
def test_errors_and_warnings_are_one_line_each(display: type[LineDisplay], capsys: pytest.CaptureFixture[str]) -> None:
    run(display(str, Verbosity.NORMAL))
    err = capsys.readouterr().err.splitlines()
    assert "tearsheet: warning: a.md: image not found" in err
    assert err.count("tearsheet: error: b.md: broken") == 1  # once per input, not per format
    assert "tearsheet: error: dist/a.epub: links: cited URL is not a link" in err


def test_lines_for_logs_and_quiet_keeps_errors_only(capsys: pytest.CaptureFixture[str]) -> None:
    run(LineDisplay(str, Verbosity.NORMAL))
    out = capsys.readouterr().out.splitlines()
    assert out == ["0 outputs cached, 3 to build", "built  a.md → dist/a.pdf (1.2 s)", "checking 1 outputs"]
    run(LineDisplay(str, Verbosity.QUIET))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "tearsheet: error: b.md: broken",
        "tearsheet: error: dist/a.epub: links: cited URL is not a link",
    ]
