"""How often the language identified from an article's text (``normalize.language``) is the one its page declares.

Run on demand::

    .venv/bin/python benchmarks/language_eval.py CORPUS_DIR [--every 20]

``CORPUS_DIR`` holds ``pages/`` (e.g. ``../shared/corpora/trafilatura-eval``). Every ``--every``-th page
(sorted by name) that declares a language (``<html lang>``) is loaded as usual, then its declared
language is taken away and identified again from the kept text; the base languages are compared.
Prints each disagreement or abstention, then the counts.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from convert import load, read
from convert.normalize.context import Context
from convert.normalize.language import identify_language


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--every", type=int, default=20)
    args = parser.parse_args()
    agree = declared_pages = abstained = 0
    for page in sorted((args.corpus / "pages").glob("*.html"))[:: args.every]:
        try:
            doc = load(page)
        except Exception as exc:  # a page the reader refuses is no measure of identification
            print(f"{page.name}: not read ({exc})", file=sys.stderr)
            continue
        declared = read(page).meta.language.split("-")[0].lower()  # as the page states it, before normalizing
        if not declared:
            continue
        declared_pages += 1
        found = identify_language(replace(doc, meta=replace(doc.meta, language="")), Context()).meta.language
        if not found:
            abstained += 1
            print(f"{page.name}: declared {declared}, none identified")
        elif found == declared:
            agree += 1
        else:
            print(f"{page.name}: declared {declared}, identified {found}")
    print(f"{agree} of {declared_pages} pages that declare a language identified as declared; {abstained} abstained")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
