"""Run pandoc (shipped by pypandoc-binary) to get its JSON AST, sandboxed and bounded."""

from __future__ import annotations

import json
import logging
import re
import subprocess
from html import escape
from pathlib import Path
from typing import Any

import pypandoc

from convert.errors import InputError
from convert.limits import MAX_LINKS, PANDOC_HEAP_MB
from convert.pandoc.names import api_version_error
from convert.pandoc_process import HEAP_EXHAUSTED, PandocFailed, convert_text, first_line, pandoc_command

log = logging.getLogger("tearsheet")

# Readers must never fetch or include anything. Text goes to the warm pandoc, whose
# readers run with an empty file list; a container gets ``--sandbox``, which refuses
# all I/O but reading the input, even images a DOCX, ODT or EPUB names outside itself
# (without it, ``--extract-media`` copies any local file or URL they name).
_SANDBOX = ("--sandbox",)
_HTML_READER = re.compile(r"html[45]?(?![a-z0-9_])")
# Past this depth a page's tags are dropped (its text stays); the mapping flattens far sooner.
_HTML_DEPTH = 256
_VOID_HTML = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_UNREAD_HTML = frozenset({"script", "style", "template"})  # pandoc reads nothing inside these
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][-\w:.]*")
# Tab, newline and carriage return are the only C0 controls XML allows.
_XML_INVALID_JSON = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(?:00(?:0[0-8bcef]|1[0-9a-f])|fff[ef])|[\ufffe\uffff]", re.IGNORECASE
)
_JSON_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<open>[\[{])|(?P<close>[\]}])|(?P<sep>[,:])'
    r"|(?P<scalar>true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))"
)


def parse_text(text: str, fmt: str, source: str | Path) -> dict[str, Any]:
    """pandoc's AST of ``text`` read as ``fmt``."""
    if _HTML_READER.match(fmt):
        text = well_formed_html(text)
    try:
        out, messages = convert_text(text.encode("utf-8"), fmt, "json")
    except PandocFailed as exc:
        raise _input_error(exc, source, fmt) from None
    for line in messages:  # reader chatter (unfetched images, duplicate ids): for --debug
        log.debug("pandoc: %s", line)
    return _load(out.decode("utf-8", errors="replace"), source)


def well_formed_html(html: str) -> str:
    """``html`` parsed and written back with every element closed.

    pandoc's HTML reader takes exponential time over elements left open (eighteen
    ``<ul><li>`` take seconds, a few hundred hours). libxml2 parses fast but gives
    up past ~2,000 levels and drops the rest; then the slower HTML5 parser that
    WeasyPrint uses reads the page whole.
    """
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return html
    if any("depth" in error.message.lower() for error in parser.error_log):
        return _html5_serialized(html)
    return str(lxml.html.tostring(root, encoding="unicode"))


