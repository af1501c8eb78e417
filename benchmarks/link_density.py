"""Benchmark: where link footnotes stop fitting beside their markers (the ``auto`` policy's density rule).

For generated articles of rising link density, and for the saved pages you name, lays each
article out once with footnotes and once with endnotes, and prints: link markers per 1,000
words, notes printed off their marker's page, pages with footnotes and with endnotes, and the
time of each layout. ``FOOTNOTE_DENSITY_LIMIT`` in convert/render/links.py comes from this table.

Run on demand:  .venv/bin/python benchmarks/link_density.py [PAGE.html ...]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from articles import WORDS, sentence

from convert import load, sandbox_for
from convert.options import LinkPolicy, WriteOptions
from convert.render.page import render_page
from convert.transforms.links import marker_density
from convert.writers.pdf import PdfWriter, _layout, _Part
from convert.writers.pdf_notes import note_placement


def dense_article(links_per_paragraph: int, rng: random.Random, paragraphs: int = 30) -> str:
    """About 60 words a paragraph, with ``links_per_paragraph`` distinct links of realistic length."""
    parts = ["---\ntitle: Density\nsource_url: https://bench.example/density\n---\n"]
    count = 0
    for p in range(paragraphs):
        words = " ".join(sentence(rng, 12) for _ in range(5)).split(" ")
        step = max(len(words) // (links_per_paragraph + 1), 1)
        for k in range(links_per_paragraph):
            count += 1
            at = min(step * (k + 1), len(words) - 1)
            words[at] = (
                f"[{words[at]}](https://www.{rng.choice(WORDS)}.example/archive/2024/{p}/story-{count}-{rng.choice(WORDS)})"
            )
        parts.append(" ".join(words) + "\n")
    return "\n".join(parts)


def measure(path: Path) -> str:
    doc = load(path)
    options = sandbox_for(path, WriteOptions())
    writer, row = (
        PdfWriter(),
        [f"{(path.parent.name if path.stem == 'source' else path.stem)[:18]:18}", f"{marker_density(doc):6.1f}"],
    )
    for policy in (LinkPolicy.FOOTNOTE, LinkPolicy.ENDNOTE):
        start = time.perf_counter()
        document = _layout(render_page(writer._article(_Part(doc, options), policy), doc), options, ())
        seconds = time.perf_counter() - start
        placement = note_placement(document)
        if policy is LinkPolicy.FOOTNOTE:
            row.append(f"{len(placement.stray):5}")
        row += [f"{len(document.pages):4}", f"{seconds:6.2f}"]
    return "  ".join(row)


def main() -> None:
    print("article             per1k  stray  fn-pages fn-s  en-pages en-s")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        for links in (0, 1, 2, 3, 4, 6, 8):
            path = Path(tmp) / f"generated-{links}-per-paragraph.md"
            path.write_text(dense_article(links, rng), encoding="utf-8")
            print(measure(path), flush=True)
    for name in sys.argv[1:]:
        print(measure(Path(name)), flush=True)


if __name__ == "__main__":
    main()
