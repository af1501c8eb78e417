"""A small web site on 127.0.0.1 (an OS-chosen port) serving what a test puts in it: feeds, pages, images."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from convert.fetch import Fetcher


@dataclass
class Site:
    """Paths to (content type, body); a path not there is a 404. ``hits`` counts requests per path."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def put(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> str:
        """Serve ``body`` at ``path``; its full URL."""
        self.pages[path] = (content_type, body.encode("utf-8") if isinstance(body, str) else body)
        return self.base + path

    def fetcher(self, cache: object) -> Fetcher:
        from pathlib import Path

        return Fetcher(cache_dir=Path(str(cache)), allowed_hosts=frozenset({self.host}))

    def network_args(self, cache: object) -> list[str]:
        """The command-line options that let a run fetch from this site, with its own HTTP cache."""
        return ["--allow-host", self.host, "--cache-dir", str(cache)]


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.hits[path] = site.hits.get(path, 0) + 1
            content_type, body = site.pages.get(path, ("text/plain", b""))
            self.send_response(200 if path in site.pages else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    site.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()
