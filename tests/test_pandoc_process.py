"""The warm pandoc: one process serves many conversions, survives failures, stays sandboxed."""

from __future__ import annotations

import io
import json
import multiprocessing
import threading
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from convert.pandoc_process import PandocFailed, PandocProcess, convert_text, pandoc

STALLED = ("[" * 24 + "@a").encode()  # exponential in pandoc's Markdown reader: seconds to hours


@pytest.fixture
def process() -> PandocProcess:
    own = PandocProcess()
    yield own
    own.close()


def _pid(process: PandocProcess) -> int:
    running = process._process
    assert running is not None
    return running.pid


def _ast(*blocks: dict) -> bytes:
    return json.dumps({"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": list(blocks)}).encode()


def _para(*inlines: dict) -> dict:
    return {"t": "Para", "c": list(inlines)}


def test_many_conversions_share_one_process(process: PandocProcess) -> None:
    out, _ = process.convert(b"*one*", "markdown", "json")
    first = _pid(process)
    for n in range(5):
        out, _ = process.convert(f"# Heading {n}".encode(), "markdown", "json")
        assert json.loads(out)["blocks"][0]["t"] == "Header"
    assert _pid(process) == first


def test_a_failed_conversion_says_why_and_the_process_goes_on(process: PandocProcess) -> None:
    process.convert(b"x", "markdown", "json")
    first = _pid(process)
    with pytest.raises(PandocFailed, match="Unknown input format"):
        process.convert(b"x", "no-such-format", "json")
    with pytest.raises(PandocFailed, match="JSON"):
        process.convert(b"{not json", "json", "docx")
    assert json.loads(process.convert(b"still *here*", "markdown", "json")[0])["blocks"]
    assert _pid(process) == first


def test_a_process_that_dies_is_reported_and_replaced(process: PandocProcess) -> None:
    process.convert(b"x", "markdown", "json")
    first = _pid(process)
    threading.Timer(0.3, lambda: process._process and process._process.kill()).start()
    with pytest.raises(PandocFailed, match="pandoc stopped"):
        process.convert(STALLED, "markdown", "json")
    assert json.loads(process.convert(b"next", "markdown", "json")[0])["blocks"]
    assert _pid(process) != first


def test_a_conversion_past_its_deadline_is_stopped(process: PandocProcess) -> None:
    with pytest.raises(PandocFailed, match=r"pandoc took more than 0\.5 s"):
        process.convert(STALLED, "markdown", "json", timeout=0.5)
    assert process._process is None  # stopped, not left computing
    assert json.loads(process.convert(b"next", "markdown", "json")[0])["blocks"]


def test_a_pandoc_grown_past_the_memory_cap_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    # At its -M limit pandoc lua collects forever instead of stopping; its resident memory is watched.
    # Here the cap is below what pandoc holds when idle, so any conversion longer than a poll trips it.
    monkeypatch.setattr("convert.pandoc_process.PANDOC_HEAP_MB", 16)
    monkeypatch.setattr("convert.pandoc_process._BINARY_MB", 0)
    own = PandocProcess()
    try:
        with pytest.raises(PandocFailed, match="pandoc needed more than 16 MB") as stopped:
            own.convert(STALLED, "markdown", "json", timeout=30)
        assert stopped.value.out_of_memory and own._process is None
    finally:
        own.close()


def test_threads_convert_side_by_side() -> None:
    started = threading.Event()
    outcome: list[str] = []

    def stall() -> None:
        started.set()
        try:
            pandoc().convert(STALLED, "markdown", "json", timeout=4)
        except PandocFailed as exc:
            outcome.append(exc.reason)

    worker = threading.Thread(target=stall)
    worker.start()
    started.wait()
    time.sleep(0.3)  # the other thread's pandoc is busy now
    begun = time.monotonic()
    assert json.loads(convert_text(b"*quick*", "markdown", "json")[0])["blocks"]
    assert time.monotonic() - begun < 2  # not queued behind the stalled conversion
    worker.join()
    assert outcome == ["pandoc took more than 4 s"]


def test_a_stopped_pandoc_leaves_no_file_behind(process: PandocProcess) -> None:
    # pandoc lua makes a file in TMPDIR as it starts and removes it only when it ends on its own.
    process.convert(b"x", "markdown", "json")
    assert process._remove_tmp is not None
    folder = Path(process._remove_tmp.peek()[2][0])  # type: ignore[index]  # rmtree's argument
    assert folder.is_dir() and list(folder.iterdir())  # pandoc's file lands in a folder of its own
    with pytest.raises(PandocFailed, match="took more than"):
        process.convert(STALLED, "markdown", "json", timeout=0.5)  # killed: it cannot clean up
    assert not folder.exists()


def test_docx_comes_back_whole(process: PandocProcess) -> None:
    docx, messages = process.convert(_ast(_para({"t": "Str", "c": "Hello"})), "json", "docx")
    assert messages == []
    assert [p.text for p in Document(io.BytesIO(docx)).paragraphs] == ["Hello"]


def test_writer_refuses_an_image_that_was_not_inlined(process: PandocProcess) -> None:
    image = {"t": "Image", "c": [["", [], []], [], ["/etc/passwd", ""]]}
    with pytest.raises(PandocFailed, match="image not loaded through the sandbox: /etc/passwd") as refused:
        process.convert(_ast(_para(image)), "json", "docx")
    assert "traceback" not in refused.value.reason  # one line for the user, not Lua's stack
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    inlined = {"t": "Image", "c": [["", [], []], [], [pixel, ""]]}
    docx, _ = process.convert(_ast(_para(inlined)), "json", "docx")
    assert zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


def test_readers_are_sandboxed(process: PandocProcess) -> None:
    # The HTML reader would otherwise read the local file an <iframe>/<img> names into the document.
    out, _ = process.convert(b'<p>x</p><iframe src="/etc/passwd"></iframe>', "html", "json")
    assert b"root:" not in out


def test_reader_warnings_come_back_with_the_result(process: PandocProcess) -> None:
    _, messages = process.convert(b"[^1]\n\n[^1]: a\n\n[^1]: b\n", "markdown", "json")
    assert any("Duplicate note reference" in line for line in messages)
    _, messages = process.convert(b"plain", "markdown", "json")
    assert messages == []  # only the messages of this conversion


def test_formats_with_spaces_never_reach_the_process(process: PandocProcess) -> None:
    with pytest.raises(PandocFailed, match="not a pandoc format"):
        process.convert(b"x", "markdown json", "json")


def _child_pid(queue: multiprocessing.Queue) -> None:
    convert_text(b"x", "markdown", "json")
    running = pandoc()._process
    queue.put(running.pid if running else None)


def test_a_forked_child_gets_its_own_pandoc() -> None:
    convert_text(b"x", "markdown", "json")
    parent = pandoc()._process
    assert parent is not None
    queue: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_child_pid, args=(queue,))
    child.start()
    child_pandoc = queue.get(timeout=30)
    child.join(30)
    assert child_pandoc not in (None, parent.pid)
    assert parent.poll() is None  # the child's exit did not stop the parent's pandoc
    assert json.loads(convert_text(b"after", "markdown", "json")[0])["blocks"]
