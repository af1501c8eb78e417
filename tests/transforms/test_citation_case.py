"""Title case as CSL defines it, on real names: a word's first letter, and site names as the site writes them.

citeproc-py capitalises a word's first character (a quote stays, the word after it stays lowercase) and
CSL's title case capitalises every lowercase word that is no stop word ("Mac & i" → "Mac & I").
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from convert import load, sandbox_for, write
from convert.model import Document
from convert.options import WriteOptions
from tests.transforms.test_citation_styles import footer_text

REAL = Path(__file__).parents[1] / "fixtures" / "real"


def _footer(page: str, doc: Document, style: str) -> str:
    options = sandbox_for(REAL / page / "source.html", WriteOptions(citation_style=style))
    return footer_text(write(doc, "epub", options), "epub")


@pytest.mark.parametrize("style", ["chicago", "chicago-notes", "mla"])
def test_a_quoted_word_is_capitalised_at_its_first_letter(style: str) -> None:
    text = _footer("bbc-1", load(REAL / "bbc-1" / "source.html"), style)
    assert "“ObamaAdmitsUSGunLawsAreHis'BiggestFrustration'.”" in text


def test_sentence_case_leaves_a_quoted_word_as_written() -> None:
    text = _footer("bbc-1", load(REAL / "bbc-1" / "source.html"), "apa")
    assert "Obamaadmitsusgunlaws" not in text and "ObamaadmitsUSgunlawsarehis'biggestfrustration'" in text


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("mla", "“1PasswordMakesPasswordsforYou.”Mac&i,8Apr.2015"),
        ("chicago", "Mac&i.2015.“1PasswordMakesPasswordsforYou.”Mac&i,April8."),
        ("apa", "Mac&i.(2015,April8).1Passwordmakespasswordsforyou."),
    ],
)
def test_a_site_name_keeps_its_own_case_in_every_style(style: str, expected: str) -> None:
    # heise's "Mac & i", in an English article: a title-casing style must not make it "Mac & I".
    doc = load(REAL / "heise" / "source.html")
    doc = replace(doc, meta=replace(doc.meta, language="en", title="1Password makes passwords for you"))
    text = _footer("heise", doc, style)
    assert expected in text
    assert "Mac&I" not in text


def test_a_title_that_names_the_site_is_not_printed_twice() -> None:
    doc = load(REAL / "heise" / "source.html")
    doc = replace(doc, meta=replace(doc.meta, language="en", title="Mac & i tests the new iPhone"))
    text = _footer("heise", doc, "mla")  # MLA drops an author that is the site: the title leads
    assert text.count("Tests") == 1 and "“Mac&iTeststheNewiPhone.”Mac&i,8Apr.2015" in text
