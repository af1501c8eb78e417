"""Articles from URLs and feeds, against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import multiprocessing
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from convert.cli import cli
from convert.feeds import parse_since, read_feed, select
from convert.fetch import Fetcher, FetchError
from convert.sources import load_web
from tests.conftest import FIXTURES, epubcheck

ENTRIES = 20
WORDS = ["tide", "harbour", "archive", "turbine", "cable", "river", "grid", "record"]


def entry_html(k: int) -> str:
    body = " ".join(WORDS[(k + i) % len(WORDS)] for i in range(220))
    return f"<p>Entry {k} begins. {body}. See <a href='https://ref.example/{k}'>the source</a>.</p>"


def atom_feed(base: str) -> str:
    entries = []
    for k in range(1, ENTRIES + 1):
        # odd entries carry their whole text; even ones only a teaser, so the page is fetched
        content = (
            f"<content type='html'><![CDATA[{entry_html(k)}]]></content>" if k % 2 else "<summary>Teaser.</summary>"
        )
        entries.append(
            f"<entry><title>Entry {k:02d}</title><link href='{base}/entries/{k}.html'/><id>{base}/entries/{k}</id>"
            f"<updated>2024-03-{k:02d}T10:00:00Z</updated><author><name>Writer {k % 3}</name></author>{content}</entry>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Test feed</title>"
        f"<id>{base}/</id><updated>2024-03-31T00:00:00Z</updated>{''.join(entries)}</feed>"
    )


class Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: dict[str, int]
    agents: list[str]
    in_flight: int
    most_in_flight: int


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass

    def send(
        self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        server = self.server
        server.hits[path] = server.hits.get(path, 0) + 1
        server.agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{server.server_address[1]}"
        if path == "/article.html":
            self.send(200, (FIXTURES / "web-page.html").read_bytes())
        elif path == "/images/turbine.svg":
            self.send(200, (FIXTURES / "images" / "turbine.svg").read_bytes(), "image/svg+xml")
        elif path == "/feed.atom":
            self.send(200, atom_feed(base).encode(), "application/atom+xml")
        elif path.startswith("/entries/"):
            k = int(path.rsplit("/", 1)[1].split(".")[0])
            page = f"<html lang='en'><head><title>Entry {k:02d}</title></head><body><article><h1>Entry {k:02d}</h1>"
            self.send(200, (page + entry_html(k) + "</article></body></html>").encode())
        elif path == "/slow-entry":
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
            time.sleep(0.3)
            server.in_flight -= 1
            self.send(200, b"<html><body><article><h1>Slow</h1><p>" + b"word " * 200 + b"</p></article></body></html>")
        elif path == "/redirect":
            self.send(302, Location="/article.html")
        elif path == "/redirect-private":
            self.send(302, Location="http://10.255.255.1/internal")
        elif path == "/loop":
            self.send(302, Location="/loop")
        elif path == "/slow":
            time.sleep(3)
            self.send(200, b"<p>late</p>")
        elif path == "/busy":
            if server.hits[path] == 1:
                self.send(429, b"slow down", Retry_After="1")
            else:
                self.send(
                    200, b"<html><body><article><h1>Busy</h1><p>" + b"word " * 200 + b"</p></article></body></html>"
                )
        elif path == "/huge":
            self.send(200, b"<p>" + b"x" * 3_000_000 + b"</p>")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
            else:
                self.send(
                    200,
                    b"<html><body><article><h1>Tagged</h1><p>" + b"word " * 200 + b"</p></article></body></html>",
                    ETag='"v1"',
                )
        else:
            self.send(404, b"not here")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.hits, httpd.agents, httpd.in_flight, httpd.most_in_flight = {}, [], 0, 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def host(server: Server) -> str:
    return f"127.0.0.1:{server.server_address[1]}"


def fetcher(server: Server, tmp_path: Path, **kwargs: object) -> Fetcher:
    return Fetcher(cache_dir=tmp_path / "cache", allowed_hosts=frozenset({host(server)}), **kwargs)  # type: ignore[arg-type]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def epub_opf(path: Path) -> str:
    return zipfile.ZipFile(path).read("EPUB/content.opf").decode()


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_convert_url_matches_the_saved_file(server: Server, tmp_path: Path) -> None:
    code, out, err = run(
        "convert", f"{base(server)}/article.html", "-o", str(tmp_path), "--allow-host", host(server),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert code == 0, err
    fetched = tmp_path / "why-tidal-energy-keeps-missing-its-moment.pdf"
    assert fetched.is_file(), out
    assert run("convert", str(FIXTURES / "web-page.html"), "-o", str(tmp_path / "saved"))[0] == 0
    # The same page, and the fetched one says when it was retrieved (a saved file without a record does not).
    fetched_text, saved_text = (" ".join(pdf_text(p).split()) for p in (fetched, tmp_path / "saved" / "web-page.pdf"))
    retrieved = time.strftime("Accessed %-d %B %Y. ", time.gmtime())  # Chicago's words; the page is en-GB
    assert retrieved in fetched_text and "Accessed" not in saved_text
    assert fetched_text.replace(retrieved, "") == saved_text
    assert server.hits.get("/images/turbine.svg", 0) >= 1  # the page's image came along
    assert all(agent.startswith("Tearsheet/") for agent in server.agents)


def test_redirects_are_followed_and_the_source_is_the_canonical_url(server: Server, tmp_path: Path) -> None:
    from convert import load_url

    doc = load_url(f"{base(server)}/redirect", fetcher(server, tmp_path))
    assert doc.meta.source_url == "https://harbour-review.example.org/energy/2024/03/tidal-energy-moment"
    assert doc.meta.retrieved == time.strftime("%Y-%m-%d", time.gmtime())


def test_redirect_to_a_private_address_is_refused_in_one_line(server: Server, tmp_path: Path) -> None:
    code, _, err = run(
        "convert", f"{base(server)}/redirect-private", "-o", str(tmp_path), "--allow-host", host(server),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert code == 2
    assert err == (
        f"tearsheet: error: {base(server)}/redirect-private: http://10.255.255.1/internal: refused: "
        "10.255.255.1 is a private address (10.255.255.1); see --allow-private\n"
    )
    assert list(tmp_path.glob("*.pdf")) == []


def test_loopback_is_refused_unless_allowed(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="private address"):
        Fetcher(cache_dir=tmp_path).get(f"{base(server)}/article.html")


def test_a_name_that_resolves_public_then_private_is_refused_before_a_byte_is_sent(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the check resolves the name to a public address, the connection then reaches a
    # private one. Here the check is told "public" while the socket connects to 127.0.0.1.
    monkeypatch.setattr("convert.fetch._addresses", lambda url, host, port: [ipaddress.ip_address("93.184.216.34")])
    hits = dict(server.hits)
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a private address \(127\.0\.0\.1\)"):
        Fetcher(cache_dir=tmp_path).get(f"{base(server)}/article.html")
    assert server.hits == hits  # the request never reached the server
    # Allowed explicitly, the same connection goes through.
    assert fetcher(server, tmp_path).get(f"{base(server)}/article.html").body


@pytest.mark.parametrize(
    ("path", "reason", "kwargs"),
    [
        ("/slow", "timed out after 1 s", {"timeout": 1.0}),
        ("/huge", "larger than 1 MB", {"max_bytes": 1 << 20}),
        ("/loop", "more than 5 redirects", {}),
        ("/missing", "HTTP 404", {}),
    ],
)
def test_fetch_failures_have_a_reason(
    server: Server, tmp_path: Path, path: str, reason: str, kwargs: dict[str, object]
) -> None:
    with pytest.raises(FetchError, match=reason):
        fetcher(server, tmp_path, **kwargs).get(base(server) + path)


def test_only_http_and_https(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher(cache_dir=tmp_path).get("file:///etc/passwd")


def test_429_is_retried_after_the_delay_it_asks_for(server: Server, tmp_path: Path) -> None:
    start = time.monotonic()
    page = fetcher(server, tmp_path).get(f"{base(server)}/busy")
    assert b"Busy" in page.body
    assert server.hits["/busy"] == 2 and time.monotonic() - start >= 1.0


def test_etag_revalidation_and_offline(server: Server, tmp_path: Path) -> None:
    client = fetcher(server, tmp_path)
    first = client.get(f"{base(server)}/etag")
    second = client.get(f"{base(server)}/etag")
    assert not first.from_cache and second.from_cache and second.body == first.body
    assert server.hits["/etag"] == 2  # the second was a conditional request answered 304
    offline = fetcher(server, tmp_path, offline=True)
    assert offline.get(f"{base(server)}/etag").body == first.body
    assert server.hits["/etag"] == 2
    with pytest.raises(FetchError, match="not in the cache"):
        offline.get(f"{base(server)}/article.html?never-fetched")


def test_one_host_gets_at_most_two_requests_at_once(server: Server, tmp_path: Path) -> None:
    urls = [f"{base(server)}/slow-entry?n={k}" for k in range(8)]
    loaded, failed = load_web(urls, fetcher(server, tmp_path), jobs=8)
    assert failed == [] and len(loaded) == 8
    assert server.most_in_flight <= 2


def _load_in_a_worker(client: Fetcher, urls: list[str]) -> int:
    loaded, failed = load_web(urls, client, jobs=4)
    assert failed == []
    return len(loaded)


def test_one_host_gets_at_most_two_requests_at_once_from_all_the_workers_of_a_run(
    server: Server, tmp_path: Path
) -> None:
    # As convert --jobs and a build do: each worker process gets a copy of the run's fetcher.
    server.most_in_flight = 0
    client = fetcher(server, tmp_path)
    urls = [[f"{base(server)}/slow-entry?worker={w}&n={k}" for k in range(6)] for w in range(3)]
    with ProcessPoolExecutor(3, mp_context=multiprocessing.get_context("forkserver")) as pool:
        assert list(pool.map(_load_in_a_worker, [client] * 3, urls)) == [6, 6, 6]
    assert server.most_in_flight == 2


def test_feed_selection(server: Server, tmp_path: Path) -> None:
    entries = read_feed(f"{base(server)}/feed.atom", fetcher(server, tmp_path))
    assert len(entries) == ENTRIES
    chosen = select(entries, since=parse_since("2024-03-10", dt.datetime.now(dt.UTC)), limit=5)
    assert [e.title for e in chosen] == ["Entry 16", "Entry 17", "Entry 18", "Entry 19", "Entry 20"]


def test_collect_feed_then_offline_gives_the_same_book(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = ["--feed", f"{base(server)}/feed.atom", "--title", "Feed", "--allow-host", host(server)]
    args += ["--cache-dir", str(tmp_path / "cache")]
    code, out, err = run("collect", *args, "-o", str(tmp_path / "online.epub"))
    assert code == 0, err
    assert "(20 articles)" in out
    page_hits = sum(v for k, v in server.hits.items() if k.startswith("/entries/"))
    assert page_hits == ENTRIES // 2  # only the teasers were fetched
    report = epubcheck((tmp_path / "online.epub").read_bytes(), tmp_path)
    assert report.errors == [] and report.warnings == []
    code, _, err = run("collect", *args, "--offline", "-o", str(tmp_path / "offline.epub"))
    assert code == 0, err
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("online.epub", "offline.epub")]
    assert digest[0] == digest[1]


def test_collect_urls_file(server: Server, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# reading list\n{base(server)}/entries/1.html\n\n{base(server)}/entries/2.html\n", encoding="utf-8"
    )
    code, out, err = run(
        "collect", "--urls", str(listing), "-o", str(tmp_path / "list.epub"), "--title", "List",
        "--allow-host", host(server), "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert code == 0, err
    assert "(2 articles)" in out
    titles = [e.split("<dc:title>")[1].split("<")[0] for e in [epub_opf(tmp_path / "list.epub")]]
    assert titles == ["List"]


def test_collect_warnings_name_the_fetched_page_not_the_book(server: Server, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{base(server)}/article.html\n", encoding="utf-8")
    code, _, err = run(
        "collect", "--urls", str(listing), "-o", str(tmp_path / "list.epub"), "--title", "List", "--no-images",
        "--allow-host", host(server), "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert code == 0, err
    assert err.splitlines() == [
        f"tearsheet: warning: {base(server)}/article.html: 1 image not fetched"
        " (network access is off; --allow-network fetches them)"
    ]
