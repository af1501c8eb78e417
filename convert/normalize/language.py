"""The article's language when its source does not state it, identified from its text (py3langid).

The language decides the words Tearsheet prints around an article (labels, the citation's terms
and dates), hyphenation and the EPUB's ``dc:language``: a Chinese page that declares none read
"Source … n.d." in English.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from convert.model import Document, plain_text
from convert.normalize.context import Context

# Below this much text (characters without spaces) an identification is a guess.
_MIN_CHARACTERS = 60
# py3langid's normalised probability an identification needs.
_MIN_PROBABILITY = 0.9
_UNSTATED = frozenset({"", "C", "POSIX"})


def identify_language(doc: Document, ctx: Context) -> Document:
    """Fill in ``meta.language`` from the body's text when the source states none."""
    if doc.meta.language.strip().upper() not in _UNSTATED:
        return doc
    text = " ".join([doc.meta.title, plain_text(doc.blocks)])
    if len("".join(text.split())) < _MIN_CHARACTERS:
        return doc
    language, probability = _identifier().classify(text)
    if probability < _MIN_PROBABILITY:
        return doc
    return replace(doc, meta=replace(doc.meta, language=str(language)))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
