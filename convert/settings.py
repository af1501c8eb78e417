"""Every setting of a conversion, declared once; the click options and the manifest keys derive from it.

A ``Setting`` says a setting's name, type, default, help text, choices, which commands take it
as an option and which manifest tables take it as a key. ``convert.click_options`` makes the
click options of ``convert``, ``collect`` and ``inspect`` from it; ``convert.batch.manifest``
derives its keys, their types and their checks from it. A setting no manifest table takes says
why (``command_line_only``): tests/batch/test_batch_manifest_reading.py holds every other option
of ``convert`` and ``collect`` to a key.

The values the settings make live here too: ``ReadOptions`` (how inputs are read),
``WebOptions`` (how URLs are fetched), ``WriteOptions`` (how documents are written, from
``convert.options``) and ``CollectionSpec`` (what a book is, from ``convert.model.book``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from convert.devices import PROFILES as DEVICE_PROFILES
from convert.fetch import Fetcher
from convert.model import Document
from convert.model.book import ORDERS, SECTIONS, CollectionSpec
from convert.normalize import Context
from convert.options import DEFAULT_PDF_VARIANT, PAGE_SIZES, PDF_VARIANTS, LinkPolicy, WriteOptions
from convert.transforms.citation import STYLES as CITATION_STYLES

__all__ = [
    "SETTINGS",
    "CollectionSpec",
    "Group",
    "Kind",
    "LinkPolicy",
    "ReadOptions",
    "Setting",
    "Table",
    "WebOptions",
    "WriteOptions",
    "declared",
    "manifest_keys",
    "parse_size",
    "setting",
]


class Kind(StrEnum):
    """A setting's type: what the command line and the manifest accept for it."""

    FLAG = "flag"  # on or off; a manifest says true or false
    TEXT = "text"
    TEXTS = "texts"  # repeatable option; a manifest list of strings
    LIST = "list"  # comma-separated; the option may be given again, its values add up ("--to pdf --to epub")
    CHOICE = "choice"  # one of ``choices``
    SECONDS = "seconds"  # 0 or more; 0 is no limit
    POSITIVE_SECONDS = "positive-seconds"  # above 0
    FILE = "file"
    FOLDER = "folder"
    PATH = "path"  # a file or a folder
    COUNT = "count"  # a whole number between ``low`` and ``high``
    SIZE = "size"  # bytes, written 50MB, 800kB


class Group(StrEnum):
    """Which object of the command a setting is part of."""

    RUN = "run"  # where the run writes and in which formats: the command's own parameters
    READING = "reading"  # ReadOptions
    WRITING = "writing"  # WriteOptions
    NETWORK = "network"  # the HTTP client of URLs, feeds and network images
    BOOK = "book"  # CollectionSpec and what a book is bound from


class Table(StrEnum):
    """Manifest tables a setting can be a key of."""

    BUILD = "build"
    OVERRIDE = "override"
    COLLECTION = "collection"


