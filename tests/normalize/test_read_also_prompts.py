"""A "read also" prompt in Italian, Dutch, Finnish, Swedish, Norwegian or Danish goes, with the link-only
teasers under it (pages put such runs inside their articles; link-only blocks there are kept since #14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.normalize import Context
from convert.normalize.boilerplate import strip_boilerplate
from convert.normalize.util import block_text
from convert.readers import read

TEXT = "The tides are the most predictable renewable resource on Earth, and the cheapest to forecast."


@pytest.mark.parametrize(
    "prompt",
    ["Leggi anche:", "Leggi anche: La grande sete, due mesi senza pioggia", "Lue aiheesta lisää:", "Lees ook:",
     "Läs också:", "Les også:", "Vedi anche", "Lea más: Juan Pérez propone legalizar el cáñamo",
     "Lea: La OEA aborda hoy", "MIRA: Madre se acerca a conocer los motivos", "PUEDES VER: ¿Qué es la Sunedu?"],
)  # fmt: skip
def test_read_also_prompt_and_its_teasers_are_related_links(tmp_path: Path, prompt: str) -> None:
    page = tmp_path / "article.md"
    teasers = "[Storm Ciara leaves one dead](https://example.org/a)\n\n[Bears woke up early](https://example.org/b)"
    page.write_text(f"{TEXT}\n\n{prompt}\n\n{teasers}\n\n{TEXT}\n", encoding="utf-8")
    doc = strip_boilerplate(read(page), Context())
    assert [block_text(b) for b in doc.blocks] == [TEXT, TEXT]
    assert {r.rule for r in doc.removed} == {"related-links"} and len(doc.removed) == 3
