"""Benchmark: a batch of articles to PDF, EPUB and DOCX against the usual script and the engines' own floors.

Run on demand (a corpus folder of Markdown and saved pages; ``benchmarks/corpus.py`` makes one):

    .venv/bin/python benchmarks/corpus.py /tmp/corpus --real ../shared/samples/real
    .venv/bin/python benchmarks/batch.py /tmp/corpus [--jobs 2] [--rounds 3] [--pdf-variant pdf/ua-1]
    .venv/bin/python benchmarks/batch.py --generated 200          # the generated articles, a second set

Every system runs on the same inputs with the same number of processes, in one interleaved run
(each round runs all of them, in a rotated order, so a noisy moment of a shared machine hits them
alike); each system's median over the rounds is printed, and each ratio is the median of the
ratios taken within a round.

- A: the usual script: pandoc once per file and format (``--pdf-engine=weasyprint``), ``--jobs``
  at a time.
- B: WeasyPrint alone in warm processes on pandoc's HTML of each input (``pandoc -s -t html5``,
  the page ``--pdf-engine=weasyprint`` lays out), with ``--pdf-variant``: the PDF floor.
- C: ``tearsheet build --force --jobs N`` on a manifest of the corpus, three formats; and PDF only.
- Floors of each format on Tearsheet's own intermediate (all warm, ``--jobs`` processes):
  WeasyPrint on Tearsheet's page HTML with its print stylesheets; pandoc's DOCX writer on the
  pandoc JSON Tearsheet gives it, through one warm pandoc per process; ebooklib packaging the
  XHTML chapter Tearsheet renders.

Then a per-stage profile of Tearsheet in this one process (read, normalize, render HTML,
WeasyPrint layout, PDF write, DOCX, EPUB), summed over the corpus, with the inputs that cost most.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import logging
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from articles import write_articles

from convert import sandbox_for
from convert.batch.runner import default_jobs
from convert.batch.worker import warm_up
from convert.normalize import normalize
from convert.options import LinkPolicy, WriteOptions
from convert.pandoc_process import convert_text
from convert.readers import read
from convert.render.html import NoteStyle
from convert.render.page import render_article
from convert.writers import pdf as pdf_writer
from convert.writers.docx import DocxWriter
from convert.writers.epub import EpubWriter, epub_css

FORMATS = ("pdf", "epub", "docx")
INPUT_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def manifest(formats: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{f}"' for f in formats)
    # no per-input time limit: on a loaded machine the round-up post's PDF passed the default 300 s
    return f'[build]\ninputs = ["inputs/*"]\nformats = [{quoted}]\noutput = "dist"\ntimeout = 0\n'


# --- A: the usual script ------------------------------------------------------------------------


def _venv_env() -> dict[str, str]:
    """pandoc finds ``weasyprint`` on PATH: this Python's own."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def time_script(sources: list[Path], out: Path, jobs: int) -> float:
    """pandoc per file and format, ``jobs`` at a time; WeasyPrint's own command makes the PDFs."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    env = _venv_env()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    def convert(source: Path, fmt: str) -> int:
        # --sandbox: no fetching of the saved pages' remote images (Tearsheet fetches none either)
        command = [pandoc, "--sandbox", str(source), "-o", str(out / f"{source.stem}.{fmt}")]
        if fmt == "pdf":
            command.append("--pdf-engine=weasyprint")
        return subprocess.run(command, env=env, capture_output=True, check=False).returncode

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        codes = list(pool.map(convert, *zip(*[(s, f) for s in sources for f in FORMATS], strict=True)))
    elapsed = time.perf_counter() - start
    assert not any(codes), f"{sum(1 for c in codes if c)} pandoc runs failed"
    return elapsed


def pandoc_html(source: Path) -> str:
    """The standalone HTML5 page pandoc gives WeasyPrint for ``--pdf-engine=weasyprint``."""
    import pypandoc

    command = [pypandoc.get_pandoc_path(), "--sandbox", "-s", "-t", "html5", str(source)]
    done = subprocess.run(command, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


# --- B and the floors: warm processes -----------------------------------------------------------


@functools.cache
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.lru_cache(maxsize=8)
def _css(text: str) -> Any:
    from weasyprint import CSS

    return CSS(string=text, font_config=_fonts())


@functools.cache
def _no_fetching() -> Any:
    """B's fetcher: nothing from outside, as Tearsheet fetches nothing (``data:`` URLs never reach it)."""
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"not fetched: {url[:60]}")

    return NoFetching()


