"""Benchmark: a batch build of N generated articles to PDF, EPUB and DOCX, against two baselines.

Run on demand:  .venv/bin/python benchmarks/batch.py [--articles 200] [--jobs N]

- tearsheet: ``run_build`` with its warm workers, from an empty output folder; then the same build
  again, which the cache serves.
- script: what one writes by hand: pandoc once per file and format (``--pdf-engine=weasyprint``
  for PDF), in a thread pool of the same size.
- floor: WeasyPrint alone, in warm processes (stylesheet parsed and fonts configured once per
  process), on the HTML Tearsheet renders (rendered beforehand; only HTML → PDF is timed).
  No PDF build can beat it.

Prints script / tearsheet (how much faster than the usual script) and tearsheet / floor (what the
whole pipeline, all three formats, costs over bare PDF rendering).
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from articles import write_articles

from convert import load
from convert.batch import BuildOptions, Status, load_manifest, run_build
from convert.batch.runner import default_jobs
from convert.batch.worker import warm_up
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import NoteStyle
from convert.render.page import render_article, render_page
from convert.stylesheets import read_style

FORMATS = ("pdf", "epub", "docx")
MANIFEST = '[build]\ninputs = ["articles/*.md"]\nformats = ["pdf", "epub", "docx"]\noutput = "dist"\n'


def time_tearsheet(root: Path, jobs: int) -> tuple[float, float, float]:
    """Seconds for a cold build, for the cached rebuild, and the PDF share of the workers' time."""
    shutil.rmtree(root / "dist", ignore_errors=True)
    manifest = load_manifest(root / "tearsheet.toml")
    start = time.perf_counter()
    report = run_build(manifest, BuildOptions(jobs=jobs))
    cold = time.perf_counter() - start
    assert report.count(Status.BUILT) == len(report.items), "some outputs failed"
    pdf_share = sum(i.seconds for i in report.items if i.fmt == "pdf") / sum(i.seconds for i in report.items)
    start = time.perf_counter()
    again = run_build(manifest, BuildOptions(jobs=jobs))
    cached = time.perf_counter() - start
    assert again.count(Status.CACHED) == len(again.items), "the rebuild was not served from the cache"
    return cold, cached, pdf_share


def time_script(sources: list[Path], out: Path, jobs: int) -> float:
    """pandoc per file and format, ``jobs`` at a time; WeasyPrint's own command makes the PDFs."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    def convert(source: Path, fmt: str) -> int:
        command = [pandoc, str(source), "-o", str(out / f"{source.stem}.{fmt}")]
        if fmt == "pdf":
            command.append("--pdf-engine=weasyprint")
        return subprocess.run(command, env=env, capture_output=True, check=False).returncode

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        codes = list(pool.map(convert, *zip(*[(s, f) for s in sources for f in FORMATS], strict=True)))
    elapsed = time.perf_counter() - start
    assert not any(codes), f"{sum(1 for c in codes if c)} pandoc runs failed"
    return elapsed


def page_html(source: Path) -> str:
    """The page the PDF writer gives WeasyPrint (as ``PdfWriter.write`` renders it)."""
    doc = load(source)
    rendered = render_article(doc, WriteOptions(), policy=LinkPolicy.FOOTNOTE, notes=NoteStyle.FLOAT)
    return render_page(rendered, doc)


@functools.cache
def _floor_setup() -> tuple[Any, Any]:
    """The stylesheet parsed and the fonts configured once per worker, as a warm process would."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(string=read_style("article.css") + read_style("print.css") + "@page { size: A4; }", font_config=fonts)
    return css, fonts


def render_pdf(html: str) -> int:
    from weasyprint import HTML

    css, fonts = _floor_setup()
    return len(HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts))


def _settle(seconds: float) -> None:
    time.sleep(seconds)


def time_floor(sources: list[Path], jobs: int) -> float:
    """HTML → PDF only, in ``jobs`` processes already warm."""
    pages = [page_html(source) for source in sources]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=warm_up, initargs=(None,)) as pool:
        list(pool.map(_settle, [0.5] * jobs))  # every worker started and warm before the clock starts
        list(pool.map(render_pdf, pages[: jobs * 2]))  # and its stylesheet and fonts set up
        start = time.perf_counter()
        list(pool.map(render_pdf, pages))
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--rounds", type=int, default=1, help="run all three this many times; keep each one's best")
    args = parser.parse_args()
    results: list[tuple[float, float, float]] = []
    scripts: list[float] = []
    floors: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = write_articles(root / "articles", args.articles)
        (root / "tearsheet.toml").write_text(MANIFEST, encoding="utf-8")
        for _ in range(args.rounds):  # interleaved, so a noisy moment hits all three alike
            results.append(time_tearsheet(root, args.jobs))
            scripts.append(time_script(sources, root / "script", args.jobs))
            floors.append(time_floor(sources, args.jobs))
    tearsheet, cached, pdf_share = min(results)
    script, floor = min(scripts), min(floors)
    per = 1000 / args.articles
    print(f"articles        {args.articles} to {', '.join(FORMATS)} with {args.jobs} jobs, best of {args.rounds}")
    print(f"tearsheet       {tearsheet:.1f} s ({tearsheet * per:.0f} ms per article; PDF {pdf_share:.0%} of it)")
    print(f"cached rebuild  {cached:.2f} s")
    print(f"script          {script:.1f} s (pandoc per file and format)")
    print(f"floor           {floor:.1f} s (WeasyPrint alone, PDF only, warm)")
    print(f"script / tearsheet  {script / tearsheet:.2f}  (above 1: Tearsheet is faster)")
    print(f"tearsheet / floor   {tearsheet / floor:.2f}  (all three formats and the pipeline, over bare PDF)")


if __name__ == "__main__":
    main()
