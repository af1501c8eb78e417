"""Fetching pages and feeds: a good network citizen that cannot be turned against the user's network.

requests does HTTP; requests-cache keeps an on-disk cache that revalidates
with ``ETag``/``Last-Modified`` (``offline`` serves only from it); urllib3's
``Retry`` retries 429 and 5xx with backoff, honouring ``Retry-After``.
Redirects are followed here, one hop at a time, so every address is checked:
only http(s), and no loopback, private or link-local address unless allowed.
The address is checked twice: when the host name is resolved, and again on
the socket actually connected, before a byte is sent, so a name that
resolves to a public address and then to a private one (DNS rebinding)
cannot slip through.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import ipaddress
import logging
import os
import socket
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from convert.errors import InputError
from convert.version import __version__

if TYPE_CHECKING:
    from urllib3.connection import HTTPConnection

log = logging.getLogger("tearsheet")

MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
# The whole of one fetch — connecting, the headers, the body, every redirect — must end within this
# many seconds; TEARSHEET_NETWORK_TIMEOUT sets another. A peer that drips a byte a second is cut off.
TIMEOUT_S = 15.0
TIMEOUT_ENV = "TEARSHEET_NETWORK_TIMEOUT"
PER_HOST = 2  # requests in flight to one host at a time, from every process of a run (HostSlots)
CACHE_DIR = Path.home() / ".cache" / "tearsheet" / "http"
CACHE_FRESH_S = 3600


class FetchError(InputError):
    """A URL that could not be fetched, and why."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes
    charset: str  # from the headers; "" when they do not say
    retrieved: str  # ISO 8601 time of the fetch (of the cached copy's fetch when served from cache)
    from_cache: bool


