"""Citation metadata on saved real pages: site name, authors and published date, right or wrong.

Run on demand: ``.venv/bin/python benchmarks/citation_metadata.py [PAGES_DIR]`` (default: the ten pages in
``tests/fixtures/real``, judged by the table in ``tests/test_real_citations.py``, which is read off each
page's own metadata). For another folder of ``*/source.html`` with ``expected-metadata.json`` (Reader View's
``siteName``, ``byline``, ``publishedTime``), pages are judged where Reader View has a value.

Also counted: organisations printed inverted or initialled ("News, B.") and footers that print a year the
page's metadata does not state (a date invented from the body, an infobox or the conversion time).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _table() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    spec = importlib.util.spec_from_file_location("test_real_citations", ROOT / "tests" / "test_real_citations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.EXPECTED)


def _expected(page: Path, table: dict[str, tuple[str, str, tuple[str, ...]]]) -> tuple[str | None, ...]:
    """(published day, site, authors joined) — None where nothing is known to judge by."""
    if page.name in table and page.parent == ROOT / "tests" / "fixtures" / "real":
        day, site, authors = table[page.name]
        return day, site, "; ".join(authors)
    reader_view = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
    published = reader_view.get("publishedTime")
    return (published or "")[:10] or None, reader_view.get("siteName"), reader_view.get("byline")


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    from convert import load
    from convert.model import inline_text
    from convert.transforms.footer import attribution

    pages_dir = Path(argv[0]) if argv else ROOT / "tests" / "fixtures" / "real"
    table = _table()
    totals = {"site": [0, 0], "authors": [0, 0], "date": [0, 0]}
    inverted = invented = 0
    print(f"{'page':14} {'site':6} {'authors':8} {'date':6} footer (chicago)")
    for page in sorted(p for p in pages_dir.iterdir() if (p / "source.html").is_file()):
        doc = load(page / "source.html")
        meta, footer = doc.meta, inline_text(attribution(doc, "chicago"))
        day, site, authors = _expected(page, table)
        found = (meta.published[:10], meta.publisher, "; ".join(a.name for a in meta.authors))
        marks = []
        for key, want, got in zip(("date", "site", "authors"), (day, site, authors), found, strict=True):
            if want is None:
                marks.append("-")
                continue
            right = " ".join(got.split()).casefold() == " ".join(want.split()).casefold()
            if key == "site" and want:
                right = right and want in footer.replace(meta.source_url, "")  # as the site writes it
            totals[key][0] += right
            totals[key][1] += 1
            marks.append("right" if right else "WRONG")
        for author in meta.authors:
            words = author.name.split()
            if author.name.casefold() == meta.publisher.casefold() and len(words) > 1:
                inverted += f"{words[-1]}, {words[0][0]}." in footer  # "BBC News" as "News, B."
        stated = set(YEAR.findall(meta.published + meta.source_url + meta.title + meta.rights))
        invented += bool(set(YEAR.findall(footer)) - stated)
        print(f"{page.name:14} {marks[1]:6} {marks[2]:8} {marks[0]:6} {footer[:110]}")
    for key, (good, judged) in totals.items():
        print(f"{key}: {good}/{judged} right")
    print(f"organisations inverted or initialled: {inverted}; footers with a year the page does not state: {invented}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
