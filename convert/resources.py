"""The resource sandbox: the one place any writer gets image bytes from.

A resource may come from the input's own folder, from a ``data:`` URL, or —
only when the user allows the network — from http(s) with a timeout and a
size cap. Everything else (other local paths, ``file://`` outside the folder,
symlinks or ``..`` leading out, other schemes) is refused with a warning.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import stat
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from convert.devices import DeviceProfile, bmff_type
from convert.fetch import Fetcher, FetchError
from convert.limits import safe_xml_parser
from convert.reporting import ARTICLE, SITE_RELATIVE, UNFETCHED, plural

log = logging.getLogger("tearsheet")

MAX_BYTES = 25 * 1024 * 1024
# Kernel and device views: never read as a file, whoever names them (reading /proc/self/pagemap never ends).
_SPECIAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


class Refused(Exception):
    """A local file that may not be read: its one-line reason."""


class Missing(Refused):
    """A local file that is not there (a later appearance must count as a change)."""


def confine(path: Path, root: Path | None) -> Path:
    """``path`` resolved, if it is a regular file inside ``root`` (anywhere for None); else ``Refused``.

    Symlinks count where they lead, so a link out of ``root`` is refused however it is named;
    a loop of links is refused too. Devices, FIFOs, sockets and /proc, /sys, /dev are never files.
    """
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a symlink loop
        raise Refused("a symlink loop") from None
    if root is not None and not resolved.is_relative_to(root.resolve()):
        linked = os.path.abspath(path) != str(resolved)
        raise Refused("a symlink leading outside the project" if linked else "outside the project")
    if any(resolved.is_relative_to(special) for special in _SPECIAL_ROOTS):
        raise Refused("a system file (/proc, /sys, /dev)")
    try:
        mode = resolved.stat().st_mode
    except FileNotFoundError:
        raise Missing("not found") from None
    except OSError as exc:
        raise Refused(f"cannot read it: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise Refused("a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)")
    return resolved


def named_outside(pattern: str) -> bool:
    """Whether the user named a place outside the project: an absolute path, or one going up with ``..``."""
    return os.path.isabs(pattern) or os.path.normpath(pattern).split(os.sep)[0] == os.pardir


def read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """At most ``max_bytes`` of ``path``, or None when it holds more (its size on disk is not trusted)."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


# Media types an EPUB may hold as images, recognised by their first bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
    "image/webp": ".webp",
}


# Raster images an SVG may keep as data: URLs; every other reference it makes is dropped.
_SVG_KEEPS = {"image": ["png", "jpeg", "gif", "webp"]}


def _clean_svg(data: bytes, url: str) -> bytes | None:
    """The SVG without scripts, event handlers or foreign objects, its outside references cut.

    Cloudflare's svg-hush does it (a reference outside the SVG loses its scheme and host, so
    it points nowhere); only raster ``data:`` images stay. An SVG libxml2 refuses with its
    default limits (nested deeper than 256, which svg-hush would indent into gigabytes) or
    that svg-hush cannot parse (a DTD, an entity bomb) is not embedded.
    """
    import lxml.etree
    from py_svg_hush import filter_svg

    try:
        lxml.etree.fromstring(data, parser=safe_xml_parser())
        return filter_svg(data, keep_data_url_mime_types=_SVG_KEEPS)
    except (ValueError, lxml.etree.XMLSyntaxError) as exc:
        reason = str(exc).split(",")[0]
        log.warning("%s: not a well-formed SVG (%s); showing its description instead", _short(url), reason)
        return None


@dataclass(frozen=True, slots=True)
class Resource:
    data: bytes
    media_type: str

    @property
    def name(self) -> str:
        """A stable file name derived from the content."""
        return hashlib.sha256(self.data).hexdigest()[:16] + _EXTENSIONS.get(self.media_type, ".bin")

    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True, slots=True)
