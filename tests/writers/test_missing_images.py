"""An image that cannot be shown stands as "[its alt text]" in every format — but not when the alt text
repeats its figure's caption, printed right below: then "[image]", so the caption is read once."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from convert.cli import cli

PAGE = """<!doctype html><html lang="en"><head><title>Harbour</title></head><body>
<h1>Harbour</h1>
<p>The harbour was rebuilt twice in the last century, each time further out into the bay.</p>
<figure><img src="gone-1.png" alt="Fishing boats moored at the old quay at dawn">
<figcaption>Fishing boats moored at the old quay at dawn.</figcaption></figure>
<figure><img src="gone-2.png" alt="Aerial view of the breakwater">
<figcaption>The new breakwater, finished in 1962.</figcaption></figure>
<p>A chart stands in the text: <img src="gone-3.png" alt="tide chart"> and one has no words <img src="gone-4.png">.</p>
<p>A map whose alt text has brackets of its own: <img src="gone-5.png" alt="[harbour map]">.</p>
</body></html>
"""


def _texts(out: Path) -> dict[str, str]:
    """The text a reader sees in each output, on one line."""
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(out / "harbour.pdf").pages)
    with zipfile.ZipFile(out / "harbour.epub") as book:
        xhtml = book.read("EPUB/article.xhtml").decode()
    epub = re.sub(r"<[^>]+>", " ", xhtml)
    body = docx.Document(io.BytesIO((out / "harbour.docx").read_bytes())).element.body
    # every paragraph in reading order, those in tables too (pandoc sets a figure's image in a one-cell table)
    word = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return {
        fmt: " ".join(text.replace("\u200b", "").split())
        for fmt, text in (("pdf", pdf), ("epub", epub), ("docx", word))
    }


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("missing-images")
    (folder / "harbour.html").write_text(PAGE, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(folder / "harbour.html"),
            "--no-extract",
            "--to",
            "pdf,epub,docx",
            "-o",
            str(out),
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    return _texts(out)


@pytest.mark.parametrize("fmt", ["pdf", "epub", "docx"])
def test_an_alt_text_that_repeats_the_caption_is_not_printed_twice(texts: dict[str, str], fmt: str) -> None:
    text = texts[fmt]
    assert text.count("Fishing boats moored at the old quay at dawn") == 1, text
    assert "[image] Fishing boats moored at the old quay at dawn." in text, text


@pytest.mark.parametrize("fmt", ["pdf", "epub", "docx"])
def test_an_alt_text_that_says_more_than_the_caption_stands_for_the_image(texts: dict[str, str], fmt: str) -> None:
    text = texts[fmt]
    assert "[Aerial view of the breakwater] The new breakwater, finished in 1962." in text, text
    assert "[tide chart]" in text and "no words [image]" in text, text


@pytest.mark.parametrize("fmt", ["pdf", "epub", "docx"])
def test_an_alt_text_in_brackets_is_not_bracketed_twice(texts: dict[str, str], fmt: str) -> None:
    assert "of its own: [harbour map]" in texts[fmt] and "[[" not in texts[fmt], texts[fmt]
