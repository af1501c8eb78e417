"""Ace by DAISY on the EPUBs Tearsheet writes: the examples, the ten real pages, and a collection of all ten.

    python benchmarks/accessibility.py [--out DIR] [--details]

Prints the violations of each book by impact (critical / serious / moderate / minor), as the
README's "Measured figures" reports them (earlier runs: docs/history.md). Needs Ace
(``npm install @daisy/ace``) and Chromium.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convert import load, sandbox_for, write  # noqa: E402
from convert.ace import find_ace, run_ace  # noqa: E402
from convert.collection import assemble  # noqa: E402
from convert.model.book import CollectionSpec  # noqa: E402
from convert.options import WriteOptions  # noqa: E402
from convert.writers.epub import EpubWriter  # noqa: E402

IMPACTS = ("critical", "serious", "moderate", "minor")


def build_books(out: Path) -> list[Path]:
    """Each example and real page as its own EPUB, then one book of the ten real pages."""
    sources = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "examples").glob("*.html"))
    real = sorted((ROOT / "tests" / "fixtures" / "real").glob("*/source.html"))
    books, loaded = [], []
    for source in [*sources, *real]:
        doc = load(source)
        name = source.parent.name if source.name == "source.html" else source.stem
        target = out / f"{name}.epub"
        target.write_bytes(write(doc, "epub", sandbox_for(source, WriteOptions())))
        books.append(target)
        if source in real:
            loaded.append((str(source), doc, source.resolve().parent))
    book, _ = assemble(loaded, CollectionSpec(title="Ten real pages"))
    collection = out / "collection-of-10.epub"
    collection.write_bytes(EpubWriter().write_book(book, WriteOptions()))
    return [*books, collection]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="keep the EPUBs here")
    parser.add_argument("--details", action="store_true", help="list every violation")
    args = parser.parse_args()
    logging.getLogger("tearsheet").setLevel(logging.ERROR)  # images left out offline are not the point here
    program = find_ace()
    out = args.out or Path(tempfile.mkdtemp(prefix="tearsheet-ace-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    books = build_books(out)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda book: run_ace(book, program), books))
    total: Counter[str] = Counter()
    print(f"| EPUB | {' / '.join(IMPACTS)} |\n|---|---|")
    for book, report in zip(books, reports, strict=True):
        counts = report.counts()
        total.update(counts)
        print(f"| {book.stem} | {' / '.join(str(counts.get(i, 0)) for i in IMPACTS)} |")
        if args.details:
            for violation in report.violations:
                print(f"    {violation}")
    print(f"| **total** | {' / '.join(str(total.get(i, 0)) for i in IMPACTS)} |")


if __name__ == "__main__":
    main()
