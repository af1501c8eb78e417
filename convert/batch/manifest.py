"""The batch manifest: ``tearsheet.toml``, or ``[tool.tearsheet]`` in ``pyproject.toml``.

Parsing validates every key and reports the first problem as one
``ManifestError`` naming the file, the line and the key. Paths in a
manifest are relative to the manifest's folder.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from convert.batch.toml_lines import key_line
from convert.errors import TearsheetError
from convert.fetch import Fetcher
from convert.normalize import Context, UnknownRule, reading_context
from convert.options import LinkPolicy, WriteOptions
from convert.resources import Sandbox
from convert.settings import Group, Kind, ReadOptions, Setting, Table, manifest_keys, parse_size, setting

MANIFEST_NAME = "tearsheet.toml"
PYPROJECT_NAME = "pyproject.toml"
DEFAULT_OUTPUT = "dist"
EXECUTORS = ("local", "dask")  # where a build's conversions run (convert.batch.executors)
CACHE_DIR = ".tearsheet-cache"  # in the output folder: the build cache (convert.batch.cache), the HTTP cache

T = TypeVar("T")


class ManifestError(TearsheetError):
    """A manifest that cannot be used: ``<file>:<line>: <key>: <reason>``."""

    def __init__(self, path: Path, reason: str, *, line: int | None = None, key: str = "") -> None:
        super().__init__(f"{path}:{line}" if line else path, f"{key}: {reason}" if key else reason)
        self.line = line
        self.key = key


def _default(key: str) -> Any:
    """The declared default of the setting ``key`` (``convert.settings``), as a manifest has it."""
    return setting(key).manifest_default


@dataclass(frozen=True, slots=True)
class Settings:
    """How one input is converted, after the overrides that match it; one field a setting (``SETTING_KEYS``)."""

    formats: tuple[str, ...] = ("pdf",)
    stylesheet: Path | None = None
    links: LinkPolicy | None = None
    page_size: str = _default("page_size")
    citation_style: str = _default("citation_style")  # a bundled style's name, or a CSL file's path
    citation_locale: str = _default("citation_locale")  # "": the article's language
    input_format: str | None = None
    extract: bool = _default("extract")
    allow_network: bool = _default("allow_network")
    keep_boilerplate: bool = _default("keep_boilerplate")
    keep: tuple[str, ...] = ()  # rules whose matches are kept (--keep)
    rules: Path | None = None  # TOML file of extra boilerplate rules (--rules)
    timeout: float = float(_default("timeout"))  # seconds one input may take; 0: no limit
    network_timeout: float | None = None  # seconds one fetch may take in all; None: as the environment says
    device: str | None = None  # a convert.devices profile, as --device
    pdf_variant: str = _default("pdf_variant")  # as --pdf-variant
    # The network settings, as collect's: the client of feeds, listed pages and network images.
    offline: bool = _default("offline")
    images: bool = _default("images")  # fetch the images of fetched pages
    allow_private: bool = _default("allow_private")
    allow_hosts: tuple[str, ...] = ()  # private hosts the fetches may reach (--allow-host)
    cache_dir: Path | None = None  # a manifest's: <output>/.tearsheet-cache/http unless it names one
    cite_export: bool = _default("cite_export")  # also <name>.csl.json and <name>.bib (a book: of every article)

    def fetcher(self, cache_dir: Path | None = None) -> Fetcher | None:
        """The HTTP client the network settings ask for (``cache_dir`` unless they name one); None: the default."""
        chosen: dict[str, Any] = {}
        if self.offline:
            chosen["offline"] = True
        if self.allow_private:
            chosen["allow_private"] = True
        if self.allow_hosts:
            chosen["allowed_hosts"] = frozenset(self.allow_hosts)
        if self.network_timeout is not None:
            chosen["timeout"] = self.network_timeout
        if (folder := self.cache_dir or cache_dir) is not None:
            chosen["cache_dir"] = folder
        return Fetcher(**chosen) if chosen else None

    def write_options(self) -> WriteOptions:
        from convert.devices import profile

        device = profile(self.device) if self.device else None
        return WriteOptions(
            links=self.links,
            page_size=self.page_size,
            citation_style=self.citation_style,
            citation_locale=self.citation_locale,
            stylesheet=self.stylesheet,
            pdf_variant=self.pdf_variant,
            sandbox=Sandbox(allow_network=self.allow_network, fetcher=self.fetcher(), device=device),
        )

    def context(self) -> Context:
        return reading_context(self.keep, self.keep_boilerplate, self.rules)

    def read_options(self) -> ReadOptions:
        return ReadOptions(self.context(), self.input_format, self.extract, timeout=self.timeout or None)


@dataclass(frozen=True, slots=True)
class Override:
    """``[[override]]``: settings for the inputs its globs match; later overrides win."""

    inputs: tuple[str, ...]
    changes: tuple[tuple[str, Any], ...]  # (Settings field, value)

    def apply(self, settings: Settings) -> Settings:
        return replace(settings, **dict(self.changes))


@dataclass(frozen=True, slots=True)
class CollectionConfig:
    """``[[collection]]``: many inputs in one book, written as ``<output>/<name>.<suffix>``."""

    name: str
    title: str
    inputs: tuple[str, ...]
    settings: Settings
    author: str = ""
    order: str = "input"
    sections_from: str = "none"
    toc_depth: int = 2
    cover: Path | None = None  # as collect --cover; None: one is drawn with the title
    # Articles from the web (convert.feeds): feeds, a file of URLs, and which entries to take.
    feeds: tuple[str, ...] = ()
    urls: Path | None = None
    since: str = ""  # as collect --since: 7d, 2w, 36h or a date, counted from the build's time
    max_per_feed: int | None = None
    max_size: int = parse_size(_default("max_size"))  # bytes; a bigger book is split into volumes <name>-1…
    new_only: Path | None = None  # as collect --new-only: the state file of the articles earlier books held

    @property
    def from_web(self) -> bool:
        """Whether the book has articles from the web, not only files."""
        return bool(self.feeds or self.urls)

    @property
    def changes_by_itself(self) -> bool:
        """Whether the book changes with the web or with its ``new_only`` state file, which every build
        of it rewrites, not only with its files: no cache serves it."""
        return self.from_web or self.new_only is not None


@dataclass(frozen=True, slots=True)
class ManifestSource:
    """The manifest's text, kept to point errors found later at a line."""

    path: Path
    text: str
    prefix: str = ""  # "tool.tearsheet" inside pyproject.toml

    @property
    def root(self) -> Path:
        """The folder manifest paths are relative to, absolute: workers may run in another folder."""
        return Path(os.path.abspath(self.path.parent))

    def error(self, reason: str, table: str, key: str | None = None, index: int | None = None) -> ManifestError:
        full = ".".join(part for part in (self.prefix, table) if part)
        line = key_line(self.text, full, key, index or 0)
        label = table if index is None else f"{table}[{index + 1}]"
        return ManifestError(self.path, reason, line=line, key=".".join(p for p in (label, key) if p))


