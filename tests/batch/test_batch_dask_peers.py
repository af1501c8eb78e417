"""``--scheduler`` at something that is not a Dask scheduler: one line, within the handshake deadline (#22)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from convert.batch import dask_executor
from convert.batch.executor import ExecutorUnavailable


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def junk_port() -> Iterator[int]:
    """A peer that answers every connection with bytes that are no Dask message, then hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    stop = threading.Event()

    def answer() -> None:
        while not stop.is_set():
            try:
                peer, _ = listener.accept()
            except TimeoutError:
                continue
            with peer:
                peer.sendall(b"\xff" * 64 + b"junk\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_an_http_server_at_the_scheduler_address_is_refused_at_the_deadline(
    http_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_executor._identify, "__defaults__", (2.0,))
    with pytest.raises(ExecutorUnavailable, match=r"no answer from a Dask scheduler within 2 s"):
        dask_executor.DaskExecutor.connect(f"tcp://127.0.0.1:{http_port}")


def test_a_peer_answering_junk_is_one_line(junk_port: int) -> None:
    with pytest.raises(ExecutorUnavailable, match=r"cannot reach the Dask scheduler \(") as caught:
        dask_executor.DaskExecutor.connect(f"tcp://127.0.0.1:{junk_port}")
    assert "\n" not in str(caught.value)
