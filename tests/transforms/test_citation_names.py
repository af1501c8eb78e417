"""Authors in the attribution as each style prints them: people in full (APA: initials), organisations whole."""

from __future__ import annotations

from dataclasses import replace

import pytest

from convert.model import Author, Document, Meta, inline_text
from convert.transforms.citation import bibtex, csl_item, is_organisation
from convert.transforms.footer import attribution


def article(*names: str, publisher: str = "The Harbour Review") -> Document:
    meta = Meta(
        title="Tides",
        authors=tuple(Author(name) for name in names),
        publisher=publisher,
        published="2024-03-05",
        source_url="https://harbour-review.example.org/tides",
    )
    return Document(meta)


# (authors, publisher) → how each style opens the entry.
CASES: list[tuple[tuple[str, ...], str, dict[str, str]]] = [
    (("Dan Goodin",), "", {"chicago": "Goodin, Dan. 2024.", "apa": "Goodin, D. (2024", "mla": "Goodin, Dan. “"}),
    (
        ("Ana Ruiz", "Jo Park"),
        "",
        {
            "chicago": "Ruiz, Ana, and Jo Park. 2024.",
            "apa": "Ruiz, A., & Park, J. (2024",
            "mla": "Ruiz, Ana, and Jo Park.",
        },
    ),
    (
        ("Ana Ruiz", "Jo Park", "Li Wei"),
        "",
        {
            "chicago": "Ruiz, Ana, Jo Park, and Li Wei. 2024.",
            "apa": "Ruiz, A., Park, J., & Wei, L. (2024",
            "mla": "Ruiz, Ana, et al. “",
        },
    ),
    (
        ("Arun Sai Krishnan",),
        "",
        {"chicago": "Krishnan, Arun Sai.", "apa": "Krishnan, A. S. (", "mla": "Krishnan, Arun Sai."},
    ),
    (("Jan van Dijk",), "", {"chicago": "Dijk, Jan van.", "apa": "van Dijk, J. (", "mla": "van Dijk, Jan."}),
    (
        ("Martin Luther King Jr.",),
        "",
        {"chicago": "King, Martin Luther, Jr.", "apa": "King, M. L., Jr.", "mla": "King, Martin Luther, Jr."},
    ),
    (("Madonna",), "", {"chicago": "Madonna. 2024.", "apa": "Madonna. (2024", "mla": "Madonna. “"}),
    # Organisations: the site itself (MLA then begins with the title), and the forms organisations sign with.
    (("BBC News",), "BBC News", {"chicago": "BBC News. 2024.", "apa": "BBC News. (2024", "mla": "“Tides.” BBC News"}),
    (("Mac & i",), "Mac & i", {"chicago": "Mac & i. 2024.", "apa": "Mac & i. (2024", "mla": "“Tides.” Mac & "}),
    (
        ("Reuters Staff",),
        "",
        {"chicago": "Reuters Staff. 2024.", "apa": "Reuters Staff. (2024", "mla": "Reuters Staff. “"},
    ),
    (
        ("Associated Press",),
        "",
        {"chicago": "Associated Press. 2024.", "apa": "Associated Press. (2024", "mla": "Associated Press. “"},
    ),
    (
        ("The Editorial Board",),
        "",
        {"chicago": "The Editorial Board. 2024.", "apa": "The Editorial Board. (2024", "mla": "The Editorial Board. “"},
    ),
    (("heise online",), "", {"chicago": "heise online. 2024.", "apa": "heise online. (2024", "mla": "heise online. “"}),
]


@pytest.mark.parametrize("style", ["chicago", "apa", "mla"])
@pytest.mark.parametrize(("names", "publisher", "expected"), CASES, ids=[" + ".join(c[0]) for c in CASES])
def test_authors_as_the_style_prints_them(
    names: tuple[str, ...], publisher: str, expected: dict[str, str], style: str
) -> None:
    text = inline_text(attribution(article(*names, publisher=publisher or "The Harbour Review"), style))
    assert text.startswith(expected[style]), text


@pytest.mark.parametrize(
    ("name", "sites", "organisation"),
    [
        ("BBC News", (), True),
        ("Reuters Staff", (), True),
        ("Associated Press", (), True),
        ("NYT Editorial Board", (), True),
        ("Agence France-Presse", (), False),  # no rule knows it; it is still a literal when it is the site
        ("Agence France-Presse", ("Agence France-Presse",), True),
        ("nytimes", ("www.nytimes.com", "nytimes"), True),
        ("Dan Goodin", ("Ars Technica",), False),
        ("John Smith III", (), False),
        ("Pieter de Vries", (), False),
        ("J. R. R. Tolkien", (), False),
    ],
)
def test_organisation_rule(name: str, sites: tuple[str, ...], organisation: bool) -> None:
    assert is_organisation(name, sites) is organisation


def test_exports_keep_organisations_whole_and_people_split() -> None:
    doc = article("BBC News", "Jan van Dijk", publisher="BBC News")
    assert csl_item(doc)["author"] == [
        {"literal": "BBC News"},
        {"given": "Jan", "non-dropping-particle": "van", "family": "Dijk"},
    ]
    assert 'author = "{BBC News} and van Dijk, Jan"' in bibtex(doc)


@pytest.mark.parametrize("style", ["chicago", "apa", "mla"])
def test_the_author_of_a_site_named_after_them_is_a_person(style: str) -> None:
    doc = article("Martin Fowler", publisher="")
    doc = replace(doc, meta=replace(doc.meta, source_url="https://martinfowler.com/articles/tides.html"))
    expected = {"chicago": "Fowler, Martin. 2024.", "apa": "Fowler, M. (2024", "mla": "Fowler, Martin. Tides"}
    text = inline_text(attribution(doc, style))
    assert text.startswith(expected[style]), text
    assert csl_item(doc)["author"] == [{"given": "Martin", "family": "Fowler"}]
