"""Bad input never crashes or hangs Tearsheet: it converts (with warnings) or fails in one line.

The corpus in ``fixtures/bad`` (outcomes in its ``manifest.toml``) and a few inputs too big to
commit go through the real command line; random Markdown and HTML go through the readers and
the normalizer; a conversion killed mid-write leaves no truncated output.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convert.cli import cli
from convert.errors import TearsheetError
from convert.limits import TimeLimitExceeded, time_limit
from convert.model import Code, CodeBlock, Document, Math, Text, iter_nodes, plain_text
from convert.normalize import normalize
from convert.pandoc_process import pandoc
from convert.readers import read_text

BAD = Path(__file__).parent.parent / "fixtures" / "bad"
MANIFEST: dict[str, dict[str, object]] = tomllib.loads((BAD / "manifest.toml").read_text(encoding="utf-8"))
FORMATS = ("pdf", "epub", "docx")
DEFAULT_TIMEOUT_S = 60


# --------------------------------------------------------------------------- running the CLI


@dataclass(frozen=True)
class Case:
    """One input and what the command line must do with it."""

    source: Path
    expect: str  # "converts" or "fails: <reason substring>"
    warns: str = ""
    args: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT_S


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    outputs: list[Path] = field(default_factory=list)


def run_convert(inputs: list[Path], out_dir: Path, *args: str, timeout: float = DEFAULT_TIMEOUT_S) -> Run:
    """``tearsheet convert INPUT... --to pdf,epub,docx -o OUT`` in-process, under a time limit.

    The limit stands in for the CLI's own ``--timeout``; it is reported as the input's failure.
    """
    command = ["convert", *map(str, inputs), "--to", ",".join(FORMATS), "-o", str(out_dir), *args]
    with time_limit(timeout, source=str(inputs[0])):
        result = CliRunner().invoke(cli, command)
    outputs = sorted(out_dir.iterdir()) if out_dir.is_dir() else []
    return Run(result.exit_code, result.stdout, result.stderr, result.exception, outputs)


def assert_outcome(run: Run, case: Case) -> None:
    assert "Traceback" not in run.stdout + run.stderr
    assert run.exception is None or isinstance(run.exception, SystemExit), repr(run.exception)
    errors = [line for line in run.stderr.splitlines() if line.startswith("tearsheet: error:")]
    if case.expect == "converts":
        assert run.exit_code == 0, run.stderr
        assert not errors
        assert sorted(p.suffix for p in run.outputs) == sorted(f".{f}" for f in FORMATS)
        for path in run.outputs:
            assert_valid_output(path)
    else:
        reason = case.expect.removeprefix("fails: ")
        assert run.exit_code == 2, run.stderr
        assert len(errors) == 1, run.stderr
        assert errors[0].startswith(f"tearsheet: error: {case.source}: "), errors[0]
        assert reason in errors[0], errors[0]
        assert run.outputs == [], "a failed input leaves no file, not even a partial one"
    if case.warns:
        assert case.warns in run.stderr


def assert_valid_output(path: Path) -> None:
    """A complete file of its format: pypdf reads every page; a ZIP's entries pass their CRC."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        assert len(reader.pages) >= 1
        assert data.rstrip().endswith(b"%%EOF")
    else:
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None
        assert ("mimetype" if path.suffix == ".epub" else "word/document.xml") in archive.namelist()


# --------------------------------------------------------------------------- the corpus


def corpus() -> list[Case]:
    return [
        Case(
            source=BAD / str(entry.get("file", name)),
            expect=str(entry["expect"]),
            warns=str(entry.get("warns", "")),
            args=tuple(str(a) for a in entry.get("args", [])),  # type: ignore[attr-defined]
            timeout=float(entry.get("timeout", DEFAULT_TIMEOUT_S)),  # type: ignore[arg-type]
        )
        for name, entry in MANIFEST.items()
    ]


def test_corpus_has_thirty_inputs_and_every_file_is_listed() -> None:
    listed = {case.source.name for case in corpus()}
    helpers = {"manifest.toml", "README.md", "ruff.toml", "fake-image.png", "scripted.svg", "laughs.svg"}
    assert len(MANIFEST) >= 30
    assert listed == {p.name for p in BAD.iterdir() if not p.name.startswith(".")} - helpers


@pytest.mark.parametrize("case", corpus(), ids=lambda c: c.source.name + " ".join(c.args))
def test_bad_input_converts_or_fails_in_one_line(case: Case, tmp_path: Path) -> None:
    run = run_convert([case.source], tmp_path / "out", *case.args, timeout=case.timeout)
    assert_outcome(run, case)


