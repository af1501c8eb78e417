"""Benchmark: what a link-heavy article costs in PDF under each link policy, against ``--links none``.

Run on demand:  .venv/bin/python benchmarks/dense.py [INPUT ...] [--rounds 3]

Without inputs, a generated round-up post with ~480 links (``corpus.py``'s dense post) and an
ordinary post with a few. Each policy is written in turn, in rounds (interleaved); the figure is
the CPU time of this process (WeasyPrint runs in it), which a loaded machine disturbs far less
than wall time, and how many times the writer laid the article out. The target: ``auto`` within
1.3 × ``none``.
"""

from __future__ import annotations

import argparse
import io
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pikepdf
from corpus import post

from convert import load, sandbox_for
from convert.options import LinkPolicy, WriteOptions
from convert.transforms.links import marker_count, marker_density
from convert.writers import pdf as pdf_writer


def write_once(path: Path, policy: LinkPolicy) -> tuple[float, int, int]:
    """CPU seconds, layouts and pages of one PDF of ``path`` with ``policy``."""
    doc = load(path)
    options = sandbox_for(path, WriteOptions(links=policy))
    layouts = 0
    layout = pdf_writer._layout

    def counted(*args: object) -> object:
        nonlocal layouts
        layouts += 1
        return layout(*args)  # type: ignore[arg-type]

    pdf_writer._layout = counted  # type: ignore[assignment]
    try:
        start = time.process_time()
        data = pdf_writer.PdfWriter().write(doc, options)
        seconds = time.process_time() - start
    finally:
        pdf_writer._layout = layout
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return seconds, layouts, len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", type=Path, nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--policies", default="none,auto,endnote,footnote", help="the first is the baseline")
    args = parser.parse_args()
    logging.getLogger("tearsheet").setLevel(logging.ERROR)
    policies = [LinkPolicy(name) for name in args.policies.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = list(args.inputs)
        if not inputs:
            for name, dense in (("dense-post.md", True), ("ordinary-post.md", False)):
                path = Path(tmp) / name
                path.write_text(post(99, random.Random(5), dense=dense), encoding="utf-8")
                inputs.append(path)
        write_once(inputs[0], LinkPolicy.NONE)  # fonts and stylesheets set up before any clock runs
        for path in inputs:
            doc = load(path)
            print(f"{path.name}: {marker_count(doc)} link markers, {marker_density(doc):.0f} per 1,000 words")
            runs: dict[LinkPolicy, list[tuple[float, int, int]]] = {p: [] for p in policies}
            for k in range(args.rounds):
                for policy in policies[k % len(policies) :] + policies[: k % len(policies)]:
                    runs[policy].append(write_once(path, policy))
            none = statistics.median(s for s, _, _ in runs[policies[0]])
            for policy, done in runs.items():
                seconds = statistics.median(s for s, _, _ in done)
                layouts, pages = done[0][1], done[0][2]
                print(
                    f"  {policy.value:9} {seconds:6.2f} s CPU  × {seconds / none:4.2f} of {policies[0].value}  "
                    f"{layouts} layout(s), {pages} pages"
                )


if __name__ == "__main__":
    main()
