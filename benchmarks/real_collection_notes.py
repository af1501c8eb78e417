"""Acceptance run: the ten saved real pages as one PDF anthology; every note inside its article.

Builds the anthology with the default link policy and checks it with pypdf against the
normalized documents (what ``inspect --json`` prints): no page carries notes whose markers
are on another page, no page holds notes alone, and every citation of every article is
printed (as a clickable URL) inside that article's page range. Prints the figures and,
with ``--png DIR``, page images made with pdftoppm.

Run on demand:  .venv/bin/python benchmarks/real_collection_notes.py [--png DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))  # the tests' pypdf checks

from pypdf import PdfReader

from convert import load
from convert.collection import build_collection
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from tests.e2e.test_real_pages import page_dirs
from tests.writers.test_pdf_notes import article_pages, notes_only_pages, stray_notes, uris_on


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--png", type=Path, help="write page images here (pdftoppm -r 50)")
    parser.add_argument("--keep", type=Path, help="also keep the PDF here")
    args = parser.parse_args()
    sources = [page / "source.html" for page in page_dirs()]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "ten.pdf"
        start = time.perf_counter()
        build_collection(sources, target, CollectionSpec("Ten real pages"), WriteOptions())
        seconds = time.perf_counter() - start
        if args.keep:
            args.keep.write_bytes(target.read_bytes())
        reader = PdfReader(target)
        docs = [load(source) for source in sources]
        ranges = article_pages(reader, [doc.meta.title for doc in docs])
        missing = []
        for source, doc, pages in zip(sources, docs, ranges, strict=True):
            printed = uris_on(reader, pages)
            missing += [(source.parent.name, c.url) for c in doc.citations if c.url not in printed]
        print(f"{len(sources)} articles, {len(reader.pages)} pages, {seconds:.1f} s")
        print(f"article page ranges: {[(r.start + 1, r.stop) for r in ranges]}")
        print(f"notes off their marker's page: {stray_notes(reader)}")
        print(f"pages with notes alone: {notes_only_pages(reader)}")
        print(f"citations not printed inside their article: {missing}")
        if args.png:
            args.png.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-png", "-r", "50", str(target), str(args.png / "ten")], check=True)


if __name__ == "__main__":
    main()
