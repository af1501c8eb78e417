"""Web-page metadata scored on hand-labelled pages of trafilatura's evaluation corpus: title, byline, date, site.

Run on demand::

    .venv/bin/python benchmarks/metadata_eval.py CORPUS_DIR [--labels FILE] [--all] [--sample]

``CORPUS_DIR`` holds ``pages/`` (e.g. ``../shared/corpora/trafilatura-eval``). The pages are every 11th file
of ``pages/`` sorted by name, from the first (84 of 923): ``--sample`` lists them. Each is read and
normalized as ``tearsheet inspect`` does (``convert.load``) and its metadata compared with
``benchmarks/metadata_labels.json``, labelled by hand from the page's HTML. A label gives, for each
field, the values that count as right (a page's ``og:title`` and JSON-LD headline may both be the
headline; a site known only by its host may be named by it):

* ``title``: the headline, without the site's name, a section or a breadcrumb around it; compared
  casefolded, whitespace and apostrophes unified (as ``extraction_quality.py`` compares titles);
* ``authors``: the people who wrote it, none where only an organisation, a desk ("Redaktion",
  "Staff") or a placeholder ("Admin") is named; right when the same name words are found (as
  ``tests/e2e/test_real_pages.py`` scores bylines);
* ``published``: the day of publication the page states about itself (metadata, its dateline);
  "" where it states none, so that a date taken from the body is wrong;
* ``site``: the site's or publisher's name; compared by letters and digits only.

It prints each field's accuracy and every page where a field is wrong (``--all``: every page).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "metadata_labels.json"
EVERY = 11  # the sample: every 11th page of the corpus, sorted by file name
FIELDS = ("title", "authors", "published", "site")


def sample(pages_dir: Path) -> list[Path]:
    return sorted(pages_dir.glob("*.html"))[::EVERY]


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def found_fields(path: Path) -> dict[str, Any]:
    """What Tearsheet finds: the values compared with the labels."""
    from convert.pipeline import load

    meta = load(path).meta
    return {
        "title": meta.title,
        "authors": [author.name for author in meta.authors],
        "published": meta.published[:10],
        "site": meta.publisher,
    }


def right(field: str, found: Any, expected: list[Any], metrics: Any, norm_title: Any) -> bool:
    if field == "title":
        return any(norm_title(found) == norm_title(title) for title in expected)
    if field == "authors":
        return any(metrics.byline_matches(", ".join(found), ", ".join(names)) for names in expected)
    if field == "published":
        return found in expected
    return any(_letters(found) == _letters(site) for site in expected)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder, holding pages/")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--all", action="store_true", help="print every page, not only those with a wrong field")
    parser.add_argument("--sample", action="store_true", help="list the sampled pages and stop")
    args = parser.parse_args(argv)
    pages_dir = args.corpus / "pages"
    if not pages_dir.is_dir():
        parser.error(f"{args.corpus}: no pages/ folder in it")
    if args.sample:
        print("\n".join(page.name for page in sample(pages_dir)))
        return 0
    from extraction_quality import metrics, norm_title

    test_metrics = metrics()
    labels: dict[str, dict[str, list[Any]]] = json.loads(args.labels.read_text(encoding="utf-8"))
    logging.disable(logging.WARNING)  # the reader's warnings about bodies are not what is measured here
    scores = dict.fromkeys(FIELDS, 0)
    for name, label in labels.items():
        path = pages_dir / name
        try:
            found = found_fields(path)
        except Exception as exc:  # a page that fails to convert gets every field wrong
            print(f"{name}: {type(exc).__name__}: {exc}")
            continue
        wrong = [f for f in FIELDS if not right(f, found[f], label[f], test_metrics, norm_title)]
        for field in FIELDS:
            scores[field] += field not in wrong
        if wrong or args.all:
            print(f"{name}")
            for field in FIELDS:
                mark = "≠" if field in wrong else "="
                print(f"  {field:9s} {found[field]!r} {mark} {label[field]!r}")
    n = len(labels)
    print(f"\n{n} pages: " + ", ".join(f"{f} {scores[f] / n:.2f} ({scores[f]}/{n})" for f in FIELDS))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.exit(main(sys.argv[1:]))
