"""How cost grows with the size of one article: links, paragraphs, images; per stage and format.

    .venv/bin/python benchmarks/scale.py                       # every case, every format
    .venv/bin/python benchmarks/scale.py --cases links-1k,links-10k --formats epub,docx
    .venv/bin/python benchmarks/scale.py --cases links-1k --formats pdf --links endnote
    .venv/bin/python benchmarks/scale.py --profile links-10k:epub   # where the time goes (cProfile)

Prints one row per case: seconds to read and normalize, then to write each
format (or the one-line error when the article is refused), and for
consecutive cases of one kind the time ratio against the work ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from articles import WORDS, sentence

from convert import load, sandbox_for, write
from convert.errors import TearsheetError
from convert.model import Document
from convert.options import LinkPolicy, WriteOptions

FRONT = "---\ntitle: {title}\nauthor: Bench Writer\ndate: 2024-05-06\nsource_url: https://bench.example/{slug}\n---\n\n"
LINKS_PER_PARAGRAPH = 10


def links_article(count: int, rng: random.Random) -> str:
    """``count`` links to distinct URLs, ten to a paragraph, a heading every hundred paragraphs."""
    parts = [FRONT.format(title=f"{count} links", slug=f"links-{count}")]
    for k in range(0, count, LINKS_PER_PARAGRAPH):
        if k % (LINKS_PER_PARAGRAPH * 100) == 0:
            parts.append(f"## Part {k // (LINKS_PER_PARAGRAPH * 100) + 1}\n\n")
        # Short links, as in link lists and link-heavy notes: 100k of them stay under the text limit.
        links = " ".join(
            f"[{rng.choice(WORDS)}](https://s{(k + i) % 997}.example/{k + i})"
            for i in range(min(LINKS_PER_PARAGRAPH, count - k))
        )
        parts.append(f"{sentence(rng, 8)} {links}\n\n")
    return "".join(parts)


def paragraphs_article(count: int, rng: random.Random) -> str:
    parts = [FRONT.format(title=f"{count} paragraphs", slug=f"paragraphs-{count}")]
    parts.extend(f"{sentence(rng, 30)}\n\n" for _ in range(count))
    return "".join(parts)


def long_paragraph_article(words: int, rng: random.Random) -> str:
    """One paragraph of ``words`` words (a transcript, a pasted log): merging its text was quadratic."""
    return FRONT.format(title=f"{words} words", slug=f"words-{words}") + " ".join(rng.choices(WORDS, k=words)) + "\n"


def images_article(count: int, rng: random.Random, folder: Path) -> str:
    """``count`` distinct small PNG images next to the article, one per paragraph."""
    parts = [FRONT.format(title=f"{count} images", slug=f"images-{count}")]
    for k in range(count):
        (folder / f"img{k}.png").write_bytes(_png(8, 8, (k % 256, (k * 7) % 256, 90)))
        parts.append(f"{sentence(rng, 10)}\n\n![Figure {k}](img{k}.png)\n\n")
    return "".join(parts)


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


Maker = Callable[[random.Random, Path], str]
CASES: dict[str, tuple[str, int, Maker]] = {
    "links-1k": ("links", 1_000, lambda rng, _: links_article(1_000, rng)),
    "links-10k": ("links", 10_000, lambda rng, _: links_article(10_000, rng)),
    "links-100k": ("links", 100_000, lambda rng, _: links_article(100_000, rng)),
    "paragraphs-1k": ("paragraphs", 1_000, lambda rng, _: paragraphs_article(1_000, rng)),
    "paragraphs-10k": ("paragraphs", 10_000, lambda rng, _: paragraphs_article(10_000, rng)),
    "images-1k": ("images", 1_000, lambda rng, folder: images_article(1_000, rng, folder)),
    "one-paragraph-100k": ("words", 100_000, lambda rng, _: long_paragraph_article(100_000, rng)),
    "one-paragraph-400k": ("words", 400_000, lambda rng, _: long_paragraph_article(400_000, rng)),
}
FORMATS = ("epub", "docx", "pdf")


def timed(action: Callable[[], object]) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        action()
    except TearsheetError as exc:
        return time.perf_counter() - start, f"refused: {exc}"
    return time.perf_counter() - start, ""


def run_case(name: str, formats: list[str], folder: Path, links: LinkPolicy | None = None) -> dict[str, float]:
    _kind, _size, make = CASES[name]
    source = folder / f"{name}.md"
    source.write_text(make(random.Random(7), folder), encoding="utf-8")
    options = sandbox_for(source, WriteOptions(links=links))
    times: dict[str, float] = {}
    doc_holder: list[Document] = []
    times["read"], problem = timed(lambda: doc_holder.append(load(source)))
    cells = [f"read {times['read']:7.2f}s"]
    if problem:
        print(f"{name:15} {cells[0]}  {problem}", flush=True)
        return times
    doc = doc_holder[0]
    for fmt in formats:
        times[fmt], problem = timed(lambda fmt=fmt: write(doc, fmt, options))  # type: ignore[misc]
        cells.append(f"{fmt} {times[fmt]:7.2f}s" + (f" ({problem})" if problem else ""))
    total = sum(times.values())
    print(f"{name:15} " + "  ".join(cells) + f"  total {total:7.2f}s", flush=True)
    times["total"] = total
    return times


def profile(target: str, folder: Path) -> None:
    name, _, fmt = target.partition(":")
    _kind, _size, make = CASES[name]
    source = folder / f"{name}.md"
    source.write_text(make(random.Random(7), folder), encoding="utf-8")
    profiler = cProfile.Profile()
    profiler.enable()
    doc = load(source)
    if fmt:
        write(doc, fmt, sandbox_for(source, WriteOptions()))
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--links", choices=[p.value for p in LinkPolicy], help="link policy (default: each writer's)")
    parser.add_argument("--profile", metavar="CASE[:FORMAT]", help="cProfile one case instead of timing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tearsheet-scale-") as tmp:
        folder = Path(tmp)
        if args.profile:
            profile(args.profile, folder)
            return
        results: dict[str, dict[str, float]] = {}
        for name in args.cases.split(","):
            policy = LinkPolicy(args.links) if args.links else None
            results[name] = run_case(name, args.formats.split(","), folder, policy)
        print()
        for small, large in zip(list(results), list(results)[1:], strict=False):
            (kind_a, size_a, _), (kind_b, size_b, _) = CASES[small], CASES[large]
            if kind_a == kind_b and "total" in results[small] and "total" in results[large]:
                ratio = results[large]["total"] / results[small]["total"]
                print(f"{small} → {large}: {size_b / size_a:.0f}× the work, {ratio:.1f}× the time")


if __name__ == "__main__":
    main()
