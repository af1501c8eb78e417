"""Where the bundled styles live: ``styles/`` in a checkout, ``convert/styles`` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "styles"
STYLES_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "styles"


def style_path(name: str) -> Path:
    return STYLES_DIR / name


def read_style(name: str) -> str:
    return style_path(name).read_text(encoding="utf-8")


def find_stylesheet(value: str, base: Path) -> Path:
    """A bundled style by name (``sans``), or a CSS file relative to ``base``; ValueError if neither."""
    theme = STYLES_DIR / "themes" / f"{value}.css"
    if value and theme.is_file():
        return theme
    path = base / value
    if not value or not path.is_file():
        themes = ", ".join(sorted(p.stem for p in (STYLES_DIR / "themes").glob("*.css")))
        raise ValueError(f"{value!r} is neither a CSS file nor a bundled style ({themes})")
    return path
