"""Generated articles for benchmarks: varied Markdown with front matter, links, lists and tables."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "harbour",
    "tide",
    "archive",
    "river",
    "council",
    "library",
    "street",
    "photograph",
    "volunteer",
    "record",
    "grid",
    "turbine",
    "cable",
    "season",
    "market",
    "bridge",
    "school",
    "station",
    "museum",
    "garden",
    "forest",
    "valley",
    "island",
    "ferry",
    "weather",
    "signal",
]


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article(k: int, rng: random.Random) -> str:
    """One article of a typical size (~800 words), citing a handful of sources."""
    parts = [
        f"---\ntitle: Article {k:04d} on the {rng.choice(WORDS)}\nauthor: Writer {k % 17}\n"
        f"date: 2024-{k % 12 + 1:02d}-{k % 27 + 1:02d}\nsource_url: https://bench.example/{k}\n"
        f"tags: [{rng.choice(WORDS)}]\n---\n"
    ]
    for section in range(1, 5):
        parts.append(f"## Section {section}\n")
        for _ in range(3):
            link = f"[{rng.choice(WORDS)}](https://source{rng.randrange(50)}.example/{k}/{section})"
            parts.append(f"{sentence(rng)} {sentence(rng)} See {link}. {sentence(rng, 20)}\n")
        if section == 2:
            parts.append("\n".join(f"- {sentence(rng, 6)}" for _ in range(4)) + "\n")
        if section == 3:
            parts.append(
                "| Year | Count |\n|---:|---:|\n"
                + "\n".join(f"| {2000 + i} | {rng.randrange(999)} |" for i in range(5))
                + "\n"
            )
    return "\n".join(parts)


def write_articles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for k in range(1, count + 1):
        path = folder / f"article-{k:04d}.md"
        path.write_text(article(k, rng), encoding="utf-8")
        paths.append(path)
    return paths