# --------------------------------------------------------------------------- inputs made here


def nested_markdown_list(folder: Path) -> Case:
    path = folder / "deep-list.md"
    path.write_text("- " * 10_000 + "innermost\n", encoding="utf-8")
    # The limit only stops a hang: this input takes ~20 s of CPU, over a minute on a shared machine.
    return Case(path, "converts", warns="content nested deeper than", timeout=300)


def nested_html(folder: Path) -> Case:
    """Ten thousand levels of every container, most left for the parser to close.

    A word every hundred levels only: ten thousand one-word paragraphs in a column
    squeezed by 32 levels of indentation make a PDF of hundreds of pages.
    """
    tags = ["blockquote", "ul><li", "ol><li", "div", "table><tr><td", "dl><dd", "em", "strong", "span", "a href=x"]
    opened = [tags[k % len(tags)] for k in range(10_000)]
    body = "".join(f"<{tag}>" + (f"w{k} " if k % 100 == 0 else "") for k, tag in enumerate(opened))
    closing = "".join(f"</{tag.split('><')[0].split()[0]}>" for tag in reversed(opened))
    path = folder / "deep-mixed.html"
    path.write_text(f"<html><body>{body}innermost{closing}<p>after</p></body></html>", encoding="utf-8")
    return Case(path, "converts", args=("--no-extract",), warns="content nested deeper than")


def nested_blockquote_page(folder: Path) -> Case:
    path = folder / "deep-quote.html"
    path.write_text(DEEP_QUOTE_PAGE, encoding="utf-8")
    return Case(path, "converts")


DEEP_QUOTE_PAGE = "<p>Before.</p>" + "<blockquote>" * 10_000 + "x" + "</blockquote>" * 10_000 + "<p>After.</p>"


