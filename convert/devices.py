"""Device profiles (``--device``): images sized, compressed and converted for the screen that shows them.

Each image the sandbox hands a writer passes through the profile: scaled down to fit the
screen, re-encoded at the profile's JPEG quality when that makes it smaller, turned grayscale
for e-ink (line art and screenshots dithered to the panel's 16 grays, photographs left to JPEG,
whose continuous tone the panel renders itself), and converted to JPEG or PNG when the device
cannot show its format (WebP, AVIF, HEIC on a Kindle). Pillow does the work; an image Pillow
cannot decode here is named in a warning. The tally says how many bytes the profile saved.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from convert.reporting import plural

log = logging.getLogger("tearsheet")

JPEG, PNG, GIF, WEBP, AVIF, HEIC, SVG = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/heic",
    "image/svg+xml",
)
_E_INK_GRAYS = 16  # the gray levels of current e-ink panels (Carta, Pearl)
_PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP, "AVIF": AVIF, "HEIF": HEIC}
# ISO BMFF brands (the ``ftyp`` box at byte 4) of AVIF and HEIC images.
_BMFF_BRANDS = {b"avif": AVIF, b"avis": AVIF, b"heic": HEIC, b"heix": HEIC, b"heim": HEIC, b"heis": HEIC, b"mif1": HEIC}
_LOCK = threading.Lock()  # tallies are shared by the threads writing a run's outputs
_NAMES = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WebP", AVIF: "AVIF", HEIC: "HEIC"}


@dataclass
class ImageTally:
    """What a profile did to a run's images, each distinct image counted once."""

    before: dict[str, int] = field(default_factory=dict)  # source digest → bytes before
    after: dict[str, int] = field(default_factory=dict)  # source digest → bytes after
    converted: set[str] = field(default_factory=set)  # digests whose format changed
    done: dict[str, tuple[bytes, str] | None] = field(default_factory=dict)  # digest → result, reused

    @property
    def saved(self) -> int:
        return sum(self.before.values()) - sum(self.after.values())

    def summary(self, device: str) -> str:
        """``--device kindle: 4 images (2 converted), 3.1 MB → 0.8 MB: 2.3 MB saved``."""
        before, after = sum(self.before.values()), sum(self.after.values())
        converted = f" ({len(self.converted)} converted)" if self.converted else ""
        return (
            f"--device {device}: {plural(len(self.before), 'image')}{converted}, "
            f"{_megabytes(before)} → {_megabytes(after)}: {_megabytes(before - after)} saved"
        )


