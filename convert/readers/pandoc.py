"""Run pandoc (shipped by pypandoc-binary) to get its JSON AST."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pypandoc

from convert.errors import InputError

# Readers must never fetch or include anything: no network, no local files
# named by the input (``--sandbox`` makes pandoc refuse all such I/O).
_READ_ARGS = ["--sandbox"]


def parse_text(text: str, fmt: str, source: str | Path) -> dict[str, Any]:
    try:
        out = pypandoc.convert_text(text, "json", format=fmt, extra_args=_READ_ARGS)
    except (RuntimeError, OSError) as exc:
        raise InputError(source, f"pandoc could not read it as {fmt}: {_first_line(exc)}") from None
    return _load(out, source)


def parse_file(path: Path, fmt: str, *, media_dir: Path) -> dict[str, Any]:
    # --sandbox would forbid writing extracted media, and container formats
    # carry their media inside, so extraction is the only I/O allowed here.
    args = [f"--extract-media={media_dir}"]
    try:
        out = pypandoc.convert_file(str(path), "json", format=fmt, extra_args=args)
    except (RuntimeError, OSError) as exc:
        raise InputError(path, f"pandoc could not read it as {fmt}: {_first_line(exc)}") from None
    return _load(out, path)


def _load(out: str, source: str | Path) -> dict[str, Any]:
    try:
        ast = json.loads(out)
    except json.JSONDecodeError:
        raise InputError(source, "pandoc returned no document") from None
    if not isinstance(ast, dict) or "blocks" not in ast:
        raise InputError(source, "pandoc returned no document")
    return ast


def _first_line(exc: BaseException) -> str:
    for line in str(exc).splitlines():
        line = line.strip()
        if line and not line.startswith("Pandoc died"):
            return line
    return type(exc).__name__


def reader_formats() -> list[str]:
    return sorted(pypandoc.get_pandoc_formats()[0])
