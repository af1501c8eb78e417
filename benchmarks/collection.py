"""Benchmark: bind N generated articles into one EPUB; report time and peak memory.

Run on demand:  .venv/bin/python benchmarks/collection.py [--articles 1000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from articles import write_articles

from convert.collection import build_collection
from convert.model.book import CollectionSpec
from convert.options import WriteOptions


def peak_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sources = write_articles(Path(tmp) / "in", args.articles)
        input_mb = sum(p.stat().st_size for p in sources) / 1e6
        target = Path(tmp) / "book.epub"
        start = time.perf_counter()
        result = build_collection(sources, target, CollectionSpec("Benchmark"), WriteOptions(), jobs=args.jobs)
        elapsed = time.perf_counter() - start
        print(f"articles        {result.articles}")
        print(f"input           {input_mb:.1f} MB of Markdown")
        print(f"epub            {target.stat().st_size / 1e6:.1f} MB")
        print(f"wall time       {elapsed:.1f} s ({elapsed / result.articles * 1000:.0f} ms per article)")
        print(f"peak memory     {peak_mb():.0f} MB (largest single process)")


if __name__ == "__main__":
    main()
