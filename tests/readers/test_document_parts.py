"""Parts of a document pandoc keeps outside its body: the abstract (metadata), a LaTeX citation (raw TeX),
RST's docinfo (metadata only when read standalone). Each was printed nowhere, or as a list in the body."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from convert import load, write
from convert.model import ABSTRACT_CLASS, Div, Heading
from convert.model.walk import plain_text
from tests.conftest import epub_xhtml, epubcheck

PAPER = r"""\documentclass{article}
\title{On Widgets}
\author{Ada Lovelace}
\begin{document}
\maketitle
\begin{abstract}
We study widgets in depth.

A second paragraph of the abstract.
\end{abstract}
\section{Introduction}
Widgets are useful~\cite{knuth,wirth}.
\end{document}
"""


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paper") / "paper.tex"
    path.write_text(PAPER, encoding="utf-8")
    return path


def test_a_latex_abstract_opens_the_body(paper: Path) -> None:
    doc = load(paper)
    first, second = doc.blocks[:2]
    assert isinstance(first, Div) and ABSTRACT_CLASS in first.attr.classes
    assert [plain_text(b).strip() for b in first.blocks] == [
        "We study widgets in depth.",
        "A second paragraph of the abstract.",
    ]
    assert isinstance(second, Heading) and plain_text(second).strip() == "Introduction"


def test_a_latex_citation_shows_its_keys(paper: Path) -> None:
    text = " ".join(plain_text(b) for b in load(paper).blocks)
    assert "Widgets are useful [knuth; wirth]." in " ".join(text.split())


def test_a_latex_bibliography_prints_no_stray_widest_label(tmp_path: Path) -> None:
    # \begin{thebibliography}{9}: pandoc reads the "9" as the first entry's opening span.
    source = tmp_path / "refs.tex"
    source.write_text(
        "\\documentclass{article}\\begin{document}\nUseful~\\cite{a}.\n\\begin{thebibliography}{9}\n"
        "\\bibitem{a} A. Author, \\emph{Widgets}, 2000.\n\\end{thebibliography}\n\\end{document}\n",
        encoding="utf-8",
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(write(load(source), "pdf"))).pages)
    assert re.search(r"^A\. Author, Widgets, 2000\.$", text, re.MULTILINE), text
    assert not re.search(r"^9\b", text, re.MULTILINE)


def test_front_matter_abstract_opens_the_body_and_a_summary_does_not(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: Post\nabstract: |\n  One.\n\n  Two.\n---\n\nBody.\n", encoding="utf-8")
    first = load(post).blocks[0]
    assert isinstance(first, Div) and [plain_text(b).strip() for b in first.blocks] == ["One.", "Two."]
    teaser = tmp_path / "teaser.md"
    teaser.write_text("---\ntitle: Post\nsummary: A teaser.\n---\n\nBody.\n", encoding="utf-8")
    assert not isinstance(load(teaser).blocks[0], Div)


def test_every_format_prints_the_abstract_titled_before_the_first_section(paper: Path, tmp_path: Path) -> None:
    doc = load(paper)
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(write(doc, "pdf"))).pages)
    assert re.search(
        r"Abstract\s+We study widgets in depth\.\s+A second paragraph of the abstract\.\s+Introduction", pdf
    )

    epub = write(doc, "epub")
    page = epub_xhtml(epub)
    section = re.search(r'<section class="abstract" role="doc-abstract">(.*?)</section>', page, re.DOTALL)
    assert section and '<p class="abstract-title">Abstract</p>' in section.group(1)
    assert page.index("doc-abstract") < page.index("Introduction</h")
    assert epubcheck(epub, tmp_path).errors == []

    paragraphs = docx.Document(io.BytesIO(write(doc, "docx"))).paragraphs
    styled = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Abstract")]
    assert styled == [
        ("Abstract Title", "Abstract"),
        ("Abstract", "We study widgets in depth."),
        ("Abstract", "A second paragraph of the abstract."),
    ]


def test_a_french_abstract_is_titled_in_french(tmp_path: Path) -> None:
    post = tmp_path / "billet.md"
    post.write_text("---\ntitle: Billet\nlang: fr\nabstract: Un résumé.\n---\n\nTexte.\n", encoding="utf-8")
    assert '<p class="abstract-title">Résumé</p>' in epub_xhtml(write(load(post), "epub"))


def test_rst_docinfo_is_the_documents_metadata_not_a_list_in_its_body(tmp_path: Path) -> None:
    notes = tmp_path / "notes.rst"
    rst = "Release notes\n=============\n\n:Author: Jane Doe\n:Date: 2024-01-02\n\nVersion 2.0 is out.\n"
    notes.write_text(rst, encoding="utf-8")
    doc = load(notes)
    assert doc.meta.title == "Release notes"
    assert [a.name for a in doc.meta.authors] == ["Jane Doe"] and doc.meta.published == "2024-01-02"
    assert [plain_text(b).strip() for b in doc.blocks] == ["Version 2.0 is out."]


def test_an_odt_has_its_properties_as_metadata_and_its_title_block_once(tmp_path: Path) -> None:
    import pypandoc

    odt = tmp_path / "report.odt"
    front = "title: Quarterly Report\nauthor: Jane Roe\ndate: 2025-06-30\nabstract: Revenue rose.\n"
    source = f"---\n{front}---\n\n# Summary\n\nUp.\n"
    pypandoc.convert_text(source, "odt", format="markdown", outputfile=str(odt))
    doc = load(odt)
    assert doc.meta.title == "Quarterly Report" and [a.name for a in doc.meta.authors] == ["Jane Roe"]
    assert doc.meta.published == "2025-06-30"
    assert [plain_text(b).strip() for b in doc.blocks[1:]] == ["Summary", "Up."]  # after the abstract
    assert isinstance(doc.blocks[0], Div) and plain_text(doc.blocks[0]).strip() == "Revenue rose."
    assert [(r.rule, r.text) for r in doc.removed] == [
        ("title-page", "Quarterly Report"),
        ("title-page", "Jane Roe"),
        ("title-page", "2025-06-30"),
    ]
