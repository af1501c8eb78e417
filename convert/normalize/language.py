"""The article's language when its source does not state it, identified from its text (py3langid).

The language decides the words Tearsheet prints around an article (labels, the citation's terms
and dates), hyphenation and the EPUB's ``dc:language``: a Chinese page that declares none read
"Source … n.d." in English. ``meta.extra`` records that the language was identified, and how
surely (``tearsheet inspect`` shows it).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from convert.model import Document, plain_text
from convert.normalize.context import Context

# Below this much text (characters without spaces) an identification is a guess.
_MIN_CHARACTERS = 60
# py3langid's normalised probability an identification needs.
_MIN_PROBABILITY = 0.9
_UNSTATED = frozenset({"", "C", "POSIX"})
# The head of a long article tells its language as well as the whole of it, for less.
_SAMPLE_CHARACTERS = 5000
IDENTIFIED_KEY = "language-identified"  # meta.extra: "py3langid <probability>"
# py3langid's label for Norwegian; CSL's locale is Bokmål's.
_CSL_CODES = {"no": "nb"}


def identify_language(doc: Document, ctx: Context) -> Document:
    """Fill in ``meta.language`` from the body's text when the source states none."""
    if doc.meta.language.strip().upper() not in _UNSTATED:
        return doc
    text = " ".join([doc.meta.title, plain_text(doc.blocks)])[:_SAMPLE_CHARACTERS]
    if len("".join(text.split())) < _MIN_CHARACTERS:
        return doc
    language, probability = _identifier().classify(text)
    if probability < _MIN_PROBABILITY:
        return doc
    extra = (*doc.meta.extra, (IDENTIFIED_KEY, f"py3langid {probability:.2f}"))
    return replace(doc, meta=replace(doc.meta, language=_CSL_CODES.get(language, str(language)), extra=extra))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model, told to choose among the languages CSL has a locale for: the words and
    dates around an article can be written in those. Among all its labels, a short Chinese text
    came out as Wu ("wuu"), which nothing here can write."""
    from citeproc import LOCALES_PATH
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    locales = json.loads((Path(LOCALES_PATH) / "locales.json").read_text(encoding="utf-8"))["primary-dialects"]
    identifier.set_languages([code for code in identifier.labels if code in set(locales) | set(_CSL_CODES)])
    return identifier