def huge_markdown(folder: Path) -> Case:
    path = folder / "huge.md"
    paragraph = ("All work and no play makes a very long article. " * 20).strip() + "\n\n"
    path.write_text(paragraph * (20 * 1024 * 1024 // len(paragraph) + 1), encoding="utf-8")
    return Case(path, "fails: too large: 20.0 MB of text (the limit is 5.0 MB)")


def hundred_thousand_links(folder: Path) -> Case:
    path = folder / "links.md"
    path.write_text("".join(f"[l{k}](https://example.com/{k}) " for k in range(100_000)), encoding="utf-8")
    # pandoc alone reads it in ~10 s, the PDF would take many minutes: the time limit ends it.
    return Case(path, "fails: timed out after 3 s", timeout=3)


def many_entries_archive(folder: Path) -> Case:
    path = folder / "many.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for k in range(10_001):
            archive.writestr(f"e{k}", b"")
    return Case(path, "fails: 10001 files in the archive (the limit is 10000)")


def missing_input(folder: Path) -> Case:
    return Case(folder / "nowhere.md", "fails: no such file")


def folder_input(folder: Path) -> Case:
    (folder / "folder.md").mkdir()
    return Case(folder / "folder.md", "fails: not a file")


def symlink_loop(folder: Path) -> Case:
    (folder / "loop.md").symlink_to(folder / "loop.md")
    return Case(folder / "loop.md", "fails: no such file")


def deeply_nested_svg(folder: Path) -> Case:
    """Sixteen thousand nested groups: 112 KB that an indenting sanitizer would write out as gigabytes."""
    (folder / "deep.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 16_000 + "</g>" * 16_000 + "</svg>", encoding="utf-8"
    )
    path = folder / "deep-svg.md"
    path.write_text("# Deep\n\n![a picture](deep.svg)\n\nAfter.\n", encoding="utf-8")
    return Case(path, "converts", warns="deep.svg: not a well-formed SVG (Excessive depth")


GENERATED: list[Callable[[Path], Case]] = [
    deeply_nested_svg,
    nested_markdown_list,
    nested_html,
    nested_blockquote_page,
    huge_markdown,
    hundred_thousand_links,
    many_entries_archive,
    missing_input,
    folder_input,
    symlink_loop,
]


@pytest.mark.parametrize("make", GENERATED, ids=lambda f: f.__name__)
def test_generated_bad_input(make: Callable[[Path], Case], tmp_path: Path) -> None:
    case = make(tmp_path)
    run = run_convert([case.source], tmp_path / "out", *case.args, timeout=case.timeout)
    assert_outcome(run, case)


def test_deeply_nested_page_keeps_its_text_through_extraction(tmp_path: Path) -> None:
    from convert import load

    page = tmp_path / "deep-quote.html"
    page.write_text(DEEP_QUOTE_PAGE, encoding="utf-8")
    assert plain_text(load(page).blocks).split() == ["Before.", "x", "After."]


def test_unwritable_output_folder_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    source = BAD / "latin-1.md"
    run = run_convert([source], blocker / "out")
    assert run.exit_code == 2
    errors = [line for line in run.stderr.splitlines() if line.startswith("tearsheet: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"tearsheet: error: {source}: ")
    assert "Traceback" not in run.stderr


def test_good_and_bad_inputs_together_exit_1_and_write_the_good(tmp_path: Path) -> None:
    good, bad = BAD / "latin-1.md", BAD / "binary-junk.md"
    run = run_convert([good, bad], tmp_path / "out")
    assert run.exit_code == 1
    assert [p.name for p in run.outputs] == ["latin-1.docx", "latin-1.epub", "latin-1.pdf"]
    assert [line for line in run.stderr.splitlines() if "error" in line] == [
        f"tearsheet: error: {bad}: binary data, not a text document"
    ]


# --------------------------------------------------------------------------- the time limit


def test_time_limit_raises_our_error_naming_the_input() -> None:
    with pytest.raises(TimeLimitExceeded, match=r"^in\.md: timed out after 0\.2 s$"), time_limit(0.2, "in.md"):
        time.sleep(5)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_stops_a_stalled_pandoc_and_the_next_read_works() -> None:
    stalled = "[" * 24 + "@a"  # pandoc's Markdown reader takes exponential time over unclosed brackets
    read_text("warm", "markdown")  # this thread's warm pandoc is running
    running = pandoc()._process
    assert running is not None
    with pytest.raises(TimeLimitExceeded), time_limit(0.5, "stalled.md"):
        read_text(stalled, "markdown")
    assert running.poll() is not None  # stopped and reaped, not left computing
    assert running.pid not in _children_named("pandoc")
    assert plain_text(read_text("*fine*", "markdown").blocks[0]).strip() == "fine"


def test_nested_time_limits_keep_the_earlier_deadline() -> None:
    with pytest.raises(TimeLimitExceeded, match=r"0\.3 s"), time_limit(0.3, "outer"), time_limit(5, "inner"):
        time.sleep(5)
    with time_limit(5, "outer"):
        with pytest.raises(TimeLimitExceeded, match="inner"), time_limit(0.2, "inner"):
            time.sleep(5)
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 5  # the outer limit is armed again


def test_time_limit_does_nothing_off_the_main_thread_or_when_off() -> None:
    finished: list[bool] = []

    def work() -> None:
        with time_limit(0.01, "thread"):
            time.sleep(0.1)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]
    for off in (None, 0):
        with time_limit(off, "off"):
            time.sleep(0.01)


def _children_named(name: str) -> list[int]:
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc")
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        comm, _, rest = text.partition("(")[2].rpartition(")")
        if comm == name and int(rest.split()[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


# --------------------------------------------------------------------------- atomic outputs


def noise_png(width: int, height: int, seed: int = 7) -> bytes:
    """An incompressible PNG: big outputs make a kill during the write likely."""
    rows = b"".join(b"\x00" + random_bytes(width * 3, seed + y) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def random_bytes(n: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(n)


def test_killed_conversion_leaves_no_truncated_output(tmp_path: Path) -> None:
    source = tmp_path / "big.md"
    (tmp_path / "noise.png").write_bytes(noise_png(900, 700))
    source.write_text("# Big\n\n" + "![noise](noise.png)\n\n" + "A paragraph of text. " * 2000, encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "convert", "convert", str(source), "--to", "pdf,epub,docx", "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith(".part") for p in out.iterdir()):  # a write is under way: kill it now
            break
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    targets = [p for p in out.iterdir() if not p.name.endswith(".part")]  # a temporary file may stay behind
    assert sorted(p.name for p in targets) == sorted(before)
    for path in targets:
        assert_valid_output(path)  # the old file or the new one, never a truncated one

    subprocess.run(command, check=True, capture_output=True, timeout=120)
    for name in before:
        assert_valid_output(out / name)


# --------------------------------------------------------------------------- random input (hypothesis)

WORD = st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True)
WORDS = st.lists(WORD, min_size=1, max_size=6)
# Markup that makes parsers work: fences, brackets, tags, entities, characters XML forbids.
TOKENS = (
    "\n", "\n\n", "# ", "*", "_", "`", "```", "[", "]", "(", ")", "![", "](", "> ", "- ", "1. ", "|", "---", "+++",
    "<", ">", "&", "&amp;", "&#0;", "\\", "$", "^", "~", "{", "}", ":", "@", "[^1]", "<!--", "-->", "<div>",
    "</div>", "<ul><li>", "</p>", "<script>", "<table>", "<td>", "\t", "    ", "===", "\x00", "\ufffe",
    "title: x\n", "::: ", "http://example.com/",
)  # fmt: skip
JUNK = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(TOKENS)), max_size=30).map("".join)


@dataclass(frozen=True)
class Sample:
    """Random input: well-formed text whose words must all survive, then junk that must not crash."""

    text: str
    words: tuple[str, ...]


# Block templates: {line} is a line of words in random inline markup, each {w} more words.
MARKDOWN = (
    ("{}", "*{}*", "**{}**", "`{}`", "[{}](https://example.com/x)", "~~{}~~", "![{}](x.png)"),
    ("{line}", "{h} {line}", "- {line}\n- {w}", "1. {line}\n2. {w}", "> {line}\n>\n> > {w}", "```\n{line}\n```",
     "| {w} | {w} |\n|---|---|\n| {line} | {w} |"),
)  # fmt: skip
HTML = (
    ("{}", "<em>{}</em>", "<b>{}</b>", "<code>{}</code>", '<a href="/x">{}</a>', "<i>{}</i>"),
    ("<p>{line}</p>", "<h{n}>{line}</h{n}>", "<ul><li>{line}</li><li>{w}</li></ul>",
     "<ol><li>{line}<ol><li>{w}</ol></ol>", "<blockquote><p>{line}</p><blockquote>{w}</blockquote></blockquote>",
     "<pre>{line}</pre>",
     "<table><tr><th>{w}</th></tr><tr><td>{line}</td></tr></table>", "<dl><dt>{w}</dt><dd>{line}</dd></dl>",
     "<div><div>{line}</div></div>"),
)  # fmt: skip


@st.composite
def samples(draw: st.DrawFn, grammar: tuple[tuple[str, ...], tuple[str, ...]]) -> Sample:
    inlines, blocks = grammar
    words: list[str] = []

    def take(_: object = None) -> str:
        chunk = draw(WORDS)
        words.extend(chunk)
        return " ".join(chunk)

    parts = []
    for template in draw(st.lists(st.sampled_from(blocks), max_size=6)):
        line = " ".join(draw(st.sampled_from(inlines)).format(take()) for _ in range(draw(st.integers(1, 3))))
        level = draw(st.integers(1, 6))
        block = re.sub(r"\{w\}", take, template).replace("{n}", str(level)).replace("{h}", "#" * level)
        parts.append(block.replace("{line}", line))
    return Sample("\n\n".join([*parts, draw(JUNK)]), tuple(words))


def model_words(doc: Document) -> set[str]:
    """Every word the model holds as text, node by node.

    Not ``plain_text``: it leaves code blocks out and runs a definition's term into it.
    """
    texts = (node.text for node in iter_nodes(doc.blocks) if isinstance(node, Text | Code | Math | CodeBlock))
    return {word for text in texts for word in re.findall(r"[A-Za-z]+", text)}


def check_reader(sample: Sample, fmt: str) -> None:
    """Only our own errors escape, and every word of the well-formed part reaches the model."""
    try:
        with time_limit(10, "<hypothesis>"):  # pandoc has exponential cases; they must end as ours
            doc = read_text(sample.text, fmt)
            normalize(doc)
    except TimeLimitExceeded:
        return
    except TearsheetError as exc:
        # "the file is empty" is the only failure well-formed words can meet (when there are none).
        assert not sample.words and "the file is empty" in str(exc), exc
        return
    assert set(sample.words) <= model_words(doc), sorted(set(sample.words) - model_words(doc))


HYPOTHESIS = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(samples(MARKDOWN))
def test_random_markdown_reads_without_foreign_errors_or_lost_words(sample: Sample) -> None:
    check_reader(sample, "markdown")


@HYPOTHESIS
@given(samples(HTML))
def test_random_html_reads_without_foreign_errors_or_lost_words(sample: Sample) -> None:
    check_reader(sample, "html")
