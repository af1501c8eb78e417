"""Tearsheet against Firefox Reader View on many pages: a proxy for issue 14's held-out Reader View measure.

Run on demand::

    npm ci --prefix benchmarks/readerview          # once: Mozilla Readability 0.6.0 and jsdom (benchmark only)
    .venv/bin/python benchmarks/readerview_eval.py CORPUS_DIR [--jobs 2] [--limit N] [--half even|odd] [--worst 15]

``CORPUS_DIR`` holds ``evaldata.json`` and ``pages/`` (e.g. ``../shared/corpora/trafilatura-eval``); each
page file is used once. Reader View's article of each page is what Mozilla Readability (the code of
Firefox Reader View) makes of it with its defaults (``readerview/readerview.mjs``; isProbablyReaderable is
not asked). It is given the address the page states (canonical link or og:url, which the scorer also
resolves links against), else ``http://fakehost/``, the convention of ``tests/fixtures/real/``: relative
links then resolve alike on both sides. A page in UTF-8 that does not say so where a browser looks (its
first 1,024 bytes) is given the charset its server's header would have given (``transport_charset``). Its
``expected.html`` and ``expected-metadata.json`` are cached outside the repository (``--cache-dir``, default
``$TMPDIR/tearsheet-readerview-eval``), keyed by the page's bytes, that address and that charset. Pages
where Readability finds no article are not scored (Firefox offers no Reader View there).

Scoring is ``tests/e2e/test_real_pages.py``'s, imported as ``benchmarks/extraction_quality.py`` imports it:
content P/R/F1 of word tokens, link recall, the byline naming Reader View's people, and the title as
``extraction_quality.norm_title`` compares it. The systems, all in the same run:

* ``tearsheet``: ``convert.readers.read`` of the page (the reader, as the tests score it);
  ``tearsheet-normalized`` (not run unless named): the normalizer's passes too, as ``inspect`` shows it;
* ``trafilatura``: plain ``trafilatura.extract`` (HTML output with links, otherwise its defaults) and
  the title and author of ``trafilatura.extract_metadata``;
* ``readability``: readability-lxml's ``summary()`` and ``title()`` (it finds no bylines).

The baselines' HTML is read into a Document by the same pandoc path Tearsheet's extracted HTML takes,
so all three are scored by one function; their scores are cached too. At most two processes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import _common as common
from extraction_quality import metrics, norm_title

NODE_DIR = Path(__file__).resolve().parent / "readerview"
SYSTEMS = ("tearsheet", "tearsheet-normalized", "trafilatura", "readability")
DEFAULT_SYSTEMS = ("tearsheet", "trafilatura", "readability")
LIBRARIES = {"trafilatura": "trafilatura", "readability": "readability-lxml"}
FAKEHOST = "http://fakehost/"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


def stated_address(path: Path) -> str:
    """The address the page states, as the scorer resolves links against; else fakehost."""
    source = path.read_text(encoding="utf-8", errors="replace")
    return metrics().page_url(source) or FAKEHOST


# ---------------------------------------------------------------------------------- Reader View


def transport_charset(data: bytes) -> str:
    """The charset a server would send with the page, where jsdom would not otherwise know it: "utf-8" for
    a page in UTF-8 (non-ASCII, valid) that does not declare it in its first 1,024 bytes, the only ones a
    browser's prescan reads; else "" (jsdom reads the page's own declaration, or falls back to windows-1252
    as a browser without one does). Saved pages lost their HTTP headers; Firefox had them."""
    if data.isascii() or re.search(rb"charset\s*=\s*[\"']?\s*utf-?8", data[:1024], re.IGNORECASE):
        return ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "utf-8"


def reference_dir(cache: Path, path: Path, address: str) -> Path:
    data = path.read_bytes()
    charset = transport_charset(data)
    return cache / "readerview" / _digest(data + address.encode() + (f"|{charset}".encode() if charset else b""))


def run_readerview(tasks: list[tuple[Path, str, Path]], jobs: int) -> dict[Path, str]:
    """Readability on every (page, address, out dir) not yet cached; returns the failures by out dir."""
    todo = [t for t in tasks if not (t[2] / "expected-metadata.json").is_file()]
    if not todo:
        return {}
    script = NODE_DIR / "readerview.mjs"
    if not (NODE_DIR / "node_modules" / "@mozilla" / "readability").is_dir():
        raise SystemExit(f"Readability is not installed: run `npm ci --prefix {NODE_DIR.relative_to(common.ROOT)}`")
    print(f"Reader View: running Readability on {len(todo)} page(s) not cached yet", file=sys.stderr)
    shares = [todo[k::jobs] for k in range(jobs)]
    procs = []
    for share in shares:
        lines = "".join(
            json.dumps({"html": str(p), "url": a, "out": str(o), "charset": transport_charset(p.read_bytes())}) + "\n"
            for p, a, o in share
        )
        proc = subprocess.Popen(
            ["node", str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=NODE_DIR
        )
        procs.append((proc, lines))
    failures: dict[Path, str] = {}
    for proc, lines in procs:
        out, _ = proc.communicate(lines)
        for line in out.splitlines():
            reply = json.loads(line)
            if not reply["ok"]:
                failures[Path(reply["out"])] = reply.get("error", "no article")
    return failures


def has_article(ref: Path) -> bool:
    meta = json.loads((ref / "expected-metadata.json").read_text(encoding="utf-8"))
    return bool(meta.get("title") or (ref / "expected.html").read_text(encoding="utf-8").strip())


def page_dir(ref: Path, path: Path) -> Path:
    """The folder the scorer reads: Reader View's files beside a link to the page as ``source.html``."""
    source = ref / "source.html"
    if source.is_symlink() and source.resolve() != path.resolve():
        source.unlink()
    if not source.is_symlink():
        source.symlink_to(path.resolve())
    return ref


