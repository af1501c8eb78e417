"""Security: no file outside the input's folder reaches any output, no active content survives,
nothing is fetched without --allow-network, and every XML parser refuses entities.

Outputs are searched whole: raw bytes, every PDF stream decoded by pypdf, every ZIP entry
(EPUB, DOCX) decompressed, for a secret's text and its base64 at each alignment.
"""

from __future__ import annotations

import ast
import base64
import http.server
import io
import json
import logging
import re
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from convert.cli import cli
from convert.fetch import Fetcher
from convert.resources import Sandbox
from tests.conftest import epubcheck

ROOT = Path(__file__).parent.parent.parent
BAD = Path(__file__).parent.parent / "fixtures" / "bad"
SECRET = b"TEARSHEET-SECRET-7f3a9c1e-do-not-leak-this-token-0123456789abcdef"
PASSWD = Path("/etc/passwd")
FORMATS = "pdf,epub,docx"


# --------------------------------------------------------------------------- searching outputs


def needles(secret: bytes) -> list[bytes]:
    """``secret`` and its base64 at the three alignments (data: URLs, embedded media)."""
    found = [secret]
    for shift in range(3):
        encoded = base64.b64encode(bytes(shift) + secret)
        found.append(encoded[4:-4])  # the chars that depend on the secret alone
    return found


def pdf_streams(data: bytes) -> Iterator[bytes]:
    reader = PdfReader(io.BytesIO(data), strict=False)
    numbers = {num for objects in reader.xref.values() for num in objects} | set(reader.xref_objStm)
    for number in sorted(numbers):
        try:
            obj = IndirectObject(number, 0, reader).get_object()
        except Exception:  # a free or broken entry: nothing to search
            continue
        if isinstance(obj, StreamObject):
            yield obj.get_data()


def searchable(path: Path) -> Iterator[bytes]:
    """The file's bytes and everything compressed inside it."""
    data = path.read_bytes()
    yield data
    if path.suffix == ".pdf":
        yield from pdf_streams(data)
    elif zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        yield from (archive.read(name) for name in archive.namelist())


def assert_nothing_leaks(outputs: list[Path], text: str, secrets: list[bytes]) -> None:
    assert outputs
    for secret in secrets:
        marks = needles(secret)
        for path in outputs:
            for blob in searchable(path):
                assert not any(mark in blob for mark in marks), f"{path.name} holds {secret[:20]!r}"
        assert not any(mark.decode() in text for mark in marks), "the command's output holds the secret"


# --------------------------------------------------------------------------- an input folder under attack


def png_bytes(rows: list[bytes], channels: int = 1, text: bytes = b"") -> bytes:
    """An 8-bit PNG, gray (1 channel) or RGB (3), from raw rows; ``text`` goes in a tEXt chunk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    width, height = len(rows[0]) // channels, len(rows)
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2 if channels == 3 else 0, 0, 0, 0])
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows), 1)
    extra = chunk(b"tEXt", b"Comment\x00" + text) if text else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def attack_targets(site: Path, outside: Path) -> list[str]:
    """Every way a page could name a file outside its folder (and one allowed image)."""
    secret_png = outside / "secret.png"
    targets = [
        str(secret_png),
        secret_png.as_uri(),
        "../outside/secret.png",
        "sub/../../outside/secret.png",
        "link.png",  # symlink to ../outside/secret.png
        "outside-dir/secret.png",  # symlink to the folder ../outside
        "%2E%2E/outside/secret.png",
        str(outside / "secret.txt"),
        "evil.svg",  # in the folder, but it names the secret inside
    ]
    if PASSWD.is_file():
        targets += ["/etc/passwd", "file:///etc/passwd", "../" * 12 + "etc/passwd", "passwd.png"]
    return targets


def hostile_page(targets: list[str]) -> str:
    tags = []
    for k, url in enumerate(targets):
        tags += [
            f'<p>Image {k}: <img src="{url}" alt="image {k}"> <img srcset="{url} 2x" alt="srcset {k}"></p>',
            f'<link rel="stylesheet" href="{url}"><link rel="attachment" href="{url}">',
            f'<p style="background: url({url})">Styled {k} <a rel="attachment" href="{url}">attachment {k}</a></p>',
            f'<style>@import url("{url}"); .x{k} {{ background: url({url}) }}</style>',
            f'<object data="{url}"></object><embed src="{url}"><iframe src="{url}"></iframe>',
            f'<video poster="{url}" src="{url}"></video><input type="image" src="{url}">',
        ]
    body = "\n".join(tags)
    return (
        f"<html><head><title>Page under attack</title></head><body><article><h1>Page under attack</h1>\n{body}\n"
        "<p>Plenty of article text so that extraction keeps the page as an article.</p></article></body></html>"
    )


def hostile_markdown(targets: list[str]) -> str:
    lines = ["# Markdown under attack", ""]
    for k, url in enumerate(targets):
        lines += [f"![image {k}]({url})", "", f'<img src="{url}"> <link rel="attachment" href="{url}">', ""]
    return "\n".join(lines) + "\nThe end.\n"


def evil_svg(outside: Path) -> str:
    secret_txt, secret_png = outside / "secret.txt", outside / "secret.png"
    return f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{secret_txt.as_uri()}">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:xi="http://www.w3.org/2001/XInclude" width="200" height="50">
  <style>@import url("{secret_txt.as_uri()}");</style>
  <text x="0" y="20">&xxe;</text>
  <text x="0" y="40"><xi:include href="{secret_txt}" parse="text"/></text>
  <image href="{secret_png.as_uri()}" width="10" height="10"/>
  <image xlink:href="../outside/secret.png" width="10" height="10"/>
</svg>
"""


