"""Where the bundled styles live: ``styles/`` in a checkout, ``convert/styles`` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "styles"
STYLES_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "styles"


def style_path(name: str) -> Path:
    return STYLES_DIR / name


def read_style(name: str) -> str:
    return style_path(name).read_text(encoding="utf-8")