def render_pdf(job: tuple[str, str, str]) -> int:
    """One page → PDF, the stylesheet parsed and the fonts configured once per process."""
    from weasyprint import HTML

    page, css, variant = job
    stylesheets = [_css(css)] if css else []
    pdf = HTML(string=page, url_fetcher=_no_fetching()).write_pdf(
        stylesheets=stylesheets, font_config=_fonts(), pdf_variant=variant or None
    )
    return len(pdf)


def write_docx(ast: bytes) -> int:
    return len(convert_text(ast, "json", "docx")[0])


def write_epub(job: tuple[str, str, str, str]) -> int:
    """ebooklib alone: one chapter, the stylesheet, nav and NCX."""
    from ebooklib import epub

    chapter_xhtml, css, title, language = job
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:0b7f3e52-3a1c-4a8e-9d3e-5b1f4c7a2d10")
    book.set_title(title)
    book.set_language(language)
    style = epub.EpubItem(uid="style", file_name="style/article.css", media_type="text/css", content=css.encode())
    book.add_item(style)
    chapter = epub.EpubHtml(title=title, file_name="article.xhtml", lang=language)
    chapter.content = f"<html><body>{chapter_xhtml}</body></html>"
    chapter.add_item(style)
    book.add_item(chapter)
    book.toc = [epub.Link("article.xhtml", title, "article")]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [chapter, "nav"]
    out = io.BytesIO()
    epub.write_epub(out, book, {"epub3_pages": False})
    return len(out.getvalue())


def _settle(seconds: float) -> None:
    time.sleep(seconds)


def time_warm(work: Callable[[Any], int], jobs_of_work: list[Any], jobs: int) -> float:
    """``work`` on every item in ``jobs`` warm processes; the clock starts once all are warm."""
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=warm_up, initargs=(None,)) as pool:
        list(pool.map(_settle, [0.5] * jobs))  # every worker started and warm before the clock starts
        list(pool.map(work, jobs_of_work[: jobs * 2]))  # and its stylesheet, fonts, pandoc set up
        start = time.perf_counter()
        list(pool.map(work, jobs_of_work))
        return time.perf_counter() - start


# --- C: the command -----------------------------------------------------------------------------


