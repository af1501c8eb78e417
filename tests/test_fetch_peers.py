"""The HTTP client against odd and hostile peers, all on 127.0.0.1: exact cache keys, deadlines, bad headers (#22)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from convert.fetch import Fetcher, FetchError

# What some codecs Python knows, and browsers do not, would read as other text.
TITLE = r"Plain +AGEAYgBj- \x41 page"
PAGE = b"<html><body><article><h1>%s</h1><p>" + b"word " * 50 + b"</p></article></body></html>"


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    seen: set[str]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/echo" and self.headers.get("If-None-Match") == '"same"':
            self.send_response(304)  # "what you have is still right": a cache must then answer from its copy
            self.send_header("ETag", '"same"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/echo":  # the page names the exact query it was asked for
            self._send(PAGE.replace(b"%s", query.encode()), ETag='"same"')
        elif path == "/drip-body":
            self._drip(body=True)
        elif path == "/drip-headers":
            self._drip(body=False)
        elif path == "/bad-length":
            # No usable length: the body ends when the server closes the connection.
            self._send(PAGE.replace(b"%s", b"Length"), content_length="abc", Connection="close")
            self.close_connection = True
        elif path == "/busy":  # always busy, and says to come back much later
            self._send(b"busy", status=503, **{"Retry-After": "30"})
        elif path == "/busy-once":  # busy for the first request of each query, then the page
            first = query not in self.server.seen
            self.server.seen.add(query)
            if first:
                self._send(b"busy", status=503, **{"Retry-After": "1"})
            else:
                self._send(PAGE.replace(b"%s", b"Patience"))
        elif path.startswith("/declares-"):  # the page's own <meta charset>, none in the header
            charset = path.removeprefix("/declares-")
            head = f'<head><meta charset="{charset}"><title>{TITLE}</title></head>'
            page = PAGE.replace(b"%s", TITLE.encode()).replace(b"<html>", f"<html>{head}".encode())
            self._send(page, content_type="text/html")
        elif path == "/punycode":
            self._send(PAGE.replace(b"%s", "Caf\u00e9".encode()), content_type="text/html; charset=punycode")
        else:
            self._send(b"not here", status=404)

    def _send(
        self,
        body: bytes,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        content_length: str | None = None,
        **headers: str,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", content_length or str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, body: bool) -> None:
        """One byte a second, 30 at most: every read is quick, the whole never comes in time."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"
        if body:
            self.wfile.write(head)
        for byte in (b"<p>" + b"x" * 100 if body else head)[:30]:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(1)
        self.close_connection = True


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.seen = set()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _fetcher(server: Server, tmp_path: Path, **kwargs: object) -> Fetcher:
    host = f"127.0.0.1:{server.server_address[1]}"
    return Fetcher(cache_dir=tmp_path / "cache", allowed_hosts=frozenset({host}), **kwargs)  # type: ignore[arg-type]


def _url(server: Server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def test_the_http_cache_keys_on_the_exact_url(server: Server, tmp_path: Path) -> None:
    fetcher = _fetcher(server, tmp_path)
    first = fetcher.get(_url(server, "/echo?a=1&b=2"))
    second = fetcher.get(_url(server, "/echo?b=2&a=1"))
    assert b"<h1>a=1&b=2</h1>" in first.body
    assert b"<h1>b=2&a=1</h1>" in second.body
    offline = _fetcher(server, tmp_path, offline=True)
    assert b"<h1>b=2&a=1</h1>" in offline.get(_url(server, "/echo?b=2&a=1")).body


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_a_peer_dripping_a_byte_a_second_is_cut_off_at_the_deadline(path: str, server: Server, tmp_path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 2 s"):
        _fetcher(server, tmp_path, timeout=2.0).get(_url(server, path))
    assert time.monotonic() - start < 20  # the peer would drip for 30 s


def test_a_retry_after_past_the_deadline_is_not_waited_for(server: Server, tmp_path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"asks to retry in 30 s, past the 3 s deadline"):
        _fetcher(server, tmp_path, timeout=3.0).get(_url(server, "/busy"))
    assert time.monotonic() - start < 20  # urllib3 alone sleeps the 30 s Retry-After


def test_a_retry_after_within_the_deadline_is_honoured(server: Server, tmp_path: Path) -> None:
    fetched = _fetcher(server, tmp_path, timeout=10.0).get(_url(server, f"/busy-once?{tmp_path.name}"))
    assert b"<h1>Patience</h1>" in fetched.body


def test_the_deadline_is_settable_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEARSHEET_NETWORK_TIMEOUT", "4.5")
    assert Fetcher().timeout == 4.5


def test_a_content_length_that_is_no_number_still_gives_the_page(server: Server, tmp_path: Path) -> None:
    fetched = _fetcher(server, tmp_path).get(_url(server, "/bad-length"))
    assert b"<h1>Length</h1>" in fetched.body


@pytest.mark.parametrize("charset", ["punycode", "utf-7", "unicode_escape"])
def test_a_charset_the_page_declares_that_browsers_do_not_know_is_ignored(
    charset: str, server: Server, tmp_path: Path
) -> None:
    from convert.readers.webpage import read_fetched

    doc = read_fetched(_fetcher(server, tmp_path).get(_url(server, f"/declares-{charset}")))
    assert doc.meta.title == TITLE  # UTF-7 would make it "Plain abc …", unicode_escape "… A page"


def test_a_charset_browsers_do_not_know_falls_back_to_detection(server: Server, tmp_path: Path) -> None:
    from convert.readers.webpage import read_fetched

    fetched = _fetcher(server, tmp_path).get(_url(server, "/punycode"))
    assert fetched.charset == ""
    doc = read_fetched(fetched)
    assert doc.meta.title == "Caf\u00e9" or "Caf\u00e9" in str(doc.blocks)


def test_the_deadline_is_settable_on_the_command_line(server: Server, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from convert.cli import cli

    host = f"127.0.0.1:{server.server_address[1]}"
    args = ["convert", _url(server, "/drip-body"), "--allow-host", host, "--cache-dir", str(tmp_path / "cache")]
    start = time.monotonic()
    result = CliRunner().invoke(cli, [*args, "--network-timeout", "2", "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "timed out after 2 s (the whole fetch)" in result.stderr
    assert time.monotonic() - start < 20  # the peer would drip for 30 s
    bad = CliRunner().invoke(cli, [*args, "--network-timeout", "0", "-o", str(tmp_path)])
    assert bad.exit_code == 2 and "--network-timeout" in bad.stderr