@pytest.fixture
def attacked_site(tmp_path: Path) -> Path:
    outside, site = tmp_path / "outside", tmp_path / "site"
    outside.mkdir()
    site.mkdir()
    (outside / "secret.png").write_bytes(png_bytes([SECRET], text=SECRET))
    (outside / "secret.txt").write_bytes(SECRET + b"\n")
    (site / "link.png").symlink_to(outside / "secret.png")
    (site / "outside-dir").symlink_to(outside, target_is_directory=True)
    if PASSWD.is_file():
        (site / "passwd.png").symlink_to(PASSWD)
    (site / "evil.svg").write_text(evil_svg(outside), encoding="utf-8")
    (site / "ok.png").write_bytes(png_bytes([bytes(range(0, 240, 8)) * 3] * 4, channels=3))
    targets = [*attack_targets(site, outside), "ok.png"]
    (site / "page.html").write_text(hostile_page(targets), encoding="utf-8")
    (site / "notes.md").write_text(hostile_markdown(targets), encoding="utf-8")
    return site


def secrets() -> list[bytes]:
    first_line = PASSWD.read_bytes().splitlines()[0] if PASSWD.is_file() else b""
    return [SECRET, *([first_line] if first_line else [])]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout + result.stderr


# --------------------------------------------------------------------------- the sandbox, end to end


@pytest.mark.parametrize("extract", [True, False], ids=["extracted", "whole-page"])
def test_no_file_outside_the_input_folder_reaches_any_output(attacked_site: Path, extract: bool) -> None:
    out = attacked_site.parent / "out"
    sources = [str(attacked_site / "page.html"), str(attacked_site / "notes.md")]
    flags = [] if extract else ["--no-extract"]
    code, text = invoke("convert", *sources, "--to", FORMATS, "-o", str(out), *flags)
    assert code == 0, text
    assert "refused (outside the input's folder)" in text
    for source in sources:
        code, json_text = invoke("inspect", source, "--json", *flags)
        assert code == 0
        text += json_text
    outputs = sorted(out.iterdir())
    assert len(outputs) == 6
    assert_nothing_leaks(outputs, text, secrets())
    # The one image inside the folder is still embedded: the sandbox refuses only what it must.
    epub = zipfile.ZipFile(out / "notes.epub")
    assert any(name.startswith("EPUB/images/") for name in epub.namelist())


