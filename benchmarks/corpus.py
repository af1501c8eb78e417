"""A benchmark corpus: saved real pages and blog posts in Markdown, made in a folder you name.

    .venv/bin/python benchmarks/corpus.py OUT_DIR [--real ../shared/samples/real] [--posts 24] [--dense 2]

Copies each ``<page>/source.html`` under ``--real`` to ``OUT_DIR/<page>.html`` and writes
``--posts`` Markdown posts (deterministic: the same arguments give the same bytes) the way blog
posts are written: front matter, reference-style and inline links, fenced code, pipe tables,
lists, quotes and the odd footnote. ``--dense`` of them cite hundreds of links (a link list
post, a "weekly links" round-up), as real corpora have a few.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from articles import WORDS, sentence

SITES = [
    "lwn.net",
    "github.com",
    "docs.python.org",
    "en.wikipedia.org",
    "arxiv.org",
    "blog.example.org",
    "rfc-editor.org",
]
LANGUAGES = {
    "python": "def {a}_{b}(items):\n    total = 0\n    for item in items:\n"
    "        total += len(item.{c})\n    return total\n",
    "sh": 'for f in {a}/*.md; do\n  pandoc "$f" -o "${{f%.md}}.{b}"\ndone\necho {c} done\n',
    "json": '{{\n  "{a}": [1, 2, 3],\n  "{b}": {{"enabled": true, "{c}": null}}\n}}\n',
}


def _url(rng: random.Random, k: int) -> str:
    return f"https://{rng.choice(SITES)}/{rng.choice(WORDS)}/{2018 + k % 7}/{rng.choice(WORDS)}-{k}"


def _paragraph(rng: random.Random, refs: list[str], links: int, first: int) -> str:
    """Four or five sentences; ``links`` of their words become links, half of them reference-style."""
    words = " ".join(sentence(rng, rng.randrange(10, 22)) for _ in range(rng.randrange(4, 6))).split(" ")
    for k in range(links):
        at = rng.randrange(len(words))
        if words[at].startswith("["):
            continue
        label = f"r{first + k}"
        if k % 2:
            words[at] = f"[{words[at]}][{label}]"
            refs.append(f"[{label}]: {_url(rng, first + k)}")
        else:
            words[at] = f"[{words[at]}]({_url(rng, first + k)})"
    return " ".join(words)


def _table(rng: random.Random) -> str:
    columns = rng.sample(WORDS, 4)
    lines = ["| " + " | ".join(c.title() for c in columns) + " |", "|---|---:|---:|:---|"]
    for _ in range(rng.randrange(4, 9)):
        lines.append(f"| {rng.choice(WORDS)} | {rng.randrange(99)} | {rng.random():.2f} | {sentence(rng, 4)} |")
    return "\n".join(lines)


def _code(rng: random.Random) -> str:
    language = rng.choice(sorted(LANGUAGES))
    body = LANGUAGES[language].format(a=rng.choice(WORDS), b=rng.choice(WORDS), c=rng.choice(WORDS))
    return f"```{language}\n{body}```"


def post(k: int, rng: random.Random, *, dense: bool) -> str:
    """One post: ~900–2,000 words with 5–25 links; dense, ~4,000 words with ~400 links."""
    title = f"{rng.choice(WORDS).title()} notes {k}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
    parts = [
        f'---\ntitle: "{title}"\nauthor: {rng.choice(["Ada Byrne", "Noor Haddad", "Jon Ekdahl", "Mei Tanaka"])}\n'
        f"date: 2025-{k % 12 + 1:02d}-{k % 27 + 1:02d}\nsource_url: https://blog.example.org/posts/{k}\n"
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n---\n"
    ]
    refs: list[str] = []
    sections = 8 if dense else rng.randrange(3, 7)
    cited = 0
    for section in range(1, sections + 1):
        parts.append(f"## {rng.choice(WORDS).title()} and {rng.choice(WORDS)}\n")
        for _ in range(rng.randrange(3, 6) if not dense else 6):
            links = rng.randrange(7, 11) if dense else rng.randrange(0, 3)
            parts.append(_paragraph(rng, refs, links, cited) + "\n")
            cited += links
        if dense:  # a round-up: a list of links with one line each
            items = []
            for _ in range(rng.randrange(8, 14)):
                items.append(f"- [{sentence(rng, 5).rstrip('.')}]({_url(rng, cited)}): {sentence(rng, 9)}")
                cited += 1
            parts.append("\n".join(items) + "\n")
        elif section % 2 == 0:
            parts.append(_code(rng) + "\n")
        if section == 2 or (section == 4 and rng.random() < 0.5):
            parts.append(_table(rng) + "\n")
        if section == 3:
            parts.append(f"> {sentence(rng, 18)} {sentence(rng, 12)}\n")
            parts.append(f"A point worth a note.[^{k}]\n\n[^{k}]: {sentence(rng, 10)}\n")
    parts.append("\n".join(refs) + "\n")
    return "\n".join(parts)


def write_posts(folder: Path, count: int, dense: int, seed: int = 21) -> list[Path]:
    """``count`` posts, the last ``dense`` of them link round-ups."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for k in range(1, count + 1):
        path = folder / f"post-{k:02d}.md"
        path.write_text(post(k, rng, dense=k > count - dense), encoding="utf-8")
        paths.append(path)
    return paths


def copy_real_pages(real: Path, folder: Path) -> list[Path]:
    """``real/<page>/source.html`` → ``folder/<page>.html`` (only the page as saved)."""
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(real.glob("*/source.html")):
        target = folder / f"{source.parent.name}.html"
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


def make_corpus(folder: Path, real: Path | None, posts: int = 24, dense: int = 2) -> list[Path]:
    pages = copy_real_pages(real, folder) if real is not None else []
    return pages + write_posts(folder, posts, dense)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--real", type=Path, help="a folder of <page>/source.html (../shared/samples/real)")
    parser.add_argument("--posts", type=int, default=24)
    parser.add_argument("--dense", type=int, default=2)
    args = parser.parse_args()
    made = make_corpus(args.out, args.real, args.posts, args.dense)
    print(f"{len(made)} inputs in {args.out}")


if __name__ == "__main__":
    main()
