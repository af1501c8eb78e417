"""Body extraction scored on trafilatura's evaluation corpus, Tearsheet beside other extractors.

Run on demand::

    .venv/bin/python benchmarks/extraction_eval.py CORPUS_DIR [--jobs 2] [--limit N] [--worst 15] [--texts DIR]

``CORPUS_DIR`` holds ``evaldata.json`` and ``pages/`` (e.g. ``../shared/corpora/trafilatura-eval``).
Scoring as trafilatura's own ``tests/eval_common.py`` does it: the extracted text and every
annotated segment are whitespace-normalised; a ``with`` segment found in the text is a true
positive, one not found a false negative; a ``without`` segment found is a false positive.
Counts are summed over all pages; a crash counts as all misses; entries whose file is absent
are skipped. Scores are also given for the even- and the odd-numbered pages apart (``--half``
runs one of them): rules are developed on one half and confirmed on the other. The systems, all
in the same run:

* ``tearsheet``: ``convert.load`` (read + normalize), the title then the body as the text a reader
  sees (image descriptions, which print only when the image is missing, left out; as
  ``tests/e2e/test_real_pages.py`` reads documents);
* ``trafilatura``: plain ``trafilatura.extract(html)`` with its defaults;
* ``trafilatura-precision``: the same in its precision mode (``favor_precision=True``), which
  Tearsheet uses to trim the ends of its body;
* ``readability``: readability-lxml (the ``bench`` extra), ``Document.title()`` then the text of
  ``summary()``.

After the scores it lists the pages where Tearsheet loses most to the best other system, what
each normalizer rule took out (annotated segments its removals hold that the text no longer has,
furniture / article, on the even and the odd pages: a rule is measured on both halves in one
run), and every page where it lost the article: under half the ``with`` segments plain trafilatura finds,
where plain trafilatura finds 90 % or more (the held-out acceptance allows none).

The other systems' outputs are cached in a folder outside the repository (``--cache-dir``,
default ``$TMPDIR/tearsheet-extraction-eval``) keyed by page bytes and library version:
only Tearsheet is run again on every call. At most two processes (the machine has two cores).
``--texts DIR`` writes Tearsheet's text and removals of each page there, to read what it keeps.
A system whose library is not installed is left out with a note.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _common as common

SYSTEMS = ("tearsheet", "trafilatura", "trafilatura-precision", "readability")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        denominator = 2 * self.tp + self.fp + self.fn
        return precision, recall, 2 * self.tp / denominator if denominator else 0.0

    @property
    def errors(self) -> int:
        return self.fp + self.fn


def count(item: dict[str, Any], text: str | None) -> Counts:
    """trafilatura's scoring of one page: whitespace-normalised substring matches."""
    if text is None:
        return Counts(0, 0, len(item["with"]))
    found = norm(text)
    tp = sum(norm(segment) in found for segment in item["with"])
    fp = sum(norm(segment) in found for segment in item["without"])
    return Counts(tp, fp, len(item["with"]) - tp)


# ---------------------------------------------------------------------------------- the systems


