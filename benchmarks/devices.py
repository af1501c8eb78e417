"""What ``--device`` does to a page's images: bytes before and after, per profile, and the time it takes.

The page holds camera-sized photographs (JPEG, WebP, AVIF) and screenshots/charts (PNG), drawn so
they compress as real ones do (smooth areas, edges, sensor noise). Run on demand:

    python benchmarks/devices.py [--photos 4] [--charts 4]
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def photograph(seed: int, size: tuple[int, int] = (4032, 3024)) -> Image.Image:
    """Sky-to-ground gradients, blurred shapes and per-pixel noise: compresses like a phone photo."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(80, 600)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(12))
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(image, noise, 0.12)


def chart(seed: int, size: tuple[int, int] = (2400, 1600)) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for k in range(0, size[1], 80):
        draw.line((0, k, size[0], k), fill="#dddddd", width=2)
    for series in range(4):
        points = [(x, rng.randrange(size[1])) for x in range(0, size[0], 60)]
        draw.line(points, fill=("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")[series], width=6)
    draw.text((40, 40), f"Chart {seed}", fill="black", font_size=64)
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--charts", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = []
        kinds = [("JPEG", ".jpg", {"quality": 90}), ("WEBP", ".webp", {"quality": 85}), ("AVIF", ".avif", {})]
        for k in range(args.photos):
            kind, suffix, options = kinds[k % len(kinds)]
            photograph(k).save(folder / f"photo{k}{suffix}", kind, **options)
            names.append(f"photo{k}{suffix}")
        for k in range(args.charts):
            chart(k).save(folder / f"chart{k}.png", optimize=True)
            names.append(f"chart{k}.png")
        text = "The harbour archive keeps the tide tables and the turbine logs of a century. " * 20
        figures = "".join(
            f"<figure><img src='{n}' alt='{n}'><figcaption>{n}</figcaption></figure><p>{text}</p>" for n in names
        )
        page = folder / "page.html"
        body = f"<article><h1>Images</h1><p>{text}</p>{figures}</article>"
        page.write_text(f"<html lang='en'><head><title>Images</title></head><body>{body}</body></html>")
        source = sum((folder / n).stat().st_size for n in names)
        kinds_saved = ", ".join(sorted({n.split(".")[1] for n in names}))
        print(f"{len(names)} images, {source / 1e6:.1f} MB as saved ({kinds_saved})")
        print(f"{'device':<8} {'images in EPUB':>15} {'seconds':>8}  summary")
        for device in ("none", "tablet", "kobo", "kindle", "eink"):
            out = folder / f"{device}.epub"
            command = [sys.executable, "-m", "convert", "convert", str(page), "--to", "epub", "-o", str(out)]
            command += [] if device == "none" else ["--device", device]
            start = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
            held = sum(archive.getinfo(n).file_size for n in archive.namelist() if "/images/" in n)
            summary = next((line for line in result.stdout.splitlines() if line.startswith("--device")), "")
            print(f"{device:<8} {held / 1e6:>12.2f} MB {seconds:>8.1f}  {summary}")


if __name__ == "__main__":
    main()