EVERY_TABLE = frozenset(Table)
CONVERSION_COMMANDS = frozenset({"convert", "collect"})
READING_COMMANDS = frozenset({"convert", "collect", "inspect"})


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its manifest key, its command-line flags, and what it accepts."""

    key: str  # the manifest key; the field of ``batch.manifest.Settings`` is ``field``
    flags: tuple[str, ...]  # its command-line option ("--from"); () when no command takes it
    kind: Kind
    help: str
    group: Group
    commands: frozenset[str] = CONVERSION_COMMANDS  # the commands it is an option of
    tables: frozenset[Table] = EVERY_TABLE  # the manifest tables it is a key of
    default: Any = None
    choices: tuple[str, ...] = ()
    case_sensitive: bool = True
    metavar: str | None = None
    required: bool = False
    show_default: bool = False
    negated: bool = False  # the flag turns the key off: --no-extract is extract = false
    param: str = ""  # the click parameter's name, where it is not the key's
    field: str = ""  # the Settings field, where it is not the key's
    low: int | None = None  # COUNT bounds
    high: int | None = None
    command_line_only: str = ""  # why no manifest table takes it (when ``tables`` is empty)

    @property
    def param_name(self) -> str:
        return self.param or self.key

    @property
    def field_name(self) -> str:
        return self.field or self.key

    @property
    def manifest_default(self) -> Any:
        """The value a manifest gets when it does not name the key (a negated flag's default is on)."""
        return (not self.default) if self.negated else self.default


_NONE: frozenset[Table] = frozenset()
_BOOK = frozenset({Table.COLLECTION})
_COLLECT = frozenset({"collect"})
_CONVERT = frozenset({"convert"})

# In the order the commands list their options (``--help``).
SETTINGS: tuple[Setting, ...] = (
    # convert: where and what it writes
    Setting(
        "formats",
        ("--to",),
        Kind.LIST,
        "Comma-separated output formats.",
        Group.RUN,
        _CONVERT,
        default="pdf",
        show_default=True,
    ),
    Setting(
        "output",
        ("-o", "--output"),
        Kind.PATH,
        "Output folder; with one input and one format, the output file itself (FILE.pdf).",
        Group.RUN,
        _CONVERT,
        frozenset({Table.BUILD}),
        default=".",
    ),
    Setting(
        "name",
        ("--name",),
        Kind.TEXT,
        "Name outputs by TEMPLATE: {stem}, {parent}, {slug} (of the title), {date} (published).",
        Group.RUN,
        _CONVERT,
        _NONE,
        metavar="TEMPLATE",
        param="name_template",
        command_line_only="a build names outputs before reading them: the stem, else parent-stem",
    ),
    Setting(
        "jobs",
        ("--jobs",),
        Kind.COUNT,
        "Inputs converted at once, in warm processes as `build` uses (default: every core).",
        Group.RUN,
        _CONVERT,
        _NONE,
        low=1,
        command_line_only="how many processes this machine gives the run; a build takes -j",
    ),
    Setting(
        "cite_export",
        ("--cite-export",),
        Kind.FLAG,
        "Also write <name>.csl.json and <name>.bib describing each article.",
        Group.RUN,
        _CONVERT,
        default=False,
    ),
    # collect: the book and what it is bound from
    Setting(
        "book",
        ("-o", "--output"),
        Kind.PATH,
        "BOOK.epub or BOOK.pdf; or a folder, which gets <slug of the title>.<format> for each --to format.",
        Group.RUN,
        _COLLECT,
        _NONE,
        required=True,
        param="output",
        command_line_only="a build writes [[collection]] `name` as <build output>/<name>.<format>",
    ),
    Setting(
        "formats",
        ("--to",),
        Kind.LIST,
        "epub, pdf or both (default: from the -o suffix, else epub).",
        Group.RUN,
        _COLLECT,
    ),
    Setting("title", ("--title",), Kind.TEXT, "The book's title.", Group.BOOK, _COLLECT, _BOOK, required=True),
    Setting(
        "author", ("--author",), Kind.TEXT, "The book's author or editor.", Group.BOOK, _COLLECT, _BOOK, default=""
    ),
    Setting(
        "feeds",
        ("--feed",),
        Kind.TEXTS,
        "Also the entries of this RSS, Atom or JSON feed (repeatable: a section per feed).",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        metavar="URL",
        param="feed_urls",
    ),
    Setting(
        "urls",
        ("--urls",),
        Kind.FILE,
        "Also the pages whose URLs this file lists, one a line.",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        param="urls_file",
    ),
    Setting(
        "since",
        ("--since",),
        Kind.TEXT,
        "Only feed entries published in the last days, weeks or hours, or on or after DATE (YYYY-MM-DD).",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        metavar="7d|2w|36h|DATE",
    ),
    Setting(
        "max_per_feed",
        ("--max-per-feed", "--limit"),
        Kind.COUNT,
        "Only the newest N entries of each feed.",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        param="limit",
        low=1,
    ),
    Setting(
        "order",
        ("--order",),
        Kind.CHOICE,
        "Order of the articles.",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        default="input",
        choices=ORDERS,
        show_default=True,
    ),
    Setting(
        "sections_from",
        ("--sections-from",),
        Kind.CHOICE,
        "Group articles into sections (default: feeds with several --feed, else none).",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        choices=SECTIONS,
    ),
    Setting(
        "toc_depth",
        ("--toc-depth",),
        Kind.COUNT,
        "1: articles; 2: and their sections; …",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        default=2,
        show_default=True,
        low=1,
        high=6,
    ),
    Setting(
        "jobs",
        ("--jobs",),
        Kind.COUNT,
        "Processes reading articles (default: CPU count).",
        Group.RUN,
        _COLLECT,
        _NONE,
        low=1,
        command_line_only="how many processes this machine gives the run; a build takes -j",
    ),
    Setting(  # the key of convert's --cite-export: in a [[collection]], the book's bibliography
        "cite_export",
        ("--cite-export",),
        Kind.FLAG,
        "Also write BOOK.csl.json and BOOK.bib: one bibliography of every article.",
        Group.RUN,
        _COLLECT,
        default=False,
    ),
    Setting(
        "cover",
        ("--cover",),
        Kind.FILE,
        "The EPUB's cover image (PNG or JPEG; other images become PNG); default: one drawn with the title.",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        metavar="IMAGE",
        param="cover_file",
    ),
    Setting(
        "max_size",
        ("--max-size",),
        Kind.SIZE,
        "Split a book larger than SIZE (kB, MB, GB; 1 MB = 1024 kB) into volumes BOOK-1, BOOK-2…",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        default="50MB",
        show_default=True,
        metavar="SIZE",
    ),
    Setting(
        "new_only",
        ("--new-only",),
        Kind.FILE,
        "Leave out articles an earlier book held (by URL and by text); the file remembers them.",
        Group.BOOK,
        _COLLECT,
        _BOOK,
        metavar="STATE.json",
        param="state_file",
    ),
    # how documents are written
    Setting(
        "links",
        ("--links",),
        Kind.CHOICE,
        "How cited links show their URL; default per format.",
        Group.WRITING,
        choices=tuple(p.value for p in LinkPolicy),
    ),
    Setting(
        "citation_style",
        ("--citation-style",),
        Kind.TEXT,
        "Style of the source attribution in the citation footer: a bundled style or a CSL file.",
        Group.WRITING,
        default="chicago",
        show_default=True,
        metavar="|".join(sorted(CITATION_STYLES)) + "|FILE.csl",
    ),
    Setting(
        "citation_locale",
        ("--citation-locale",),
        Kind.TEXT,
        "Language of the attribution's terms and dates (e.g. en-GB, de); default: the article's.",
        Group.WRITING,
        default="",
        metavar="LANG",
    ),
    Setting(
        "page_size",
        ("--page-size",),
        Kind.CHOICE,
        "PDF page size.",
        Group.WRITING,
        default="A4",
        show_default=True,
        choices=PAGE_SIZES,
        case_sensitive=False,
    ),
    Setting(
        "pdf_variant",
        ("--pdf-variant",),
        Kind.CHOICE,
        "Tagged PDF/UA-1; PDF/A-3 (tagged, the input file attached); or untagged.",
        Group.WRITING,
        default=DEFAULT_PDF_VARIANT,
        show_default=True,
        choices=PDF_VARIANTS,
    ),
    Setting(
        "style",
        ("--style",),
        Kind.TEXT,
        "A bundled style name or a CSS file added after the default styles (PDF).",
        Group.WRITING,
        field="stylesheet",
    ),
    Setting(
        "allow_network",
        ("--allow-network",),
        Kind.FLAG,
        "Let images of local files be fetched over http(s).",
        Group.WRITING,
        default=False,
    ),
    Setting(
        "device",
        ("--device",),
        Kind.CHOICE,
        "Fit images to a reader: size limit, JPEG quality, e-ink grayscale, formats it cannot show converted.",
        Group.WRITING,
        choices=tuple(sorted(DEVICE_PROFILES)),
    ),
    # how URLs, feeds and network images are fetched
    Setting(
        "offline", ("--offline",), Kind.FLAG, "Use only pages already in the HTTP cache.", Group.NETWORK, default=False
    ),
    Setting(
        "images",
        ("--no-images",),
        Kind.FLAG,
        "Do not fetch the images of fetched pages.",
        Group.NETWORK,
        default=False,
        negated=True,
        param="no_images",
    ),
    Setting(
        "allow_private",
        ("--allow-private",),
        Kind.FLAG,
        "Let URLs reach loopback, private and link-local addresses.",
        Group.NETWORK,
        default=False,
    ),
    Setting(
        "allow_hosts",
        ("--allow-host",),
        Kind.TEXTS,
        "Allow this one private host (repeatable).",
        Group.NETWORK,
        metavar="HOST[:PORT]",
    ),
    Setting(
        "cache_dir",
        ("--cache-dir",),
        Kind.FOLDER,
        "HTTP cache folder (default ~/.cache/tearsheet/http).",
        Group.NETWORK,
    ),
    Setting(
        "network_timeout",
        ("--network-timeout",),
        Kind.POSITIVE_SECONDS,
        "Give up on one fetch (connecting, headers, body, redirects) after SECONDS "
        "(default 15, or TEARSHEET_NETWORK_TIMEOUT).",
        Group.NETWORK,
        metavar="SECONDS",
    ),
    # how inputs are read and normalized
    Setting(
        "from",
        ("--from",),
        Kind.TEXT,
        "Input format (pandoc reader name); default from the extension.",
        Group.READING,
        READING_COMMANDS,
        metavar="FORMAT",
        param="input_format",
        field="input_format",
    ),
    Setting(
        "extract",
        ("--no-extract",),
        Kind.FLAG,
        "Convert a web page as it is, without main-content extraction.",
        Group.READING,
        READING_COMMANDS,
        default=False,
        negated=True,
        param="no_extract",
    ),
    Setting(
        "keep",
        ("--keep",),
        Kind.TEXTS,
        "Keep what normalizer RULE would remove (repeatable).",
        Group.READING,
        READING_COMMANDS,
        metavar="RULE",
    ),
    Setting(
        "keep_boilerplate",
        ("--keep-boilerplate",),
        Kind.FLAG,
        "Keep everything the boilerplate rules would remove.",
        Group.READING,
        READING_COMMANDS,
        default=False,
    ),
    Setting(
        "rules",
        ("--rules",),
        Kind.FILE,
        "TOML file of extra boilerplate rules.",
        Group.READING,
        READING_COMMANDS,
        param="rules_file",
    ),
    Setting(
        "timeout",
        ("--timeout",),
        Kind.SECONDS,
        "Give up on an input after SECONDS (0: no limit).",
        Group.READING,
        READING_COMMANDS,
        default=300,
        show_default=True,
        metavar="SECONDS",
    ),
    Setting(
        "debug",
        ("--debug",),
        Kind.FLAG,
        "Show tracebacks and library warnings.",
        Group.READING,
        READING_COMMANDS,
        _NONE,
        default=False,
        command_line_only="how a run reports, not what it makes; `tearsheet build -v` shows tracebacks",
    ),
)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes of a ``Kind.SIZE`` value: 50MB, 800kB, 1.5GB (1 MB = 1024 kB); ValueError if it is none."""
    match = _SIZE.match(text)
    if not match or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a size (e.g. 50MB, 800kB)")
    return int(float(match[1]) * 1024 ** " kmg".index(match[2].lower() or " "))


def declared(command: str, group: Group | None = None) -> Iterator[Setting]:
    """The options of ``command`` (of one ``group``), in the order its ``--help`` lists them."""
    return (s for s in SETTINGS if command in s.commands and (group is None or s.group is group))


def manifest_keys(table: Table, groups: frozenset[Group] | None = None) -> dict[str, Setting]:
    """The keys ``table`` takes, each with its setting (of ``groups`` only, when given)."""
    return {s.key: s for s in SETTINGS if table in s.tables and (groups is None or s.group in groups)}


def setting(key: str) -> Setting:
    """The setting a manifest key names (the first, for a key two commands word differently)."""
    return next(s for s in SETTINGS if s.key == key)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read and normalized, from the reading settings."""

    context: Context
    input_format: str | None = None
    extract: bool = True
    debug: bool = False
    timeout: float | None = None  # seconds one input may take; None: no limit

    def load(self, source: Path) -> Document:
        from convert.pipeline import load

        return load(source, context=self.context, input_format=self.input_format, extract=self.extract)


@dataclass(frozen=True, slots=True)
class WebOptions:
    """How URLs are fetched, from the network settings."""

    fetcher: Fetcher
    images: bool = True  # fetch the images of fetched pages
