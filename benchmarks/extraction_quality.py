"""Extraction quality on the ten saved real pages: per-page content P/R/F1, link recall, byline, title.

Run on demand: ``.venv/bin/python benchmarks/extraction_quality.py [--normalized] [page ...]``. The metrics are
the ones ``tests/e2e/test_real_pages.py`` asserts on (imported from it, not copied); this script
adds timings, image counts, the links that were missed and byline and title accuracy against Reader View
(a byline is right when it names the people Reader View's does, and no one where it has none).
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import time
import unicodedata
from types import ModuleType

from _common import ROOT


@functools.cache
def metrics() -> ModuleType:
    """``tests/e2e/test_real_pages.py``, loaded once per process."""
    spec = importlib.util.spec_from_file_location("test_real_pages", ROOT / "tests" / "e2e" / "test_real_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def norm_title(title: str) -> str:
    title = unicodedata.normalize("NFKC", title).casefold().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", title).strip()


def main(argv: list[str]) -> int:
    from convert.normalize import normalize
    from convert.readers import read
    from convert.readers.extract import extract_article

    # --normalized: score what `tearsheet inspect` shows, the normalizer's passes run too (a page saved
    # without its address then loses its relative links, which point nowhere: lwn-1).
    normalized = "--normalized" in argv
    names = [a for a in argv if a != "--normalized"]
    m = metrics()
    pages = [p for p in m.page_dirs() if not names or p.name in names]
    scores, seconds, extract_seconds, shapes = [], [], [], []
    for page in pages:
        start = time.perf_counter()
        doc = read(page / "source.html")
        doc = normalize(doc) if normalized else doc
        seconds.append(time.perf_counter() - start)
        source = (page / "source.html").read_text(encoding="utf-8", errors="replace")
        start = time.perf_counter()
        extract_article(source, m.page_url(source))
        extract_seconds.append(time.perf_counter() - start)
        scores.append(m.score_document(doc, page))
        shapes.append((m.structure(doc), m.expected_structure(page)))

    table = m.format_table(scores).splitlines()
    # secs: the whole reader (extraction, metadata, pandoc); extract: extract_article alone.
    print(f"{table[0]} {'secs':>6s} {'extract':>7s}  byline  title")
    for line, score, secs, ext in zip(table[1:], scores, seconds, extract_seconds, strict=False):
        same = norm_title(score.title) == norm_title(score.expected_title)
        title = "ok" if same else f"{score.title!r} ≠ {score.expected_title!r}"
        byline = "ok" if score.byline_ok else f"{score.byline!r} ≠ {score.expected_byline!r}"
        print(f"{line} {secs:6.2f} {ext:7.3f}  {byline:6s}  {title}")
    titles = sum(norm_title(s.title) == norm_title(s.expected_title) for s in scores)
    n = max(1, len(scores))
    bylines = sum(s.byline_ok for s in scores)
    timing = f"{sum(seconds) / n:6.2f} {sum(extract_seconds) / n:7.3f}"
    print(f"{table[-1]} {timing}  bylines {bylines}/{n}, titles {titles}/{n}")
    print(f"\nstructure found/expected: {', '.join(m.STRUCTURE)}")
    for score, (found, wanted) in zip(scores, shapes, strict=True):
        print(f"{score.page:14s} " + "  ".join(f"{found[k]:3d}/{wanted[k]:<3d}" for k in m.STRUCTURE))
    for score in scores:
        if score.missing_links:
            print(f"\n{score.page}: {len(score.missing_links)} expected link(s) missing, e.g.")
            for key in score.missing_links[:5]:
                print(f"  {key}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
