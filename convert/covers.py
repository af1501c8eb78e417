"""Book covers as raster images, which e-reader libraries show as the thumbnail (most ignore SVG covers).

A collection's cover is drawn with Pillow: its title, author, the dates its articles span and how
many there are. ``collect --cover FILE`` gives one of the user's own instead (PNG or JPEG kept as
they are; any other image Pillow reads becomes a PNG).
"""

from __future__ import annotations

import io
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

from convert.dates import build_time
from convert.errors import InputError
from convert.model.book import Book
from convert.transforms.labels import DEFAULT_LANGUAGE, count_label, local_date

SIZE = (1200, 1800)  # 2:3, the proportion e-reader stores ask for
BACKGROUND, ACCENT, INK = "#1f3a5f", "#f2b134", "#ffffff"
# Bold serif faces by file name (Pillow looks in the system's font folders); the first found is used.
_TITLE_FACES = ("NotoSerif-Bold.ttf", "DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf")
_TEXT_FACES = ("NotoSerif-Regular.ttf", "DejaVuSerif.ttf", "LiberationSerif-Regular.ttf")
_KEPT_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}


def date_range(book: Book, language: str = DEFAULT_LANGUAGE) -> str:
    """``March 4, 2024 – March 18, 2024``: the first and last publication dates, else the day it is bound."""
    days = sorted(a.doc.meta.published[:10] for a in book.articles if a.doc.meta.published)
    if not days:
        return local_date(build_time().date().isoformat(), language)
    first, last = local_date(days[0], language), local_date(days[-1], language)
    return first if first == last else f"{first} – {last}"


def draw_cover(book: Book, language: str = DEFAULT_LANGUAGE) -> bytes:
    """A PNG: the title (wrapped), the author, the date range and the article count."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    margin = width // 11
    draw.rectangle((margin - 30, height // 6, margin - 18, height * 5 // 6), fill=ACCENT)
    y = height // 4
    for size in (110, 90, 72, 60):  # the largest size at which the title fits in five lines
        font = _font(_TITLE_FACES, size)
        lines = _wrap(book.spec.title or "Collection", font, width - 2 * margin)
        if len(lines) <= 5:
            break
    for line in lines[:5]:
        draw.text((margin, y), line, font=font, fill=INK)
        y += int(size * 1.2)
    text = _font(_TEXT_FACES, 56)
    if book.spec.author:
        draw.text((margin, y + 40), book.spec.author, font=text, fill=INK)
    small = _font(_TEXT_FACES, 46)
    draw.text((margin, height - 330), date_range(book, language), font=small, fill=INK)
    draw.text((margin, height - 260), count_label(len(book.articles), language), font=small, fill=ACCENT)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def cover_image(book: Book, language: str = DEFAULT_LANGUAGE) -> tuple[str, str, bytes]:
    """The book's cover as (file name in the book, media type, bytes): the user's, else one drawn."""
    if book.spec.cover is None:
        return "cover.png", "image/png", draw_cover(book, language)
    suffix, media_type, data = read_cover(book.spec.cover)
    return f"cover.{suffix}", media_type, data


def read_cover(path: Path) -> tuple[str, str, bytes]:
    """A cover image the user gave: (suffix, media type, bytes); ``InputError`` naming it when it is none."""
    from PIL import Image, UnidentifiedImageError

    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind in _KEPT_FORMATS:
                image.verify()
                return (*_KEPT_FORMATS[kind], data)
            out = io.BytesIO()
            image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "PNG")
            return "png", "image/png", out.getvalue()
    except OSError as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise InputError(path, "not an image Pillow can read (use a PNG or JPEG cover)") from None
        raise InputError(path, f"cannot read the cover: {exc.strerror or exc}") from None


@cache
def _font(faces: tuple[str, ...], size: int) -> Any:
    from PIL import ImageFont

    for face in faces:
        try:
            return ImageFont.truetype(face, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _wrap(text: str, font: Any, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels in ``font`` (a word longer than that stands alone)."""
    average = max(1.0, font.getlength("abcdefghijklmnopqrstuvwxyz") / 26)
    columns = max(4, int(width / average))
    while columns > 4:
        lines = textwrap.wrap(text, columns) or [text]
        if all(font.getlength(line) <= width for line in lines):
            return lines
        columns -= 1
    return textwrap.wrap(text, columns) or [text]