def time_build(root: Path, formats: tuple[str, ...], jobs: int) -> float:
    (root / "tearsheet.toml").write_text(manifest(formats), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "tearsheet"), "build", str(root / "tearsheet.toml")]
    command += ["--force", "--jobs", str(jobs), "-q"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return elapsed


# --- the per-stage profile ----------------------------------------------------------------------

STAGES = ("read", "normalize", "render HTML", "WeasyPrint layout", "PDF write", "DOCX", "EPUB")


@dataclass
class Prepared:
    """What the floors are given, made beforehand (not timed) from each input."""

    pandoc_pages: list[str] = field(default_factory=list)
    tearsheet_pages: list[tuple[str, str]] = field(default_factory=list)  # (page, its print stylesheets)
    docx_asts: list[bytes] = field(default_factory=list)
    chapters: list[tuple[str, str, str, str]] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    per_input: list[tuple[float, int, str]] = field(default_factory=list)  # (PDF seconds, layouts, name)


@contextmanager
def _pdf_stages(seconds: dict[str, float], pages: list[tuple[str, str]]) -> Iterator[None]:
    """Time the PDF writer's layout and PDF-writing steps as it runs; keep the page it laid out last,
    with the stylesheets it was laid out with (F_pdf lays out the same page with the same CSS)."""
    layout, write_pdf = pdf_writer._layout, pdf_writer._pdf_bytes

    def timed_layout(page: str, options: WriteOptions, extra_css: tuple[str, ...]) -> Any:
        start = time.perf_counter()
        try:
            return layout(page, options, extra_css)
        finally:
            seconds["WeasyPrint layout"] += time.perf_counter() - start
            seconds["layouts"] += 1
            pages.append((page, "\n".join(pdf_writer.stylesheet_texts(options, extra_css))))

    def timed_write(*args: Any) -> bytes:
        start = time.perf_counter()
        try:
            return write_pdf(*args)
        finally:
            seconds["PDF write"] += time.perf_counter() - start

    pdf_writer._layout, pdf_writer._pdf_bytes = timed_layout, timed_write  # type: ignore[assignment]
    try:
        yield
    finally:
        pdf_writer._layout, pdf_writer._pdf_bytes = layout, write_pdf


def prepare(sources: list[Path], variant: str) -> Prepared:
    """Run Tearsheet's stages one by one on every input (timed), and keep what each floor needs."""
    out = Prepared()
    options = WriteOptions()
    logging.getLogger("tearsheet").setLevel(logging.ERROR)  # the articles' own warnings are not the point here
    for source in sources:
        out.pandoc_pages.append(pandoc_html(source))
        article_options = sandbox_for(source, options)
        start = time.perf_counter()
        raw = read(source)
        out.stages["read"] += time.perf_counter() - start
        start = time.perf_counter()
        doc = normalize(raw)
        out.stages["normalize"] += time.perf_counter() - start
        pdf_seconds: dict[str, float] = {"WeasyPrint layout": 0.0, "PDF write": 0.0, "layouts": 0}
        pages: list[tuple[str, str]] = []
        start = time.perf_counter()
        with _pdf_stages(pdf_seconds, pages):
            pdf_writer.PdfWriter().write(doc, article_options)
        total = time.perf_counter() - start
        out.stages["WeasyPrint layout"] += pdf_seconds["WeasyPrint layout"]
        out.stages["PDF write"] += pdf_seconds["PDF write"]
        out.stages["render HTML"] += total - pdf_seconds["WeasyPrint layout"] - pdf_seconds["PDF write"]
        out.per_input.append((total, int(pdf_seconds["layouts"]), source.name))
        out.tearsheet_pages.append(pages[-1])
        start = time.perf_counter()
        DocxWriter().write(doc, article_options)
        out.stages["DOCX"] += time.perf_counter() - start
        out.docx_asts.append(json.dumps(DocxWriter().pandoc_document(doc, article_options)).encode("utf-8"))
        start = time.perf_counter()
        EpubWriter().write(doc, article_options)
        out.stages["EPUB"] += time.perf_counter() - start
        chapter = render_article(doc, article_options, policy=LinkPolicy.ENDNOTE, notes=NoteStyle.ASIDE)
        out.chapters.append((chapter.article, epub_css(article_options), chapter.title, chapter.language))
    return out


# --- the run ------------------------------------------------------------------------------------


def corpus_inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, nargs="?", help="a folder of .md and .html inputs")
    parser.add_argument("--generated", type=int, metavar="N", help="N generated articles instead of a corpus")
    parser.add_argument("--jobs", type=int, default=min(2, default_jobs()))
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are printed")
    parser.add_argument("--pdf-variant", default="", help="B's PDF variant (pdf/ua-1 once it is Tearsheet's default)")
    parser.add_argument("--profile-only", action="store_true", help="only the per-stage profile")
    args = parser.parse_args()
    if (args.corpus is None) == (args.generated is None):
        parser.error("give a corpus folder or --generated N")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "inputs"
        if args.generated:
            sources = write_articles(inputs, args.generated)
        else:
            inputs.mkdir()
            sources = [Path(shutil.copyfile(p, inputs / p.name)) for p in corpus_inputs(args.corpus)]
        print(f"inputs          {len(sources)} ({sum(p.stat().st_size for p in sources) / 1e6:.1f} MB)")
        prepared = prepare(sources, args.pdf_variant)
        print_profile(prepared)
        if args.profile_only:
            return
        variant = args.pdf_variant
        systems: dict[str, Callable[[], float]] = {
            "A": lambda: time_script(sources, root / "script", args.jobs),
            "B": lambda: time_warm(render_pdf, [(p, "", variant) for p in prepared.pandoc_pages], args.jobs),
            "C": lambda: time_build(root, FORMATS, args.jobs),
            "C_pdf": lambda: time_build(root, ("pdf",), args.jobs),
            "F_pdf": lambda: time_warm(
                render_pdf, [(p, css, variant) for p, css in prepared.tearsheet_pages], args.jobs
            ),
            "F_docx": lambda: time_warm(write_docx, prepared.docx_asts, args.jobs),
            "F_epub": lambda: time_warm(write_epub, prepared.chapters, args.jobs),
        }
        names = list(systems)
        rounds: list[dict[str, float]] = []
        for k in range(args.rounds):
            order = names[k % len(names) :] + names[: k % len(names)]
            times = {name: systems[name]() for name in order}
            rounds.append(times)
            print(f"round {k + 1}         " + "  ".join(f"{n} {times[n]:.1f}" for n in names), flush=True)
    print_results(rounds, len(sources), args.jobs, variant)