def _html5_serialized(html: str) -> str:
    """The page through tinyhtml5, written without recursion; tags past ``_HTML_DEPTH`` are dropped."""
    import tinyhtml5  # type: ignore[import-untyped]  # WeasyPrint's HTML5 parser, untyped

    out: list[str] = []
    stack: list[tuple[Any, int, bool]] = [(tinyhtml5.parse(html, namespace_html_elements=False), 0, False)]
    while stack:
        element, depth, closing = stack.pop()
        name = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        if not name or name in _UNREAD_HTML:  # comments, scripts: only what follows them
            out.append(escape(element.tail or "", quote=False))
            continue
        shown = depth <= _HTML_DEPTH
        if closing:
            out.append(("" if name in _VOID_HTML else f"</{name}>") if shown else " ")
            out.append(escape(element.tail or "", quote=False))
            continue
        if shown:
            attrs = "".join(
                f' {key}="{escape(value)}"'
                for key, value in ((k.rpartition("}")[2], v) for k, v in element.attrib.items())
                if _ATTRIBUTE_NAME.fullmatch(key)
            )
            out.append(f"<{name}{attrs}>" + ("\n" if name == "pre" else ""))  # the parser ate one newline
        else:
            out.append(" ")  # a dropped tag still parts words
        out.append(escape(element.text or "", quote=False))
        stack.append((element, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(element))
    return "".join(out)


def parse_file(data: bytes, source: Path, fmt: str, *, media_dir: Path) -> dict[str, Any]:
    """pandoc's AST of a container (DOCX, ODT, EPUB) read from ``source``; its media are written to ``media_dir``.

    pandoc gets the bytes already read, on its standard input, not the file: what it converts is what was hashed.
    """
    args = [*_SANDBOX, "--standalone", f"--from={fmt}", "--to=json", f"--extract-media={media_dir}"]
    return _load(_run(args, source, fmt, data), source)


def _input_error(exc: PandocFailed, source: str | Path, fmt: str) -> InputError:
    if exc.out_of_memory:
        return InputError(source, f"too big to read: pandoc needed more than {PANDOC_HEAP_MB} MB")
    return InputError(source, f"pandoc could not read it as {fmt}: {exc.reason}")


def _run(args: list[str], source: str | Path, fmt: str, data: bytes) -> str:
    """pandoc's stdout for ``data`` as input; ``subprocess.run`` kills pandoc if a time limit interrupts it."""
    try:
        result = subprocess.run(pandoc_command(*args), input=data, capture_output=True, check=False)
    except OSError as exc:
        raise InputError(source, f"could not run pandoc: {exc}") from None
    stderr = result.stderr.decode("utf-8", errors="replace")
    if result.returncode != 0:
        out_of_memory = HEAP_EXHAUSTED in stderr
        raise _input_error(PandocFailed(first_line(stderr), out_of_memory=out_of_memory), source, fmt)
    for line in stderr.splitlines():
        if line.strip():  # reader chatter (unfetched images, duplicate ids): for --debug
            log.debug("pandoc: %s", line.strip())
    stdout: bytes = result.stdout
    return stdout.decode("utf-8", errors="replace")


def _load(out: str, source: str | Path) -> dict[str, Any]:
    # Counted in pandoc's compact JSON, where this key cannot occur inside a string (quotes are escaped).
    links = out.count('"t":"Link"')
    if links > MAX_LINKS:
        raise InputError(source, f"too many links: {links:,} (the limit is {MAX_LINKS:,}); split the article")
    out = xml_safe_json(out)
    try:
        try:
            ast = json.loads(out)
        except RecursionError:  # absurdly nested input; the mapping flattens what is too deep
            ast = load_deep_json(out)
    except ValueError:
        raise InputError(source, "pandoc returned no document") from None
    if not isinstance(ast, dict) or "blocks" not in ast:
        raise InputError(source, "pandoc returned no document")
    if (mismatch := api_version_error(ast)) is not None:
        raise InputError(source, mismatch)
    return ast


def xml_safe_json(text: str) -> str:
    """pandoc's JSON without the characters XML cannot hold (EPUB and DOCX are XML).

    JSON escapes C0 controls (``\\u0001``); an escape counts only after an even run
    of backslashes. U+FFFE and U+FFFF come as they are.
    """
    return _XML_INVALID_JSON.sub(lambda m: m.group(1) or "", text)


def load_deep_json(text: str) -> Any:
    """Parse JSON of any nesting depth with an explicit stack (``json`` recurses).

    Only for well-formed JSON (pandoc's output); raises ``ValueError`` otherwise.
    """
    stack: list[list[Any] | dict[str, Any]] = []
    keys: list[str | None] = []  # the pending key of each open object
    root: Any = None
    done = False

    def add(value: Any) -> None:
        nonlocal root, done
        if not stack:
            root, done = value, True
        elif isinstance(top := stack[-1], list):
            top.append(value)
        elif keys[-1] is None:
            keys[-1] = value
        else:
            top[keys[-1]] = value
            keys[-1] = None

    for match in _JSON_TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group(match.lastgroup or 0)
        if kind == "open":
            stack.append([] if token == "[" else {})
            keys.append(None)
        elif kind == "close":
            keys.pop()
            add(stack.pop())
        elif kind in ("string", "scalar"):
            add(json.loads(token))
    if not done or stack:
        raise ValueError("truncated JSON")
    return root


def reader_formats() -> list[str]:
    return sorted(pypandoc.get_pandoc_formats()[0])
