"""Extraction quality on ten saved real pages, scored against Firefox Reader View's article.

Each ``fixtures/real/<page>/`` holds ``source.html`` (the saved page), ``expected.html``
(Reader View's article; ``http://fakehost/`` stands for the page's own relative links) and
``expected-metadata.json``. The whole reader runs (extraction, pandoc, model mapping).

Metrics, shared with ``benchmarks/extraction_quality.py`` (which imports this module):
  * content precision/recall/F1: multiset overlap of lowercased ``\\w+`` tokens;
  * link recall: share of expected.html's distinct non-fragment links found in the document,
    compared without scheme and ``www.`` as host + path + query.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from convert.model import (
    BlockQuote,
    CodeBlock,
    Document,
    Figure,
    Heading,
    Image,
    Link,
    Paragraph,
    Table,
    Text,
    iter_nodes,
    plain_text,
    rewrite,
)

REAL_PAGES = Path(__file__).parent.parent / "fixtures" / "real"
FAKEHOST = "http://fakehost"
MIN_MEAN_F1 = 0.90
MIN_MEAN_LINK_RECALL = 0.95

# Block-level tags: their text is separated from the neighbours' so words never glue together.
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div", "dl", "dt",
                     "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
                     "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead",
                     "tr", "ul"})  # fmt: skip
_SKIPPED = frozenset({"script", "style", "noscript", "template"})


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()))


def prf(found: Counter[str], gold: Counter[str]) -> tuple[float, float, float]:
    overlap = sum((found & gold).values())
    precision = overlap / max(1, sum(found.values()))
    recall = overlap / max(1, sum(gold.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def html_text(root: lxml.html.HtmlElement) -> str:
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag not in _SKIPPED:
            block = tag in _BLOCKS
            parts.append("\n" if block else "")
            parts.append((el.text or "") if tag else "")
            for child in el:
                walk(child)
            parts.append("\n" if block else "")
        parts.append(el.tail or "")

    walk(root)
    return "".join(parts)


def document_text(doc: Document) -> str:
    """The visible text of a document: code blocks included, image descriptions not (Reader View's has none)."""

    def visible(node: object) -> object:
        if isinstance(node, Image):
            return ()
        return Paragraph((Text(node.text),)) if isinstance(node, CodeBlock) else node

    return plain_text(rewrite(doc.blocks, visible))


def page_url(source_html: str) -> str | None:
    """The page's own address, as its canonical link or og:url states it."""
    root = lxml.html.document_fromstring(source_html.encode("utf-8"))  # bytes: a page may declare its encoding
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = [str(v).strip() for v in root.xpath(xpath) if str(v).strip().startswith("http")]
        if found:
            return found[0]
    return None


def link_key(href: str, base: str) -> str | None:
    """Scheme-less host + path + query of ``href`` resolved against ``base``; None for fragments and scripts."""
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:")):
        return None
    if href.startswith(FAKEHOST):
        origin = urlsplit(base)
        href = f"{origin.scheme}://{origin.netloc}{href[len(FAKEHOST) :]}"
    href = urljoin(base, href)
    if href.lower().startswith("mailto:"):
        return href.lower()
    parts = urlsplit(href)
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def link_keys(hrefs: Iterable[str], base: str) -> set[str]:
    return {key for href in hrefs if (key := link_key(href, base))}


@dataclass(frozen=True)
class PageScore:
    page: str
    precision: float
    recall: float
    f1: float
    link_recall: float | None  # None: expected.html has no links
    links_expected: int
    missing_links: tuple[str, ...]
    title: str
    expected_title: str
    byline: str  # the authors' names, joined
    expected_byline: str  # Reader View's; "" when it found none

    @property
    def byline_ok(self) -> bool:
        return byline_matches(self.byline, self.expected_byline)


# What a byline says besides names: its "By", connectives, a date.
_BYLINE_FILLER = frozenset(
    {"by", "par", "von", "por", "di", "door", "and", "et", "und", "y", "e", "en", "with", "avec", "mit", "con", "com",
     "met", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)  # fmt: skip


def byline_words(byline: str) -> set[str]:
    """The names' words in a byline: casefolded, without "By", "and"/"avec", dates or numbers."""
    found = re.findall(r"\w+", unicodedata.normalize("NFKC", byline).casefold())
    return {w for w in found if w not in _BYLINE_FILLER and not w.isdigit()}


def byline_matches(found: str, expected: str) -> bool:
    """Our authors name exactly the people Reader View's byline names (none where it has none)."""
    return byline_words(found) == byline_words(expected)


def score_document(doc: Document, page_dir: Path) -> PageScore:
    """Score the Document read from ``page_dir/source.html`` against that page's expected article."""
    source = (page_dir / "source.html").read_text(encoding="utf-8", errors="replace")
    expected = lxml.html.fromstring((page_dir / "expected.html").read_text(encoding="utf-8"))
    expected_meta = json.loads((page_dir / "expected-metadata.json").read_text(encoding="utf-8"))
    # Pages without a stated address (lwn-1): both sides are compared by path under fakehost.
    base = page_url(source) or FAKEHOST + "/"
    precision, recall, f1 = prf(tokens(document_text(doc)), tokens(html_text(expected)))
    wanted = link_keys((str(h) for h in expected.xpath("//a/@href")), base)
    found = link_keys((n.url for n in iter_nodes(doc.blocks) if isinstance(n, Link)), base)
    missing = tuple(sorted(wanted - found))
    return PageScore(
        page=page_dir.name,
        precision=precision,
        recall=recall,
        f1=f1,
        link_recall=1 - len(missing) / len(wanted) if wanted else None,
        links_expected=len(wanted),
        missing_links=missing,
        title=doc.meta.title,
        expected_title=str(expected_meta.get("title") or ""),
        byline=", ".join(author.name for author in doc.meta.authors),
        expected_byline=str(expected_meta.get("byline") or ""),
    )


# Structure counted in both: model node type, and the HTML elements it comes from.
STRUCTURE = {"h": (Heading, "//h1|//h2|//h3|//h4|//h5|//h6"), "fig": (Figure, "//figure"), "table": (Table, "//table"),
             "img": (Image, "//img"), "quote": (BlockQuote, "//blockquote")}  # fmt: skip


def structure(doc: Document) -> dict[str, int]:
    """How many headings, figures, tables, images and quotations the document has."""
    nodes = list(iter_nodes(doc.blocks))
    return {name: sum(isinstance(n, kind) for n in nodes) for name, (kind, _) in STRUCTURE.items()}


def expected_structure(page_dir: Path) -> dict[str, int]:
    root = lxml.html.fromstring((page_dir / "expected.html").read_text(encoding="utf-8"))
    return {name: len(root.xpath(xpath)) for name, (_, xpath) in STRUCTURE.items()}


def page_dirs() -> list[Path]:
    return sorted(p for p in REAL_PAGES.iterdir() if (p / "source.html").is_file())


def mean(values: Iterable[float | None]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else 1.0


def format_table(scores: list[PageScore]) -> str:
    lines = [f"{'page':14s} {'P':>5s} {'R':>5s} {'F1':>5s} {'linkR':>6s} {'links':>5s}"]
    for s in scores:
        link_r = f"{s.link_recall:6.2f}" if s.link_recall is not None else f"{'-':>6s}"
        lines.append(f"{s.page:14s} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {link_r} {s.links_expected:5d}")
    lines.append(
        f"{'MEAN':14s} {mean(s.precision for s in scores):5.2f} {mean(s.recall for s in scores):5.2f} "
        f"{mean(s.f1 for s in scores):5.2f} {mean(s.link_recall for s in scores):6.2f}"
    )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def scores() -> list[PageScore]:
    from convert.readers import read

    return [score_document(read(page / "source.html"), page) for page in page_dirs()]


def test_ten_real_pages_are_present() -> None:
    assert len(page_dirs()) == 10


def test_mean_content_f1(scores: list[PageScore]) -> None:
    print("\n" + format_table(scores))
    assert mean(s.f1 for s in scores) >= MIN_MEAN_F1


def test_mean_link_recall(scores: list[PageScore]) -> None:
    missing = {s.page: s.missing_links[:5] for s in scores if s.missing_links}
    assert mean(s.link_recall for s in scores) >= MIN_MEAN_LINK_RECALL, missing


@pytest.mark.parametrize("page", page_dirs(), ids=lambda p: p.name)
def test_byline_names_the_people_reader_view_names(page: Path) -> None:
    """Reader View's byline without its "By", date or "avec"; no authors where it has no byline."""
    from convert.readers import read

    expected = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8")).get("byline") or ""
    found = ", ".join(author.name for author in read(page / "source.html").meta.authors)
    assert byline_matches(found, expected), (found, expected)


def test_every_real_page_passes_the_check_gate_in_every_format(tmp_path_factory: pytest.TempPathFactory) -> None:
    """EPUBCheck on each EPUB, the link audit on each PDF, EPUB and DOCX: what `tearsheet check` runs."""
    from convert import convert
    from convert.batch.check import check_files

    out = tmp_path_factory.mktemp("real-outputs")
    written = [  # every page is a source.html: a folder each
        path for page in page_dirs() for path in convert(page / "source.html", ["pdf", "epub", "docx"], out / page.name)
    ]
    assert len(written) == 30
    problems = {f"{r.path.parent.name}/{r.path.name}": [str(p) for p in r.problems] for r in check_files(written, 2)}
    assert {name: found for name, found in problems.items() if found} == {}