@dataclass
class Fetcher:
    """One HTTP client for a run: cache, retries, per-host limits and address checks."""

    cache_dir: Path = CACHE_DIR
    offline: bool = False
    allow_private: bool = False  # any loopback/private/link-local address
    allowed_hosts: frozenset[str] = frozenset()  # "host" or "host:port" allowed even if private
    timeout: float = field(default_factory=lambda: network_timeout())
    max_bytes: int = MAX_BYTES
    retries: int = 3
    backoff: float = 0.5
    _session: Any = field(default=None, init=False, repr=False)
    _limits: defaultdict[str, threading.BoundedSemaphore] = field(
        default_factory=lambda: defaultdict(lambda: threading.BoundedSemaphore(PER_HOST)), init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """A copy for another process (convert --jobs): the same settings; its own session and per-host limits."""
        return (Fetcher, tuple(getattr(self, f.name) for f in fields(self) if f.init))

    def get(self, url: str) -> Fetched:
        """The body at ``url``, following at most ``MAX_REDIRECTS`` checked redirects, all within ``timeout``."""
        with _Deadline(self.timeout) as deadline:
            try:
                fetched = self._get(url)
            except FetchError:
                if not deadline.expired:
                    raise
            # Cut by the watchdog: whatever came (a body without Content-Length ends at the cut) is not the page.
            if deadline.expired:
                raise FetchError(url, f"timed out after {self.timeout:g} s (the whole fetch)") from None
            return fetched

    def _get(self, url: str) -> Fetched:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check(current)
            response = self._request(current)
            if response.is_redirect:
                target = urllib.parse.urljoin(current, response.headers.get("Location", ""))
                response.close()
                current = target
                continue
            return self._read(current, response)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    # ---------------------------------------------------------------- internals

    def _check(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "only http and https URLs are fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if self._allowed(parts.hostname, port):
            return
        for address in _addresses(url, parts.hostname, port):
            if not address.is_global:
                raise FetchError(url, _private(parts.hostname, address))

    def _allowed(self, host: str, port: int) -> bool:
        """Whether ``host`` may be fetched from whatever address it has."""
        return self.allow_private or host in self.allowed_hosts or f"{host}:{port}" in self.allowed_hosts

    def _check_peer(self, host: str, port: int, peer: str) -> None:
        """The address a connection reached; raises ``AddressRefused`` before anything is sent to it."""
        address = ipaddress.ip_address(peer.partition("%")[0])  # no IPv6 zone
        if not address.is_global and not self._allowed(host, port):
            raise AddressRefused(_private(host, address))

    def _request(self, url: str) -> Any:
        import http.client

        import requests
        from urllib3.exceptions import HTTPError

        if self.offline:
            return self._cached(url)
        host = urllib.parse.urlsplit(url).netloc
        try:
            with self._limits[host], HostSlots(self.cache_dir).held(host):
                response = self.session().get(url, timeout=self.timeout, allow_redirects=False, stream=True)
        except AddressRefused as exc:
            raise FetchError(url, str(exc)) from None
        except WaitPastDeadline as exc:
            reason = f"the server asks to retry in {exc.seconds:g} s, past the {self.timeout:g} s deadline"
            raise FetchError(url, reason) from None
        except requests.exceptions.RetryError:
            raise FetchError(url, f"the server kept refusing after {self.retries} retries") from None
        except FetchError:
            raise
        except (requests.exceptions.RequestException, HTTPError, OSError, http.client.HTTPException) as exc:
            # A peer that breaks HTTP (junk, a cut connection) is one line, like one that is not there.
            if _timed_out(exc):
                raise FetchError(url, f"timed out after {self.timeout:g} s") from None
            raise FetchError(url, f"could not connect: {_reason(exc)}") from None
        return response

    def _cached(self, url: str) -> Any:
        """The cached response, however old: offline, the last copy fetched is the one there is."""
        import requests

        session = self.session()
        request = session.prepare_request(requests.Request("GET", url))
        response = session.cache.get_response(session.cache.create_key(request))
        if response is None:
            raise FetchError(url, "not in the cache (--offline)")
        return response

    def _read(self, url: str, response: Any) -> Fetched:
        if response.status_code >= 400:
            response.close()
            raise FetchError(url, f"HTTP {response.status_code} {response.reason or ''}".strip())
        body = response.content  # read within bounds by _bounded_body, or from the cache
        content_type = response.headers.get("Content-Type", "")
        created = getattr(response, "created_at", None)
        fetched = created if isinstance(created, dt.datetime) else dt.datetime.now(dt.UTC)
        return Fetched(
            url=url,
            content_type=content_type.split(";")[0].strip().lower(),
            body=body,
            charset=_charset(content_type),
            retrieved=fetched.replace(microsecond=0).isoformat(),
            from_cache=bool(getattr(response, "from_cache", False)),
        )

    def _bounded_body(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Response hook: read the body under the size cap and the deadline, before anything caches it.

        requests-cache reads a body whole to store it; reading it here first, in
        small pieces, keeps a huge or endlessly dripping response from filling
        memory or hanging the run.
        """
        if response.is_redirect or response.status_code >= 400 or getattr(response, "from_cache", False):
            return response
        if response._content_consumed:  # requests-cache dispatches the hooks a second time
            return response
        url = response.url
        if _declared_length(response.headers.get("Content-Length")) > self.max_bytes:
            response.close()
            raise FetchError(url, f"larger than {_size(self.max_bytes)}")
        # The timeout bounds each read; the deadline bounds the whole download (a slow drip).
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        for chunk in response.raw.stream(1024, decode_content=True):  # small, so the deadline is checked often
            size += len(chunk)
            if size > self.max_bytes:
                response.close()
                raise FetchError(url, f"larger than {_size(self.max_bytes)}")
            if time.monotonic() > deadline:
                response.close()
                raise FetchError(url, f"took more than {self.timeout:g} s")
            chunks.append(chunk)
        response._content = b"".join(chunks)
        response._content_consumed = True
        return response

    def session(self) -> Any:
        with self._lock:
            if self._session is None:
                self._session = self._make_session()
            return self._session

    def _make_session(self) -> Any:
        import requests_cache

        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # A copy with an ETag or Last-Modified is revalidated at every use (a cheap 304); one
        # without is reused for an hour, unless the server's Cache-Control says otherwise.
        # Every copy stays on disk for --offline.
        session = requests_cache.CachedSession(
            str(self.cache_dir / "cache"),
            backend="sqlite",
            expire_after=CACHE_FRESH_S,
            always_revalidate=True,
            cache_control=True,
            allowable_codes=(200, 203, 300, 301, 308),
            stale_if_error=False,
            key_fn=exact_url_key,
        )
        retry = _deadline_retry()(
            total=self.retries,
            connect=0,
            read=0,
            redirect=0,
            status_forcelist=(429, 500, 502, 503, 504),
            backoff_factor=self.backoff,
            respect_retry_after_header=True,
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=True,
        )
        adapter = _checked_adapter(self._check_peer, max_retries=retry, pool_maxsize=PER_HOST * 4)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.hooks["response"].append(self._bounded_body)
        session.headers["User-Agent"] = (
            f"Tearsheet/{__version__} (article converter; +https://pypi.org/project/tearsheet/)"
        )
        return session


@dataclass(frozen=True, slots=True)
class HostSlots:
    """At most ``PER_HOST`` requests in flight to one host from every process that fetches through
    ``folder`` (the HTTP cache folder): each request holds one of the host's ``PER_HOST`` lock files.

    A run's fetches come from several processes: ``convert --jobs`` and a build send a copy of the
    Fetcher to each worker, and each copy's own semaphores (``Fetcher._limits``) bound only its
    process, so N workers would hit one host N times as hard. Fetching everything in the parent
    cannot bound them either: a page's images are fetched where it is read and written. The
    workers already share the cache folder, and an exclusive ``flock`` on a file there is held by
    one open file at a time, in any process and any thread, and is let go when the process ends,
    however it ends: so the lock files bound the whole run (and any other run on this machine with
    the same cache) with nothing to start, pass to the workers or clean up. A folder that cannot
    take the lock files leaves only the per-process bound.
    """

    folder: Path
    poll_s: float = 0.05

    @contextlib.contextmanager
    def held(self, host: str) -> Iterator[None]:
        name = hashlib.sha256(host.encode("utf-8")).hexdigest()[:24]
        folder = self.folder / "hosts"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            held = self._take([folder / f"{name}.{k}.lock" for k in range(PER_HOST)])
        except OSError:
            held = None
        try:
            yield
        finally:
            if held is not None:
                os.close(held)  # lets the lock go

    def _take(self, slots: list[Path]) -> int:
        """A free slot, locked: tried in turn, so a request never waits for one slot while another is free.
        The wait is a poll, so the input's time limit (an alarm) and a stop signal still end it."""
        while True:
            for slot in slots:
                fd = os.open(slot, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                except OSError:  # a folder that cannot lock (some network file systems)
                    os.close(fd)
                    raise
                return fd
            time.sleep(self.poll_s)


def exact_url_key(request: Any, **_: Any) -> str:
    """The HTTP cache's key: the method and the URL exactly as sent.

    requests-cache's own key normalises the URL, sorting query parameters, so ``?b=2&a=1``
    would be answered with the page of ``?a=1&b=2``; a server may well answer them differently.
    """
    return hashlib.sha256(f"{request.method} {request.url}".encode()).hexdigest()[:32]


class WaitPastDeadline(Exception):
    """A retry would start after the fetch's deadline: no use waiting for it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry in {seconds:g} s")
        self.seconds = seconds


@functools.cache
def _deadline_retry() -> type[Any]:
    """The retry policy's class, made on first use: a run without URLs never imports urllib3."""
    from urllib3.response import BaseHTTPResponse
    from urllib3.util.retry import Retry

    class DeadlineRetry(Retry):
        """urllib3's retries, whose waits (``Retry-After``, backoff) end within the running fetch's deadline.

        urllib3 sleeps for whatever ``Retry-After`` says, and a sleep has no socket the deadline could shut.
        """

        def sleep(self, response: BaseHTTPResponse | None = None) -> None:
            asked = self.get_retry_after(response) if self.respect_retry_after_header and response else None
            wait = asked if asked is not None else self.get_backoff_time()
            deadline: _Deadline | None = getattr(_current, "deadline", None)
            if deadline is not None and wait >= deadline.remaining():
                raise WaitPastDeadline(wait)
            super().sleep(response)

    return DeadlineRetry


class AddressRefused(Exception):
    """A connection reached an address the fetcher may not use (urllib3 and requests let it through)."""


PeerCheck = Callable[[str, int, str], None]  # (host, port, peer address) → raises AddressRefused
C = TypeVar("C", bound="HTTPConnection")


def _checked_adapter(check: PeerCheck, **kwargs: Any) -> Any:
    """A requests adapter whose direct connections call ``check`` on the peer before sending anything.

    Through a proxy the peer is the proxy, which resolves names itself; those connections are not checked.
    """
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def checked(base: type[C]) -> type[C]:
        class Checked(base):  # type: ignore[valid-type,misc]
            def _new_conn(self) -> socket.socket:
                sock: socket.socket = super()._new_conn()
                try:
                    check(self.host, self.port, sock.getpeername()[0])
                except BaseException:
                    sock.close()
                    raise
                _watch(sock)
                return sock

            def request(self, *args: Any, **kwargs: Any) -> Any:
                _watch(getattr(self, "sock", None))  # a kept-alive connection, reused by this fetch
                return super().request(*args, **kwargs)

        return Checked

    class CheckedHTTP(HTTPConnectionPool):
        ConnectionCls = checked(HTTPConnection)

    class CheckedHTTPS(HTTPSConnectionPool):
        ConnectionCls = checked(HTTPSConnection)

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **pool_kwargs: Any) -> None:
            super().init_poolmanager(*args, **pool_kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": CheckedHTTP, "https": CheckedHTTPS}

    return Adapter(**kwargs)


def _private(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    return f"refused: {host} is a private address ({address}); see --allow-private"


def _addresses(url: str, host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise FetchError(url, f"cannot resolve {host}") from None
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def _size(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 and n % (1 << 20) == 0 else f"{n} bytes"


def _charset(content_type: str) -> str:
    """The charset the header names, as Python calls it; "" for none, or one browsers do not know
    (``punycode``, ``rot13``…): the document's own declaration and detection decide then."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return web_codec(value)
    return ""


def web_codec(label: str) -> str:
    """The Python codec of a charset label as browsers read it; "" for a label they do not know.

    Python knows codecs no page may use: ``punycode`` and ``idna`` raise on most text,
    ``utf-7`` and ``unicode_escape`` turn harmless bytes into markup.
    """
    import webencodings  # type: ignore[import-untyped]  # WHATWG's encoding labels (WeasyPrint's dependency)

    encoding = webencodings.lookup(label.strip("\"' "))
    return str(encoding.codec_info.name) if encoding is not None else ""


def _declared_length(value: str | None) -> int:
    """``Content-Length`` as a number; 0 (unknown: the body is read under the cap) when it is not one."""
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


@functools.lru_cache(maxsize=8)
def timed_fetcher(timeout: float) -> Fetcher:
    """One shared client whose fetches each have ``timeout`` seconds in all (a manifest's ``network_timeout``)."""
    return Fetcher(timeout=timeout)


def network_timeout() -> float:
    """``TEARSHEET_NETWORK_TIMEOUT`` seconds if it is set to a positive number, else ``TIMEOUT_S``."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return TIMEOUT_S
    return value if value > 0 else TIMEOUT_S


_current = threading.local()  # this thread's _Deadline while a fetch runs


class _Deadline:
    """The total time of one fetch: when it runs out, every socket the fetch uses is shut down.

    Read timeouts bound each read only; a peer sending a byte a second never trips them. Shutting
    the socket from a timer wakes the blocked read, which then fails like a cut connection.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """Seconds left before the deadline."""
        return self._ends - time.monotonic()

    def __enter__(self) -> _Deadline:
        self._ends = time.monotonic() + self.seconds
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.deadline = self._outer

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    """Put ``sock`` under the running fetch's deadline, if there is one."""
    deadline: _Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


def _timed_out(exc: Exception) -> bool:
    """requests reports a read timeout under a retry policy as a ConnectionError wrapping urllib3's."""
    import requests
    from urllib3.exceptions import MaxRetryError, TimeoutError

    if isinstance(exc, requests.exceptions.Timeout):
        return True
    inner = exc.args[0] if exc.args else None
    return isinstance(inner, TimeoutError) or (
        isinstance(inner, MaxRetryError) and isinstance(inner.reason, TimeoutError)
    )


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split(": ")[-1][:120] if text else type(exc).__name__