@dataclass(frozen=True, slots=True)
class Manifest:
    source: ManifestSource
    inputs: tuple[str, ...]
    exclude: tuple[str, ...]
    output: Path
    settings: Settings
    overrides: tuple[Override, ...] = ()
    collections: tuple[CollectionConfig, ...] = ()
    executor: str = "local"
    scheduler: str | None = None  # a Dask scheduler's address, with executor "dask"
    catalog: bool = False  # write an OPDS catalogue of the output folder after the build (convert.catalog)

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def root(self) -> Path:
        return self.source.root


@dataclass(frozen=True, slots=True)
class _Table:
    """One TOML table of the manifest, with typed getters that fail with its line."""

    source: ManifestSource
    name: str
    data: Mapping[str, Any]
    index: int | None = None

    def error(self, reason: str, key: str | None = None) -> ManifestError:
        return self.source.error(reason, self.name, key, self.index)

    def check_keys(self, allowed: Collection[str]) -> None:
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(sorted(allowed))}"
                raise self.error(f"unknown key ({hint})", key)

    def value(self, key: str, kind: type[T], default: T, what: str) -> T:
        value = self.data.get(key, default)
        # bool is an int subclass; a flag where a number belongs is a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(f"expected {what}, got {_describe(value)}", key)
        return value

    def text(self, key: str, default: str = "") -> str:
        return self.value(key, str, default, "a string")

    def required_text(self, key: str) -> str:
        if key not in self.data:
            raise self.error("missing (a string is required)", key)
        value = self.text(key)
        if not value.strip():
            raise self.error("must not be empty", key)
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if isinstance(value, str):  # one glob or format needs no list around it
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise self.error(f"expected a non-empty list of strings, got {_describe(value)}", key)
        return tuple(value)

    def choice(self, key: str, choices: Collection[str], default: str) -> str:
        value = self.text(key, default)
        by_lower = {c.lower(): c for c in choices}
        if value.lower() not in by_lower:
            raise self.error(f"{value!r} is not one of {', '.join(choices)}", key)
        return by_lower[value.lower()]

    def table_list(self, key: str) -> list[_Table]:
        value = self.data.get(key, [])
        if isinstance(value, dict):
            raise self.error(f"write [[{key}]] (an array of tables), not [{key}]", key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(f"expected [[{key}]] tables, got {_describe(value)}", key)
        return [_Table(self.source, key, item, i) for i, item in enumerate(value)]


def _describe(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


def _formats(table: _Table, key: str) -> tuple[str, ...]:
    from convert.writers import available

    names = tuple(dict.fromkeys(f.strip().lower() for f in table.strings(key)))
    unknown = [n for n in names if n not in available()]
    if unknown:
        raise table.error(
            f"unknown format {', '.join(map(repr, unknown))} (have {', '.join(sorted(available()))})", key
        )
    return names


def _stylesheet(table: _Table, key: str) -> Path:
    """A bundled style by name, or a CSS file relative to the manifest (in the project unless named outside it)."""
    from convert.stylesheets import find_stylesheet

    return _project_file(table, key, lambda value: find_stylesheet(value, table.source.root))


def _project_file(table: _Table, key: str, find: Callable[[str], Path]) -> Path:
    from convert.resources import Refused, confine, named_outside
    from convert.stylesheets import STYLES_DIR

    value = table.text(key)
    try:
        path = find(value)
        if not path.is_relative_to(STYLES_DIR):
            confine(path, None if named_outside(value) else table.source.root)
        return path
    except ValueError as exc:
        raise table.error(str(exc), key) from None
    except Refused as exc:
        raise table.error(f"{value}: refused ({exc})", key) from None


def _citation_locale(table: _Table, key: str) -> str:
    from convert.transforms.citation import CitationStyleError, check_locale

    try:
        return check_locale(table.text(key))
    except CitationStyleError as exc:
        raise table.error(str(exc), key) from None


def _check_reading(table: _Table, settings: Settings) -> None:
    """The rules file can be read and every rule ``keep`` names exists (in it or in the normalizer)."""
    try:
        settings.context()
    except UnknownRule as exc:
        raise table.error(str(exc), "keep" if "keep" in table.data else "rules") from None
    except TearsheetError as exc:
        raise table.error(str(exc), "rules" if "rules" in table.data else "keep") from None


def _seconds(table: _Table, key: str) -> float:
    value = table.data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise table.error(f"expected a number of seconds (0: no limit), got {_describe(value)}", key)
    return float(value)


def _network_seconds(table: _Table, key: str) -> float:
    value = table.data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise table.error(f"expected a number of seconds above 0, got {_describe(value)}", key)
    return float(value)


def _citation_style(table: _Table, key: str) -> str:
    """A bundled style's name, or a CSL file's path (relative to the manifest), checked now."""
    from convert.transforms.citation import STYLES, CitationStyleError, check_style

    value = table.text(key)
    by_lower = {name.lower(): name for name in STYLES}
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    from convert.resources import Missing, Refused, confine, named_outside

    if not value.lower().endswith(".csl"):
        raise table.error(f"{value!r} is neither a bundled style ({', '.join(STYLES)}) nor a .csl file", key)
    try:
        path = confine(table.source.root / value, None if named_outside(value) else table.source.root)
        return check_style(str(path))
    except Missing:
        raise table.error(f"{value}: no such CSL file", key) from None
    except Refused as exc:
        raise table.error(f"{value}: refused ({exc})", key) from None
    except CitationStyleError as exc:
        raise table.error(str(exc), key) from None


def _count(table: _Table, key: str) -> int:
    """A whole number within the setting's bounds, as the command line's."""
    low, high = setting(key).low, setting(key).high
    value = table.value(key, int, 0, "a number")
    if low is not None and high is not None and not low <= value <= high:
        raise table.error(f"must be between {low} and {high}", key)
    if low is not None and value < low:
        raise table.error(f"must be {low} or more", key)
    return value


def _folder(table: _Table, key: str) -> Path:
    """A folder relative to the manifest; it may not exist yet (a cache is made there)."""
    return table.source.root / table.required_text(key)


def _project_path(table: _Table, key: str) -> Path:
    """A file relative to the manifest (in the project unless named outside it)."""
    return _project_file(table, key, lambda value: table.source.root / value)


def _size(table: _Table, key: str) -> int:
    try:
        return parse_size(table.text(key))
    except ValueError as exc:
        raise table.error(str(exc), key) from None


def _state_file(table: _Table, key: str) -> Path:
    """A digest state file relative to the manifest: in the project unless named outside it, and not there
    yet on a first build; one that is there must be a state file."""
    from convert.digest_state import DigestState
    from convert.resources import Missing, Refused, confine, named_outside

    value = table.required_text(key)
    path = Path(os.path.normpath(table.source.root / value))
    root = None if named_outside(value) else table.source.root
    try:
        confine(path, root)
    except Missing:
        if root is not None and not path.parent.resolve().is_relative_to(root.resolve()):
            raise table.error(f"{value}: refused (a symlink leading outside the project)", key) from None
    except Refused as exc:
        raise table.error(f"{value}: refused ({exc})", key) from None
    try:
        DigestState.load(path)
    except TearsheetError as exc:
        raise table.error(exc.reason, key) from None
    return path


def _text(table: _Table, key: str) -> str:
    """A string; one whose setting has no default must say something."""
    return table.required_text(key) if setting(key).default is None else table.text(key, setting(key).default)


def _parser(declared: Setting) -> Callable[[_Table, str], Any]:
    """How a manifest value of ``declared`` is checked and made a Settings value, from its kind."""
    special: dict[str, Callable[[_Table, str], Any]] = {
        "formats": _formats,
        "style": _stylesheet,
        "links": lambda t, k: LinkPolicy(t.choice(k, declared.choices, declared.choices[0])),
        "citation_style": _citation_style,
        "citation_locale": _citation_locale,
        "new_only": _state_file,
    }
    by_kind: dict[Kind, Callable[[_Table, str], Any]] = {
        Kind.FLAG: lambda t, k: t.value(k, bool, declared.manifest_default, "true or false"),
        Kind.TEXT: _text,
        Kind.LIST: _text,
        Kind.TEXTS: lambda t, k: t.strings(k),
        Kind.CHOICE: lambda t, k: t.choice(k, declared.choices, declared.default or declared.choices[0]),
        Kind.SECONDS: _seconds,
        Kind.POSITIVE_SECONDS: _network_seconds,
        Kind.FILE: _project_path,
        Kind.FOLDER: _folder,
        Kind.COUNT: _count,
        Kind.SIZE: _size,
    }
    return special.get(declared.key) or by_kind[declared.kind]


# TOML key → (Settings field, parser), derived from the declaration (convert.settings): every key
# of an [[override]] is a setting of how one input is read, written or fetched; [build] and
# [[collection]] take these and their own (output; a book's title, feeds, cover…).
SETTING_KEYS: dict[str, tuple[str, Callable[[_Table, str], Any]]] = {
    key: (declared.field_name, _parser(declared)) for key, declared in manifest_keys(Table.OVERRIDE).items()
}
_BOOK_KEYS = manifest_keys(Table.COLLECTION, frozenset({Group.BOOK}))


def _setting_changes(table: _Table) -> dict[str, Any]:
    return {name: parse(table, key) for key, (name, parse) in SETTING_KEYS.items() if key in table.data}


def _executor(table: _Table) -> tuple[str, str | None]:
    """``executor`` and ``scheduler``: a scheduler alone means Dask; with ``executor = "local"`` it is a mistake."""
    scheduler = table.text("scheduler").strip() if "scheduler" in table.data else None
    if scheduler == "":
        raise table.error("must not be empty", "scheduler")
    executor = table.choice("executor", EXECUTORS, "dask" if scheduler else "local")
    if scheduler and executor != "dask":
        raise table.error('only used with executor = "dask"', "scheduler")
    return executor, scheduler


def _build(table: _Table) -> tuple[tuple[str, ...], tuple[str, ...], Path, Settings]:
    table.check_keys({"inputs", "exclude", "executor", "scheduler", "catalog", *manifest_keys(Table.BUILD)})
    inputs = table.strings("inputs") if "inputs" in table.data else ()
    exclude = table.strings("exclude") if "exclude" in table.data else ()
    output = table.text("output", DEFAULT_OUTPUT)
    if not output.strip():
        raise table.error("must not be empty", "output")
    # The HTTP cache is named here, in the client's paths, so every job's fetches go through the
    # same one wherever they run: a Dask worker gets the folder itself, not its own output folder's.
    settings = replace(Settings(cache_dir=table.source.root / output / CACHE_DIR / "http"), **_setting_changes(table))
    _check_reading(table, settings)
    return inputs, exclude, table.source.root / output, settings


def _override(table: _Table) -> Override:
    table.check_keys({"inputs", *SETTING_KEYS})
    changes = _setting_changes(table)
    if not changes:
        raise table.error(f"sets nothing; give one of {', '.join(SETTING_KEYS)}")
    return Override(table.strings("inputs"), tuple(changes.items()))


def collection_formats() -> list[str]:
    """Formats whose writer can bind a book (``binds_books``)."""
    from convert.writers import book_writers

    return sorted(book_writers())


_COLLECTION_NAME = re.compile(r"^[\w][\w.-]*$")


def _book(table: _Table) -> dict[str, Any]:
    """A collection's own keys (title, feeds, cover…), each parsed as its setting's kind says."""
    from convert.dates import build_time
    from convert.feeds import parse_since

    found = {key: _parser(declared)(table, key) for key, declared in _BOOK_KEYS.items() if key in table.data}
    for url in found.get("feeds", ()):
        if not url.startswith(("http://", "https://")):
            raise table.error(f"not an http(s) URL: {url[:80]}", "feeds")
    if "since" in found:
        try:
            parse_since(found["since"], build_time())
        except ValueError as exc:
            raise table.error(str(exc), "since") from None
    if ("since" in found or "max_per_feed" in found) and "feeds" not in found:
        raise table.error("applies to feed entries; give feeds", "since" if "since" in found else "max_per_feed")
    if "cover" in found:
        from convert.covers import read_cover

        try:
            read_cover(found["cover"])  # a cover that is no image fails before anything is read
        except TearsheetError as exc:
            raise table.error(exc.reason, "cover") from None
    return found


def _collection(table: _Table, base: Settings) -> CollectionConfig:
    table.check_keys({"name", "inputs", *manifest_keys(Table.COLLECTION)})
    name = table.required_text("name")
    if not _COLLECTION_NAME.match(name):
        raise table.error(f"{name!r} is not a file name (letters, digits, '-', '_', '.')", "name")
    settings = replace(base, **{"formats": ("epub",), **_setting_changes(table)})
    _check_reading(table, settings)
    books = collection_formats()
    wrong = [f for f in settings.formats if f not in books]
    if wrong:
        raise table.error(f"a collection can be {' or '.join(books)}, not {', '.join(wrong)}", "formats")
    book = _book(table)
    if "title" not in book:
        raise table.error("missing (a string is required)", "title")
    book.setdefault("sections_from", "feeds" if len(book.get("feeds", ())) > 1 else "none")
    from_web = book.keys() & {"feeds", "urls"}
    inputs = table.strings("inputs") if "inputs" in table.data or not from_web else ()
    return CollectionConfig(name=name, inputs=inputs, settings=settings, **book)


def parse_manifest(data: Mapping[str, Any], source: ManifestSource) -> Manifest:
    """Validate manifest ``data`` (already parsed TOML) read from ``source``."""
    top = _Table(source, "", data)
    top.check_keys({"build", "collection", "override"})
    build_data = data.get("build", {})
    if not isinstance(build_data, dict):
        raise top.error("write [build] (one table), not [[build]]", "build")
    inputs, exclude, output, settings = _build(_Table(source, "build", build_data))
    collections = tuple(_collection(t, settings) for t in top.table_list("collection"))
    names = [c.name for c in collections]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise source.error(f"a second collection named {name!r}", "collection", "name", index)
    if not inputs and not collections:
        raise source.error("nothing to build: give build.inputs or a [[collection]]", "build", "inputs")
    overrides = tuple(_override(t) for t in top.table_list("override"))
    for table, override in zip(top.table_list("override"), overrides, strict=True):
        _check_reading(table, override.apply(settings))
    build_table = _Table(source, "build", build_data)
    executor, scheduler = _executor(build_table)
    catalog = build_table.value("catalog", bool, False, "true or false")
    return Manifest(source, inputs, exclude, output, settings, overrides, collections, executor, scheduler, catalog)


def find_manifest(folder: Path) -> Path:
    """``tearsheet.toml`` in ``folder``, else its ``pyproject.toml`` if that has ``[tool.tearsheet]``."""
    candidate = folder / MANIFEST_NAME
    if candidate.is_file():
        return candidate
    pyproject = folder / PYPROJECT_NAME
    if pyproject.is_file() and re.search(r"^\s*\[+\s*tool\.tearsheet\b", pyproject.read_text("utf-8"), re.MULTILINE):
        return pyproject
    raise ManifestError(
        folder / MANIFEST_NAME,
        f"no manifest here (nor [tool.tearsheet] in {PYPROJECT_NAME}); `tearsheet init` writes one",
    )


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")


def load_manifest(path: Path) -> Manifest:
    """Read and validate the manifest at ``path`` (``tearsheet.toml`` or a ``pyproject.toml``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read: {exc}"
        raise ManifestError(path, reason) from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = None if position is None else int(position[1]) if position[1] else len(text.splitlines())
        raise ManifestError(path, f"not valid TOML: {_TOML_POSITION.sub('', message)}", line=line) from None
    if path.name != PYPROJECT_NAME:
        return parse_manifest(data, ManifestSource(path, text))
    tool = data.get("tool", {}).get("tearsheet")
    if not isinstance(tool, dict):
        raise ManifestError(path, "no [tool.tearsheet] table")
    return parse_manifest(tool, ManifestSource(path, text, "tool.tearsheet"))