# ---------------------------------------------------------------------------------- the systems


def tearsheet_document(path: Path) -> Any:
    from convert.readers import read

    return read(path)


def tearsheet_normalized_document(path: Path) -> Any:
    """What ``tearsheet inspect`` shows: the reader, then the normalizer's passes (the title's site suffix
    goes there, and a page without an address loses its relative links)."""
    from convert.normalize import normalize

    return normalize(tearsheet_document(path))


def _document_of(html: str, title: str, authors: list[str], path: Path) -> Any:
    """A baseline's HTML read into a Document by pandoc, as Tearsheet's extracted HTML is."""
    from dataclasses import replace

    from convert.model import Author
    from convert.readers import read_text

    doc = read_text(html if html.strip() else "<p></p>", "html", path)
    names = tuple(Author(name.strip()) for name in authors if name.strip())
    return replace(doc, meta=replace(doc.meta, title=title, authors=names))


def trafilatura_document(path: Path) -> Any:
    import trafilatura

    data = path.read_bytes()
    html = trafilatura.extract(data, output_format="html", include_links=True) or ""
    found = trafilatura.extract_metadata(data)
    title = (found.title or "") if found is not None else ""
    authors = (found.author or "").split(";") if found is not None else []
    return _document_of(html, title, authors, path)


def readability_document(path: Path) -> Any:
    from readability import Document  # type: ignore[import-untyped]

    page = Document(path.read_bytes())
    return _document_of(page.summary(html_partial=True), page.title(), [], path)


READERS: dict[str, Callable[[Path], Any]] = {
    "tearsheet": tearsheet_document,
    "tearsheet-normalized": tearsheet_normalized_document,
    "trafilatura": trafilatura_document,
    "readability": readability_document,
}


# ---------------------------------------------------------------------------------- one page