class Sandbox:
    """Where resources may come from for one input."""

    root: Path | None = None  # the input's folder; None allows no local files
    allow_network: bool = False
    max_bytes: int = MAX_BYTES
    # The HTTP client for network images (its cache and its private-address checks); None: a default one.
    fetcher: Fetcher | None = field(default=None, compare=False)
    article: str = field(default="", compare=False)  # the article its warnings name, inside a book
    # Local files looked up, by resolved path: the SHA-256 of the bytes read, "" for a file not there.
    # A build cache entry depends on exactly these (a refused file is never read, so never listed).
    reads: dict[str, str] | None = field(default=None, compare=False)
    device: DeviceProfile | None = None  # --device: every image adapted to its screen (convert.devices)

    def load_image(self, url: str, base_url: str = "") -> Resource | None:
        """The image at ``url`` if the sandbox allows it and it is an image; else None (warned).

        A relative ``url`` is looked up beside the input first; ``base_url`` (the
        article's source URL) resolves it on the web when it is not there.
        """
        token = ARTICLE.set(self.article) if self.article else None
        try:
            return self._load_image(url, base_url)
        finally:
            if token is not None:
                ARTICLE.reset(token)

    def _load_image(self, url: str, base_url: str) -> Resource | None:
        data = self._load(url, base_url)
        if data is None:
            return None
        media_type = sniff_image(data) or (bmff_type(data) if self.device is not None else None)
        if media_type is None:
            log.warning("%s: not an image this tool can embed; showing its description instead", _short(url))
            return None
        if self.device is not None:
            adapted = self.device.adapt(data, media_type, _short(url))
            if adapted is None:
                return None
            data, media_type = adapted
        if media_type == "image/svg+xml":
            data = _clean_svg(data, url)
            if data is None:
                return None
        return Resource(data, media_type)

    def _load(self, url: str, base_url: str = "") -> bytes | None:
        parsed = urllib.parse.urlsplit(url)
        scheme = parsed.scheme.lower()
        if scheme == "data":
            return _decode_data_url(url)
        if scheme in ("http", "https"):
            if not self.allow_network:
                log.warning("%s: not fetched (network access is off)", url, extra={UNFETCHED: url})
                return None
            return self._fetch(url)
        if scheme == "file":
            path = Path(urllib.request.url2pathname(parsed.path))
        elif scheme == "":
            path = Path(urllib.parse.unquote(parsed.path))
            if base_url.startswith(("http://", "https://")) and not self._exists_locally(path):
                return self._load(urllib.parse.urljoin(base_url, url))
        else:
            log.warning("%s: refused (scheme %r is not allowed)", _short(url), scheme)
            return None
        return self._read_local(path, url)

    def _exists_locally(self, path: Path) -> bool:
        if self.root is None or path.is_absolute():
            return False
        return (self.root / path).resolve().is_file()

    def _read_local(self, path: Path, url: str) -> bytes | None:
        if self.root is None:
            log.warning("%s: refused (no local files allowed for this input)", _short(url))
            return None
        try:
            target = confine(self.root / path, self.root)
        except Missing:
            self._record(self.root.resolve() / path, "")
            log.warning("%s: image not found", _short(url))
            return None
        except Refused as exc:
            if url.startswith("/") and not path.exists():
                # "/images/a.png" on a page saved without its address: the site's path, not this machine's.
                log.warning("%s: site-relative image", _short(url), extra={SITE_RELATIVE: url})
                return None
            log.warning("%s: refused (%s)", _short(url), str(exc).replace("the project", "the input's folder"))
            return None
        try:
            data = read_bounded(target, self.max_bytes)
        except OSError as exc:
            log.warning("%s: cannot read it (%s)", _short(url), exc.strerror or exc)
            return None
        if data is None:
            log.warning("%s: refused (larger than %d bytes)", _short(url), self.max_bytes)
            return None
        self._record(target, hashlib.sha256(data).hexdigest())
        return data

    def _record(self, path: Path, digest: str) -> None:
        if self.reads is None:
            return
        # Read twice (once a format) and different: no cache entry may trust either.
        if self.reads.setdefault(str(path), digest) != digest:
            self.reads[str(path)] = CHANGED_WHILE_READ

    def _fetch(self, url: str) -> bytes | None:
        fetcher = self.fetcher or _default_fetcher(self.max_bytes)
        try:
            return fetcher.get(url).body
        except FetchError as exc:
            log.warning("%s: could not fetch (%s)", _short(url), exc.reason)
            return None


# Never a SHA-256: a dependency recorded with it never counts as unchanged.
CHANGED_WHILE_READ = "changed while read"


@lru_cache(maxsize=4)
def _default_fetcher(max_bytes: int) -> Fetcher:
    return Fetcher(max_bytes=max_bytes)


def sniff_image(data: bytes) -> str | None:
    """The image media type of ``data`` from its first bytes, or None."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head) or b"<svg" in head[:512]:
        return "image/svg+xml"
    return None


def data_url_bytes(url: str) -> bytes:
    """What a ``data:`` URL carries; ValueError when it is malformed. As browsers read it (the Fetch
    standard's data: URL processor): percent-decoded, then base64-decoded if it says so."""
    header, _, payload = url.partition(",")
    data = urllib.parse.unquote_to_bytes(payload)
    return base64.b64decode(data, validate=False) if header.lower().endswith(";base64") else data


def _decode_data_url(url: str) -> bytes | None:
    try:
        return data_url_bytes(url)
    except ValueError:
        log.warning("%s: malformed data: URL", _short(url))
        return None


def _short(url: str) -> str:
    """A URL as messages show it: whole, except a data: URL, which is its media type and size."""
    if url[:5].lower() != "data:":
        return url
    header, _, payload = url.partition(",")
    return f"{header.split(';')[0]} URL ({plural(len(payload), 'byte')})"
