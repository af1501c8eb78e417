"""A small project to build: the examples, a few generated articles, and the issue's manifest; a CLI runner."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner

EXAMPLES = Path(__file__).parents[2] / "examples"

MANIFEST = """\
[build]
inputs = ["articles/*.md", "pages/*.html"]
formats = ["pdf", "epub", "docx"]
output = "dist"

[[collection]]
name = "weekly"
title = "Weekly reading"
inputs = ["articles/*.md"]
formats = ["epub", "pdf"]
"""


def generated_article(k: int) -> str:
    """A short article with front matter, headings, a list, a table and cited links."""
    return f"""---
title: Generated article {k}
author: Writer {k}
date: 2024-03-{k + 1:02d}
source_url: https://generated.example/{k}/
---

Opening paragraph {k} cites [a report](https://reports.example/{k}) and [a map](https://maps.example/{k}).

## Findings

- first finding of article {k}
- second finding, see [the data](https://data.example/{k}.csv)

| year | value |
|------|-------|
| 2023 | {k}   |
| 2024 | {k + 1} |

## Closing

Last words of article {k}.
"""


def make_project(root: Path, generated: int = 2, manifest: str = MANIFEST) -> Path:
    """``root/tearsheet.toml`` with the examples' Markdown (and images) in articles/, the web page in pages/."""
    articles = root / "articles"
    pages = root / "pages"
    articles.mkdir(parents=True)
    pages.mkdir()
    shutil.copytree(EXAMPLES / "images", articles / "images")
    for path in EXAMPLES.glob("*.md"):
        shutil.copy(path, articles / path.name)
    shutil.copy(EXAMPLES / "web-page.html", pages / "web-page.html")
    for k in range(1, generated + 1):
        (articles / f"generated-{k}.md").write_text(generated_article(k), encoding="utf-8")
    path = root / "tearsheet.toml"
    path.write_text(manifest, encoding="utf-8")
    return path


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def invoke(command: click.Command, *args: str | Path) -> Run:
    result = CliRunner().invoke(command, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
