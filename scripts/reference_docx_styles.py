"""Add Tearsheet's own paragraph styles to ``styles/reference.docx`` (idempotent; run after editing it in Word).

    .venv/bin/python scripts/reference_docx_styles.py

pandoc gives a Div's paragraphs the style its ``custom-style`` attribute names;
a style missing from the reference document would be created plain, so the
alignment styles the DOCX writer names (``convert.pandoc.writing.ALIGN_STYLES``)
are defined here, each a "Body Text" with its alignment, and so is the style of
code in a block quote (``QUOTED_CODE_STYLE``), a "Block Text" (the quote's indent).
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH

from convert.pandoc.writing import ALIGN_STYLES, QUOTED_CODE_STYLE

REFERENCE = Path(__file__).resolve().parent.parent / "styles" / "reference.docx"
_ALIGNMENT = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def main() -> None:
    document = docx.Document(str(REFERENCE))
    names = {style.name for style in document.styles}
    for align, name in ALIGN_STYLES.items():
        if name in names:
            style = document.styles[name]
        else:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Body Text"]
            style.quick_style = True
        style.paragraph_format.alignment = _ALIGNMENT[align]
    if QUOTED_CODE_STYLE not in names:
        style = document.styles.add_style(QUOTED_CODE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Block Text"]
        style.quick_style = True
    document.save(str(REFERENCE))


if __name__ == "__main__":
    main()
