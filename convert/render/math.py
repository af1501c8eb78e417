"""TeX math as each format can show it, by pandoc (its texmath): MathML for EPUB, text for print.

The model keeps a formula as TeX, as pandoc reads it from Markdown, LaTeX, DOCX (OMML) or
HTML (MathML). DOCX gets OMML from pandoc's own writer. EPUB 3 reading systems render
MathML, so EPUB gets MathML with the TeX kept as its annotation. WeasyPrint has no MathML,
so print gets pandoc's plain HTML: letters in italics, sub- and superscripts, Unicode
symbols (``E = mc²``), and the TeX itself where that cannot express the formula
(fractions, roots, integrals with limits), as before.
"""

from __future__ import annotations

import json

import lxml.etree
import lxml.html

from convert.model import nodes as n
from convert.model.walk import iter_nodes
from convert.pandoc.writing import to_pandoc
from convert.pandoc_process import PandocFailed, convert_text

# pandoc_serve.lua's name for pandoc's HTML writer with MathML.
MATHML = "html-mathml"


def math_markup(blocks: tuple[n.Block, ...], *, mathml: bool) -> dict[n.Math, str]:
    """Each formula in ``blocks`` as XHTML (MathML if ``mathml``), from one pandoc conversion.

    Empty when there is none, or when pandoc fails: the formulas then print as their TeX.
    """
    formulas = list(dict.fromkeys(node for node in iter_nodes(blocks) if isinstance(node, n.Math)))
    if not formulas:
        return {}
    document = to_pandoc(tuple(n.Paragraph((formula,)) for formula in formulas), {})
    try:
        html, _ = convert_text(json.dumps(document).encode("utf-8"), "json", MATHML if mathml else "html")
    except PandocFailed:  # the formulas stay TeX, as they were written
        return {}
    paragraphs = lxml.html.fragments_fromstring(html.decode("utf-8"))
    if len(paragraphs) != len(formulas):
        return {}
    return {
        formula: "".join(_xml(child, formula.text) for child in paragraph)
        for formula, paragraph in zip(formulas, paragraphs, strict=True)
    }


def _xml(element: lxml.html.HtmlElement, tex: str) -> str:
    """An element as XML (EPUB's XHTML), its tail included. A ``<math>`` gets its TeX as ``alttext``:
    what a reading system without MathML shows, and a screen reader reads."""
    if element.tag == "math":
        element.set("alttext", tex)
    return str(lxml.etree.tostring(element, encoding="unicode", method="xml"))