def score_page(task: tuple[Path, Path, tuple[str, ...], Path]) -> dict[str, Any]:
    """Each system's PageScore (as a dict, with ``title_ok``) of one page, or its crash."""
    path, ref, systems, cache = task
    m = metrics()
    scorer = _digest((common.ROOT / "tests" / "e2e" / "test_real_pages.py").read_bytes())
    results: dict[str, Any] = {}
    for system in systems:
        cached = None
        if system in LIBRARIES:  # Tearsheet is what changes between runs
            cached = cache / "scores" / f"{system}-{common.library_version(LIBRARIES[system])}-{scorer}-{ref.name}.json"
            if cached.is_file():
                results[system] = json.loads(cached.read_text(encoding="utf-8"))
                continue
        try:
            with common.page_time_limit():
                score = m.score_document(READERS[system](path), ref)
                result = asdict(score) | {"byline_ok": score.byline_ok, "title_ok": title_matches(score)}
        except Exception as exc:  # scored as a crash, and counted
            result = {"crash": f"{type(exc).__name__}: {exc}"[:200]}
        if cached is not None and "crash" not in result:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(result), encoding="utf-8")
        results[system] = result
    return {"file": path.name, **results}


def title_matches(score: Any) -> bool:
    return bool(norm_title(score.title) == norm_title(score.expected_title))


# ---------------------------------------------------------------------------------- the run


def summary(rows: list[dict[str, Any]], system: str) -> dict[str, float]:
    scored = [r[system] for r in rows if "crash" not in r[system]]
    n = max(1, len(scored))
    links = [s["link_recall"] for s in scored if s["link_recall"] is not None]
    return {
        "P": sum(s["precision"] for s in scored) / n,
        "R": sum(s["recall"] for s in scored) / n,
        "F1": sum(s["f1"] for s in scored) / n,
        "links": sum(links) / max(1, len(links)),
        "title": sum(s["title_ok"] for s in scored) / n,
        "byline": sum(s["byline_ok"] for s in scored) / n,
        "crashes": len(rows) - len(scored),
    }


def _print_scores(label: str, rows: list[dict[str, Any]], systems: tuple[str, ...]) -> None:
    print(f"\n{label} ({len(rows)} pages)")
    print(f"  {'system':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'linkR':>6s} {'title':>6s} {'byline':>6s} {'crash':>5s}")
    for system in systems:
        s = summary(rows, system)
        figures = " ".join(f"{s[k]:6.3f}" for k in ("P", "R", "F1", "links", "title", "byline"))
        print(f"  {system:12s} {figures} {int(s['crashes']):5d}")
    for system in systems:
        s = summary(rows, system)
        print(f"  {system}: content F1 / link recall / title / byline = "
              f"{s['F1']:.2f} / {s['links']:.2f} / {s['title']:.2f} / {s['byline']:.2f}")  # fmt: skip


