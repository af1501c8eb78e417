"""Fixtures for the batch tests."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.batch.project import MANIFEST, make_project


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Make a project in a fresh folder; returns its manifest."""

    def make(generated: int = 2, manifest: str = MANIFEST) -> Path:
        return make_project(tmp_path / "project", generated, manifest)

    return make


@pytest.fixture
def scratch() -> Iterator[Path]:
    """An empty TMPDIR with a short path: multiprocessing's forkserver socket must fit in AF_UNIX's 108 bytes,
    which pytest's tmp_path (deeper still under xdist) does not leave room for."""
    folder = Path(tempfile.mkdtemp(prefix="ts-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