def test_container_input_cannot_pull_in_outside_files(tmp_path: Path) -> None:
    """An EPUB naming files outside itself: pandoc without --sandbox copied them into the model."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes([SECRET], text=SECRET))
    book = tmp_path / "in" / "book.epub"
    book.parent.mkdir()
    book.write_bytes(epub_naming([str(outside / "secret.png"), (outside / "secret.png").as_uri(), "/etc/passwd"]))
    code, text = invoke("inspect", str(book), "--json")
    assert code == 0, text
    code, more = invoke("convert", str(book), "--to", FORMATS, "-o", str(tmp_path / "out"))
    assert code == 0, more
    assert_nothing_leaks(sorted((tmp_path / "out").iterdir()), text + more, secrets())


def epub_naming(sources: list[str]) -> bytes:
    """A minimal EPUB 3 whose chapter shows images that are not in it."""
    images = "".join(f'<p><img src="{src}" alt="outside"/></p>' for src in sources)
    files = {
        "META-INF/container.xml": '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" '
        'media-type="application/oebps-package+xml"/></rootfiles></container>',
        "content.opf": '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x'
        "</dc:identifier><dc:title>Outside</dc:title><dc:language>en</dc:language></metadata><manifest>"
        '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/>'
        "</spine></package>",
        "c.xhtml": '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head>'
        f"<body><p>A chapter with images from elsewhere.</p>{images}</body></html>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --------------------------------------------------------------------------- active content


ACTIVE = (r"<script", r"<iframe", r"<object", r"<embed", r"<form", r"<link\b", r"@import", r"\son[a-z]+\s*=",
          r"javascript:", r"vbscript:", r"/etc/passwd")  # fmt: skip


@pytest.mark.parametrize("flags", [[], ["--no-extract"]], ids=["extracted", "whole-page"])
def test_no_active_content_reaches_the_epub_or_the_pdf(tmp_path: Path, flags: list[str]) -> None:
    code, text = invoke("convert", str(BAD / "hostile-page.html"), "--to", "pdf,epub", "-o", str(tmp_path), *flags)
    assert code == 0, text
    archive = zipfile.ZipFile(tmp_path / "hostile-page.epub")
    for name in archive.namelist():
        if name.endswith((".xhtml", ".html", ".opf", ".ncx", ".css")):
            # Only the body: the head links the EPUB's own stylesheet.
            content = archive.read(name).decode("utf-8").lower().split("<body", 1)[-1]
            patterns = ACTIVE if name.endswith(".css") else (*ACTIVE, r"url\(")
            for pattern in patterns:
                assert not re.search(pattern, content), f"{name}: {pattern}"
    pdf = (tmp_path / "hostile-page.pdf").read_bytes()
    for marker in (b"/JavaScript", b"/JS", b"/EmbeddedFiles", b"/Launch", b"/SubmitForm", b"javascript:"):
        assert all(marker not in blob for blob in [pdf, *pdf_streams(pdf)]), marker


def test_svg_images_lose_scripts_and_outside_references(tmp_path: Path) -> None:
    code, text = invoke("convert", str(BAD / "scripted-svg.md"), "--to", "pdf,epub,docx", "-o", str(tmp_path))
    assert code == 0, text
    archives = [zipfile.ZipFile(tmp_path / f"scripted-svg.{suffix}") for suffix in ("epub", "docx")]
    svgs = [archive.read(name) for archive in archives for name in archive.namelist() if name.endswith(".svg")]
    assert len(svgs) == 2 and all(b"<rect" in svg for svg in svgs)  # the picture itself is kept
    for svg in svgs:
        for pattern in (rb"<script", rb"\son[a-z]+\s*=", rb"javascript:", rb"file:", rb"foreignObject", rb"evil\."):
            assert not re.search(pattern, svg), pattern
    # A scripted SVG or one naming outside files would fail EPUBCheck (OPF-014, RSC-006, RSC-030).
    assert epubcheck((tmp_path / "scripted-svg.epub").read_bytes(), tmp_path).errors == []


def test_raw_openxml_never_reaches_the_docx(tmp_path: Path) -> None:
    code, text = invoke("convert", str(BAD / "raw-openxml.md"), "--to", "docx", "-o", str(tmp_path))
    assert code == 0, text
    assert b"INCLUDETEXT" not in zipfile.ZipFile(tmp_path / "raw-openxml.docx").read("word/document.xml")


def test_raw_html_images_are_loaded_through_the_sandbox(tmp_path: Path) -> None:
    page = tmp_path / "raw.md"
    page.write_text('Text <img src="http://tracker.example/pixel.gif"> and <img src="../../x.png">\n')
    code, text = invoke("convert", str(page), "--to", "epub", "-o", str(tmp_path / "out"))
    assert code == 0, text
    xhtml = zipfile.ZipFile(tmp_path / "out" / "raw.epub").read("EPUB/article.xhtml").decode()
    assert re.findall(r'<img[^>]*src="(?!images/)', xhtml) == []


# --------------------------------------------------------------------------- the network (loopback only)


class _Handler(http.server.BaseHTTPRequestHandler):
    png = png_bytes([b"\x80" * 8] * 8)

    def do_GET(self) -> None:
        if self.path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/redirect/").replace("|", "://", 1))
            self.end_headers()
            return
        body = self.png if self.path == "/image.png" else self.png + bytes(4096)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        if self.path == "/slow.png":  # 64 bytes every 0.1 s for 5 s
            for _ in range(50):
                self.wfile.write(body[:64])
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def local(server: str, tmp_path: Path, **kwargs: object) -> Fetcher:
    """A fetcher allowed to reach the test server (loopback is refused otherwise)."""
    host = server.split("://", 1)[1]
    return Fetcher(cache_dir=tmp_path / "http", allowed_hosts=frozenset({host}), **kwargs)  # type: ignore[arg-type]


def test_network_images_only_with_allow_network(server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert Sandbox(fetcher=local(server, tmp_path)).load_image(f"{server}/image.png") is None
    assert "network access is off" in caplog.text
    resource = Sandbox(allow_network=True, fetcher=local(server, tmp_path)).load_image(f"{server}/image.png")
    assert resource is not None and resource.media_type == "image/png"


def test_network_images_cannot_reach_private_addresses(server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert Sandbox(allow_network=True).load_image(f"{server}/image.png") is None
    assert "private address" in caplog.text


@pytest.mark.parametrize("target", ["ftp|127.0.0.1/x.png", "file|/etc/passwd", "data|image/png;base64,AAAA"])
def test_redirects_must_stay_http(server: str, tmp_path: Path, target: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    sandbox = Sandbox(allow_network=True, fetcher=local(server, tmp_path))
    assert sandbox.load_image(f"{server}/redirect/{target}") is None
    assert "could not fetch" in caplog.text


def test_downloads_are_capped_in_size_and_time(server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    capped = Sandbox(allow_network=True, fetcher=local(server, tmp_path, max_bytes=1000))
    assert capped.load_image(f"{server}/big.png") is None
    assert "larger than 1000 bytes" in caplog.text
    started = time.monotonic()
    slow = Sandbox(allow_network=True, fetcher=local(server, tmp_path, timeout=0.5))  # each read is quick
    assert slow.load_image(f"{server}/slow.png") is None
    # the deadline is checked at each KiB received: here 1.6 s in, long before the 5 s drip ends
    assert time.monotonic() - started < 3
    assert "timed out after 0.5 s (the whole fetch)" in caplog.text


# --------------------------------------------------------------------------- XML parsers


# Unsafe parses found by the audit and reported to their owners; each must go, none may come.
KNOWN_UNSAFE_XML: set[str] = set()


def test_every_xml_parser_refuses_entities() -> None:
    """lxml's XMLParser resolves entities unless told not to; a parse without a parser uses that default."""
    # The scan runs in a fresh interpreter: CPython 3.11's ast.parse can fail with "SystemError: AST
    # constructor recursion depth mismatch" in a process whose earlier tests hit deep recursion.
    script = (
        "import json; from tests.e2e.test_security import unsafe_xml_parses; print(json.dumps(unsafe_xml_parses()))"
    )
    scan = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    unsafe = set(json.loads(scan.stdout))
    assert unsafe <= KNOWN_UNSAFE_XML, sorted(unsafe - KNOWN_UNSAFE_XML)


def unsafe_xml_parses() -> list[str]:
    """The modules of convert/ that parse XML with a parser that resolves entities."""
    unsafe = set()
    for path in sorted((ROOT / "convert").rglob("*.py")):
        for call in (n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            keywords = {k.arg: k.value for k in call.keywords}
            if name == "XMLParser":
                flag = keywords.get("resolve_entities")
                if not (isinstance(flag, ast.Constant) and flag.value is False):
                    unsafe.add(str(path.relative_to(ROOT)))
            elif name in _PARSE_CALLS and _module_of(call) in _XML_MODULES and not _has_parser(call):
                unsafe.add(str(path.relative_to(ROOT)))
    return sorted(unsafe)


_PARSE_CALLS = ("XML", "fromstring", "parse", "iterparse")
_XML_MODULES = ("etree", "ElementTree", "minidom")


def _has_parser(call: ast.Call) -> bool:
    return len(call.args) >= 2 or any(k.arg == "parser" for k in call.keywords)


def _module_of(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute):
        return func.value.attr
    return ""