def _print_worst(rows: list[dict[str, Any]], worst: int) -> None:
    scored = [r for r in rows if "crash" not in r["tearsheet"]]
    with_links = [r for r in scored if r["tearsheet"]["link_recall"] is not None]
    print(f"\nTearsheet's {worst} pages with the lowest link recall (missed links listed):")
    for r in sorted(with_links, key=lambda r: (r["tearsheet"]["link_recall"], r["file"]))[:worst]:
        s = r["tearsheet"]
        print(f"  {r['file']:50s} linkR {s['link_recall']:.2f} of {s['links_expected']}  F1 {s['f1']:.2f}")
        for key in s["missing_links"][:8]:
            print(f"      {key}")
        if len(s["missing_links"]) > 8:
            print(f"      ... {len(s['missing_links']) - 8} more")
    print(f"\nTearsheet's {worst} pages with the lowest content F1:")
    for r in sorted(scored, key=lambda r: (r["tearsheet"]["f1"], r["file"]))[:worst]:
        s = r["tearsheet"]
        print(f"  {r['file']:50s} P {s['precision']:.2f} R {s['recall']:.2f} F1 {s['f1']:.2f}")
    for kind, found, wanted in (("title", "title", "expected_title"), ("byline", "byline", "expected_byline")):
        wrong = [r for r in scored if not r["tearsheet"][f"{kind}_ok"]]
        print(f"\nTearsheet's {kind} differs from Reader View's on {len(wrong)} pages, e.g.:")
        for r in wrong[:worst]:
            s = r["tearsheet"]
            print(f"  {r['file']:40s} {s[found]!r} ≠ {' '.join(str(s[wanted]).split())!r}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_corpus_arguments(parser, SYSTEMS, default=DEFAULT_SYSTEMS)
    parser.add_argument("--worst", type=int, default=15, help="pages with the lowest link recall / F1 to list")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "tearsheet-readerview-eval")
    parser.add_argument("--json", type=Path, help="also write every page's scores here (outside the repository)")
    args = parser.parse_args(argv)

    systems = common.chosen_systems(parser, args.systems, SYSTEMS, LIBRARIES)
    if "tearsheet" not in systems:
        parser.error("tearsheet must be one of the systems")

    evaldata = json.loads((args.corpus / "evaldata.json").read_text(encoding="utf-8"))
    paths: list[Path] = []
    for item in evaldata.values():  # numbered as extraction_eval.py numbers them; each file once
        path = args.corpus / "pages" / item["file"]
        if path.is_file() and path not in paths:
            paths.append(path)
    pages = common.numbered(paths, args.limit, args.half)

    start = time.perf_counter()
    refs = [(p, a, reference_dir(args.cache_dir, p, a)) for _, p in pages for a in [stated_address(p)]]
    failures = run_readerview(refs, args.jobs)
    reader_seconds = time.perf_counter() - start
    scorable = [(k, p, ref) for (k, p), (_, _, ref) in zip(pages, refs, strict=True) if has_article(ref)]
    (args.cache_dir / "scores").mkdir(parents=True, exist_ok=True)
    tasks = [(p, page_dir(ref, p), systems, args.cache_dir) for _, p, ref in scorable]

    import convert.readers.webpage  # noqa: F401  # loaded before the workers fork: every page sees the same code

    os.environ.setdefault("PYTHONHASHSEED", "0")
    start = time.perf_counter()
    with common.worker_pool(args.jobs) as pool:
        rows = list(pool.imap(score_page, tasks, chunksize=4))
    elapsed = time.perf_counter() - start

    stated = sum(a != FAKEHOST for _, a, _ in refs)
    print(f"{len(pages)} pages ({stated} state their address), {len(rows)} with a Reader View article "
          f"({len(failures)} where Readability failed or found none); Readability {reader_seconds:.0f} s, "
          f"scoring {elapsed:.0f} s, {args.jobs} processes")  # fmt: skip
    _print_scores("all pages", rows, systems)
    if not args.half:
        parity = {p.name: k % 2 for k, p, _ in scorable}
        for half, bit in common.HALVES:
            _print_scores(f"{half} pages", [r for r in rows if parity[r["file"]] == bit], systems)
    site_bylines = Counter(
        "site-named" if _names_site(r["tearsheet"]["expected_byline"], r["file"]) else "person or none"
        for r in rows
        if "crash" not in r["tearsheet"] and r["tearsheet"]["expected_byline"]
    )
    print(f"\nReader View's bylines: {dict(site_bylines)} (site-named: the byline's words are in the file name)")
    _print_worst(rows, args.worst)
    for r in rows:
        for system in systems:
            if "crash" in r[system]:
                print(f"crash: {system} {r['file']}: {r[system]['crash']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def _names_site(byline: str, file: str) -> bool:
    """A byline that is the site's name: every word of it is in the page's file name (its host)."""
    words = metrics().byline_words(byline)
    squashed = "".join(ch for ch in file.casefold() if ch.isalnum())
    return bool(words) and all(word in squashed for word in words)


if __name__ == "__main__":
    sys.path.insert(0, str(common.ROOT))
    sys.exit(main(sys.argv[1:]))