def tearsheet_document(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """Tearsheet's text of the page, and what the normalizer removed from it (rule, text)."""
    from convert import load
    from tests.e2e.test_real_pages import document_text

    doc = load(path)
    return doc.meta.title + "\n" + document_text(doc), [(r.rule, r.text) for r in doc.removed]


def run_tearsheet(path: Path) -> str:
    return tearsheet_document(path)[0]


def run_trafilatura(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes()) or ""


def run_trafilatura_precision(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes(), favor_precision=True) or ""


def run_readability(path: Path) -> str:
    import lxml.html
    from readability import Document  # type: ignore[import-untyped]

    page = Document(path.read_bytes())
    summary = lxml.html.fromstring(page.summary(html_partial=True))
    title: str = page.title()
    return title + "\n" + "\n".join(summary.itertext())


RUNNERS: dict[str, Callable[[Path], str]] = {
    "tearsheet": run_tearsheet,
    "trafilatura": run_trafilatura,
    "trafilatura-precision": run_trafilatura_precision,
    "readability": run_readability,
}
LIBRARIES = {"trafilatura": "trafilatura", "trafilatura-precision": "trafilatura", "readability": "readability-lxml"}


# ---------------------------------------------------------------------------------- one page


@dataclass
class PageResult:
    url: str
    file: str
    counts: dict[str, Counts] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    crashes: dict[str, str] = field(default_factory=dict)
    # Per rule of Tearsheet's: segments its removals took out of the text (fp: furniture, as it
    # should; fn: article text lost).
    rules: dict[str, Counts] = field(default_factory=dict)


def score_page(task: tuple[str, dict[str, Any], Path, tuple[str, ...], Path | None, Path | None]) -> PageResult:
    url, item, path, systems, cache, texts = task
    result = PageResult(url, item["file"])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
    for system in systems:
        cached = None
        if cache is not None and system != "tearsheet":  # Tearsheet is what changes between runs
            cached = cache / f"{system}-{common.library_version(LIBRARIES[system])}-{digest}.json"
        text: str | None
        if cached is not None and cached.exists():
            text = json.loads(cached.read_text(encoding="utf-8"))["text"]
            result.seconds[system] = 0.0
        else:
            start = time.perf_counter()
            try:
                with common.page_time_limit():
                    if system == "tearsheet":
                        text, removed = tearsheet_document(path)
                        result.rules = _rule_effects(item, text, removed)
                        if texts is not None:
                            removals = json.dumps(removed)
                            (texts / f"{item['file']}.removed.json").write_text(removals, encoding="utf-8")
                    else:
                        text = RUNNERS[system](path)
            except Exception as exc:  # a crash counts as all misses, as in trafilatura's evaluation
                text = None
                result.crashes[system] = f"{type(exc).__name__}: {exc}"[:200]
            result.seconds[system] = time.perf_counter() - start
            if cached is not None and text is not None:
                cached.write_text(json.dumps({"text": text}), encoding="utf-8")
        if texts is not None and system == "tearsheet":
            (texts / f"{item['file']}.txt").write_text(text or "", encoding="utf-8")
        result.counts[system] = count(item, text)
    return result


def _rule_effects(item: dict[str, Any], text: str, removed: list[tuple[str, str]]) -> dict[str, Counts]:
    """For each rule, the annotated segments missing from the text that its removals hold:
    ``without`` ones count as ``fp`` (furniture it took out), ``with`` ones as ``fn`` (article lost)."""
    found = norm(text)
    effects: dict[str, Counts] = {}
    for rule in {rule for rule, _ in removed}:
        taken = "\n".join(norm(t) for r, t in removed if r == rule)
        effect = Counts(
            fp=sum(norm(s) not in found and norm(s) in taken for s in item["without"]),
            fn=sum(norm(s) not in found and norm(s) in taken for s in item["with"]),
        )
        if effect.fp or effect.fn:
            effects[rule] = effect
    return effects


# ---------------------------------------------------------------------------------- the run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_corpus_arguments(parser, SYSTEMS, default=SYSTEMS)
    parser.add_argument("--worst", type=int, default=15, help="pages where Tearsheet loses most to list")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "tearsheet-extraction-eval")
    parser.add_argument("--no-cache", action="store_true", help="run every system on every page")
    parser.add_argument("--json", type=Path, help="also write per-page counts here (outside the repository)")
    parser.add_argument("--texts", type=Path, help="also write Tearsheet's text and removals of each page here")
    args = parser.parse_args(argv)

    systems = common.chosen_systems(parser, args.systems, SYSTEMS, LIBRARIES)
    evaldata = json.loads((args.corpus / "evaldata.json").read_text(encoding="utf-8"))
    tasks = []
    cache = None if args.no_cache else args.cache_dir
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    if args.texts is not None:
        args.texts.mkdir(parents=True, exist_ok=True)
    for url, item in evaldata.items():
        path = args.corpus / "pages" / item["file"]
        if path.is_file():
            tasks.append((url, item, path, systems, cache, args.texts))
    pages = common.numbered(tasks, args.limit, args.half)

    if "tearsheet" in systems:
        # Loaded before the workers fork, so that every page of a run sees the same code.
        import convert.readers.webpage  # noqa: F401

    start = time.perf_counter()
    with common.worker_pool(args.jobs) as pool:
        results = list(pool.imap(score_page, [task for _, task in pages], chunksize=4))
    elapsed = time.perf_counter() - start

    print(f"{len(results)} pages with a file ({len(evaldata)} entries), {args.jobs} processes, {elapsed:.0f} s\n")
    header = ("precision", "recall", "F1", "TP", "FP", "FN", "crashes")
    print(f"{'system':26s} " + " ".join(f"{h:>9s}" for h in header))
    for system in systems:
        print(f"{system:26s} " + _score_line(results, system))
    if not args.half:
        for half, parity in common.HALVES:
            part = [r for (k, _), r in zip(pages, results, strict=True) if k % 2 == parity]
            for system in systems:
                print(f"{system + ' ' + half:26s} " + _score_line(part, system))
    others = [s for s in systems if s != "tearsheet"]
    if "tearsheet" in systems and others:
        _print_losses(results, others, args.worst)
    if "tearsheet" in systems:
        _print_rule_effects(pages, results)
    if "tearsheet" in systems and "trafilatura" in systems:
        _print_lost_bodies(results)
    for r in results:
        for system, crash in r.crashes.items():
            print(f"crash: {system} {r.file}: {crash}")
    if args.json:
        rows = [{"url": r.url, "file": r.file, **{s: vars(c) for s, c in r.counts.items()}} for r in results]
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def _score_line(results: list[PageResult], system: str) -> str:
    total = Counts()
    for r in results:
        total.add(r.counts[system])
    precision, recall, f1 = total.scores()
    crashes = sum(system in r.crashes for r in results)
    figures = [f"{x:9.3f}" for x in (precision, recall, f1)] + [f"{n:9d}" for n in (*vars(total).values(), crashes)]
    return " ".join(figures)