def print_profile(prepared: Prepared) -> None:
    total = sum(prepared.stages.values())
    print(f"\nper-stage profile (one process, serial; {total:.1f} s in all)")
    for stage, seconds in prepared.stages.items():
        print(f"  {stage:18} {seconds:7.2f} s  {seconds / total:5.1%}")
    print(
        "  costliest PDFs:  "
        + ", ".join(
            f"{n} {s:.1f} s ({k} layout{'s' * (k > 1)})" for s, k, n in sorted(prepared.per_input, reverse=True)[:5]
        )
    )


def print_results(rounds: list[dict[str, float]], count: int, jobs: int, variant: str) -> None:
    def median(name: str) -> float:
        return statistics.median(r[name] for r in rounds)

    def ratio(top: Callable[[dict[str, float]], float], bottom: Callable[[dict[str, float]], float]) -> float:
        return statistics.median(top(r) / bottom(r) for r in rounds)

    print(f"\n{count} inputs, {jobs} jobs, median of {len(rounds)} interleaved rounds; B variant {variant or 'plain'}")
    labels = {
        "A": "pandoc per file and format (pdf+epub+docx)",
        "B": "WeasyPrint warm on pandoc's HTML (pdf)",
        "C": "tearsheet build --force (pdf+epub+docx)",
        "C_pdf": "tearsheet build --force (pdf)",
        "F_pdf": "WeasyPrint warm on Tearsheet's HTML",
        "F_docx": "pandoc's DOCX writer warm on Tearsheet's AST",
        "F_epub": "ebooklib on Tearsheet's XHTML",
    }
    for name, label in labels.items():
        print(f"  {name:7} {median(name):7.1f} s  {label}")

    def floors(r: dict[str, float]) -> float:
        return r["B"] + r["F_docx"] + r["F_epub"]

    def own_floors(r: dict[str, float]) -> float:
        return r["F_pdf"] + r["F_docx"] + r["F_epub"]

    ratios = [
        ("C / A", ratio(lambda r: r["C"], lambda r: r["A"]), "target ≤ 0.30"),
        ("C_pdf / B", ratio(lambda r: r["C_pdf"], lambda r: r["B"]), "target ≤ 1.15"),
        ("C / (B + F_docx + F_epub)", ratio(lambda r: r["C"], floors), "target ≤ 1.15"),
        ("C / (F_pdf + F_docx + F_epub)", ratio(lambda r: r["C"], own_floors), "the floors on our own HTML"),
        ("F_pdf / B", ratio(lambda r: r["F_pdf"], lambda r: r["B"]), "our page against pandoc's, WeasyPrint alone"),
        ("C_pdf / F_pdf", ratio(lambda r: r["C_pdf"], lambda r: r["F_pdf"]), "the pipeline around WeasyPrint"),
    ]
    for label, value, note in ratios:
        print(f"  {label:30} {value:5.2f}  ({note})")


if __name__ == "__main__":
    main()
