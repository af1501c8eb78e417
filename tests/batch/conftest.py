"""Fixtures for the batch tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.batch.project import MANIFEST, make_project


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Make a project in a fresh folder; returns its manifest."""

    def make(generated: int = 2, manifest: str = MANIFEST) -> Path:
        return make_project(tmp_path / "project", generated, manifest)

    return make
