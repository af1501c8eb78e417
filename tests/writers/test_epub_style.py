"""EPUB and PDF share the look: ``--style`` reaches the EPUB, and the collection's contents page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from convert import write
from convert.collection import build_collection
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.stylesheets import find_stylesheet
from tests.conftest import FIXTURES, epubcheck, load_sample, options_for

NS = {"x": "http://www.w3.org/1999/xhtml"}


def css_of(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("EPUB/style/article.css").decode("utf-8")


def test_style_applies_to_the_epub_after_the_defaults(tmp_path: Path) -> None:
    sans = find_stylesheet("sans", tmp_path)
    data = write(
        load_sample("front-matter-article.md"), "epub", options_for("front-matter-article.md", stylesheet=sans)
    )
    css = css_of(data)
    assert sans.read_text(encoding="utf-8") in css
    assert css.rindex("Noto Sans CJK SC") > css.index("Noto Serif")  # the user's style comes last, so it wins
    report = epubcheck(data, tmp_path)
    assert report.errors == [] and report.warnings == []


def test_epub_contents_page_sets_the_byline_apart_from_the_title(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    build_collection([FIXTURES / "front-matter-article.md"], target, CollectionSpec("Book"), WriteOptions())
    data = target.read_bytes()
    contents = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("EPUB/contents.xhtml"))
    byline = contents.xpath("//x:span[@class='contents-byline']", namespaces=NS)[0]
    assert byline.text.startswith("Ines Halvorsen")
    assert (byline.getprevious().tail or "").strip() == "" and byline.getprevious().tail  # not run into the title
    css = css_of(data)
    assert ".contents-byline { display: block;" in css