@dataclass(frozen=True, slots=True)
class DeviceProfile:
    name: str
    max_size: tuple[int, int]  # width, height in pixels
    jpeg_quality: int
    shows: frozenset[str]  # image types it displays as they are
    grayscale: bool = False
    dither: bool = False  # grayscale line art dithered to the panel's grays
    tally: ImageTally = field(default_factory=ImageTally, compare=False, repr=False)

    def adapt(self, data: bytes, media_type: str, label: str) -> tuple[bytes, str] | None:
        """The image as this device should get it, with its media type; None (warned, naming ``label``)
        when the device cannot show it and Pillow cannot decode it here."""
        if media_type == SVG:  # vector images scale as they are
            return data, media_type
        digest = hashlib.sha256(data).hexdigest()
        with _LOCK:
            if digest in self.tally.done:
                return self.tally.done[digest]
        result = self._adapt(data, media_type, label)
        with _LOCK:
            self.tally.done[digest] = result
            if result is not None:
                self.tally.before[digest] = len(data)
                self.tally.after[digest] = len(result[0])
                if result[1] != media_type:
                    self.tally.converted.add(digest)
        return result

    def _adapt(self, data: bytes, media_type: str, label: str) -> tuple[bytes, str] | None:
        from PIL import Image, UnidentifiedImageError

        showable = media_type in self.shows
        try:
            image: Any = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError) as exc:
            if showable:
                return data, media_type
            name = _NAMES.get(media_type, media_type)
            plugin = " (it needs the pillow-heif plugin)" if media_type == HEIC else ""
            # Pillow's "cannot identify image file <BytesIO…>" says nothing more; a decoder's own error may
            why = "" if isinstance(exc, UnidentifiedImageError) else f" ({str(exc).splitlines()[0][:80]})"
            cannot = f"a {name} image, which Pillow cannot decode here{plugin}{why} and {self.name} cannot show"
            log.warning("%s: %s; showing its description instead", label, cannot)
            return None
        if getattr(image, "n_frames", 1) > 1 and showable:  # an animation: re-encoding would stop it
            return data, media_type
        fits = image.width <= self.max_size[0] and image.height <= self.max_size[1]
        gray = image.mode in ("1", "L", "LA", "I", "I;16")
        if showable and fits and (gray or not self.grayscale) and media_type != JPEG:
            return data, media_type  # lossless and already right: nothing to gain without losing detail
        image.thumbnail(self.max_size, Image.Resampling.LANCZOS)
        alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        photo = media_type in (JPEG, HEIC, AVIF) or (media_type == WEBP and not image.info.get("lossless"))
        if self.grayscale and self.dither and not photo:
            result = _encoded(_dithered(image), "PNG"), PNG
        elif alpha:
            result = _encoded(image.convert("LA" if self.grayscale else "RGBA"), "PNG"), PNG
        else:
            image = image.convert("L" if self.grayscale else "RGB")
            jpeg = _encoded(image, "JPEG", quality=self.jpeg_quality, optimize=True, progressive=True)
            result = jpeg, JPEG
            if not photo:  # line art, charts, screenshots: a 256-colour PNG is often smaller, and sharper
                png = _encoded(image.quantize(256), "PNG")
                result = (png, PNG) if len(png) <= len(jpeg) else result
        unchanged = showable and fits and (gray or not self.grayscale)
        if unchanged and len(result[0]) >= len(data):  # re-encoding gained nothing: keep the original
            return data, media_type
        return result


def _encoded(image: Any, kind: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **({"optimize": True} if kind == "PNG" else {}), **options)
    return out.getvalue()


def bmff_type(data: bytes) -> str | None:
    """AVIF or HEIC by the brand of the file's ``ftyp`` box (the sandbox's sniffing does not know them)."""
    return _BMFF_BRANDS.get(data[8:12]) if data[4:8] == b"ftyp" else None


def _dithered(image: Any) -> Any:
    """``image`` in the panel's gray levels, Floyd–Steinberg dithered (banding would show on e-ink)."""
    from PIL import Image

    gray = image.convert("L")
    levels = [round(k * 255 / (_E_INK_GRAYS - 1)) for k in range(_E_INK_GRAYS)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for level in levels for v in (level, level, level)] + [0] * 3 * (256 - _E_INK_GRAYS))
    return gray.convert("RGB").quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).convert("L")


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if abs(count) >= 100_000 else f"{count / 1000:.0f} kB"


_SHOWN_BY_READERS = frozenset({JPEG, PNG, GIF})
PROFILES: dict[str, DeviceProfile] = {
    # Kindle Paperwhite/Scribe screens; Send to Kindle turns EPUB images into KF8, which has no WebP/AVIF/HEIC.
    "kindle": DeviceProfile("kindle", (1236, 1648), 75, _SHOWN_BY_READERS),
    "kobo": DeviceProfile("kobo", (1264, 1680), 80, _SHOWN_BY_READERS),
    # Any e-ink reader (KOReader, PocketBook, reMarkable): 16 grays.
    "eink": DeviceProfile("eink", (1072, 1448), 70, _SHOWN_BY_READERS, grayscale=True, dither=True),
    "tablet": DeviceProfile("tablet", (2048, 2732), 85, _SHOWN_BY_READERS | {WEBP}),  # WebP: EPUB 3.3
    # A4 at 300 dpi; everything WeasyPrint embeds as it is.
    "print": DeviceProfile("print", (2480, 3508), 92, _SHOWN_BY_READERS | {WEBP}),
}


def profile(name: str) -> DeviceProfile:
    """A fresh profile (its own tally) by name."""
    base = PROFILES[name]
    return DeviceProfile(base.name, base.max_size, base.jpeg_quality, base.shows, base.grayscale, base.dither)