def _print_losses(results: list[PageResult], others: list[str], worst: int) -> None:
    """Pages where Tearsheet makes the most more errors (FP + FN) than the best other system."""
    losses = []
    for r in results:
        best = min(others, key=lambda s: r.counts[s].errors)
        loss = r.counts["tearsheet"].errors - r.counts[best].errors
        if loss > 0:
            losses.append((loss, r, best))
    wins = sum(r.counts["tearsheet"].errors < min(r.counts[s].errors for s in others) for r in results)
    print(f"\nTearsheet worse than the best other system on {len(losses)} pages, better on {wins}.")
    print(f"Worst {min(worst, len(losses))} (errors = FP + FN; tearsheet vs best):")
    for loss, r, best in sorted(losses, key=lambda x: (-x[0], x[1].file))[:worst]:
        mine, theirs = r.counts["tearsheet"], r.counts[best]
        print(f"  +{loss}  {r.file:50s} tearsheet fp {mine.fp} fn {mine.fn} | {best} fp {theirs.fp} fn {theirs.fn}")


def _print_rule_effects(pages: list[tuple[int, Any]], results: list[PageResult]) -> None:
    """What each normalizer rule took out, in annotated segments, on the even and the odd pages."""
    totals: dict[str, dict[int, Counts]] = {}
    for (k, _), r in zip(pages, results, strict=True):
        for rule, effect in r.rules.items():
            totals.setdefault(rule, {0: Counts(), 1: Counts()})[k % 2].add(effect)
    print("\nRemovals by rule (segments no longer in the text): furniture taken out / article text taken out")
    print(f"  {'rule':24s} {'even':>12s} {'odd':>12s}")
    for rule, halves in sorted(totals.items()):
        print(f"  {rule:24s} " + " ".join(f"{h.fp:>6d} / {h.fn:<3d}" for h in halves.values()))


# The held-out acceptance: no page where Tearsheet keeps less than half of what plain trafilatura
# finds while plain trafilatura finds at least 90 % of the article.
_LOST_SHARE = 0.5
_KEPT_SHARE = 0.9


def lost_bodies(results: list[PageResult]) -> list[PageResult]:
    """Pages where Tearsheet finds under half the ``with`` segments plain trafilatura finds, while
    plain trafilatura finds at least 90 % of them: an article lost."""
    lost = []
    for r in results:
        mine, plain = r.counts["tearsheet"], r.counts["trafilatura"]
        segments = plain.tp + plain.fn
        if segments and plain.tp >= _KEPT_SHARE * segments and mine.tp < _LOST_SHARE * plain.tp:
            lost.append(r)
    return lost


def _print_lost_bodies(results: list[PageResult]) -> None:
    lost = lost_bodies(results)
    print(
        f"\nArticles lost: {len(lost)} pages where Tearsheet keeps under {_LOST_SHARE:.0%} of the with-segments"
        f" plain trafilatura finds while it finds {_KEPT_SHARE:.0%} or more (must be 0)"
    )
    for r in lost:
        mine, plain = r.counts["tearsheet"], r.counts["trafilatura"]
        print(f"  {r.file:50s} tearsheet {mine.tp} | trafilatura {plain.tp} of {plain.tp + plain.fn}")


if __name__ == "__main__":
    sys.path.insert(0, str(common.ROOT))
    sys.exit(main(sys.argv[1:]))
