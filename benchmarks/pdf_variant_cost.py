"""What tagging costs: CPU time of PDF writing per --pdf-variant, in interleaved rounds.

    python benchmarks/pdf_variant_cost.py [--rounds 3] [--variants none,ua-1,a-3b]

Each round writes every input once per variant, the variants in turn (so a busy machine slows
them alike); the figure is the CPU time of this process (``time.process_time``), summed over
rounds, as a ratio to ``none`` (untagged, what Tearsheet wrote before). The inputs are the three
samples and the ten real pages, read once before timing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convert import attach_source, load, sandbox_for, write  # noqa: E402
from convert.options import WriteOptions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default="none,ua-1,a-3b")
    parser.add_argument("--samples-only", action="store_true", help="only the three samples (quick)")
    args = parser.parse_args()
    logging.getLogger("tearsheet").setLevel(logging.ERROR)
    fixtures = ROOT / "tests" / "fixtures"
    sources = [*(fixtures / n for n in ("front-matter-article.md", "scraped-article.md", "web-page.html"))]
    if not args.samples_only:
        sources += sorted((fixtures / "real").glob("*/source.html"))
    docs = [(source, load(source)) for source in sources]
    variants = args.variants.split(",")
    spent = dict.fromkeys(variants, 0.0)
    write(docs[0][1], "pdf", sandbox_for(docs[0][0], WriteOptions()))  # warm: fonts, stylesheets
    for _ in range(args.rounds):
        for variant in variants:
            start = time.process_time()
            for source, doc in docs:
                write(doc, "pdf", attach_source(source, sandbox_for(source, WriteOptions(pdf_variant=variant))))
            spent[variant] += time.process_time() - start
    base = spent.get("none") or next(iter(spent.values()))
    print(f"{len(docs)} inputs x {args.rounds} rounds, CPU seconds of this process:")
    for variant, seconds in spent.items():
        print(f"  {variant:5} {seconds:7.1f} s   x{seconds / base:.3f}")


if __name__ == "__main__":
    main()
