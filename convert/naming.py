"""Output names: unique within a run, never an input, never outside the output folder.

One module names the outputs of ``convert``, ``collect`` and ``build``:

- an input's outputs are called by its stem where no other output of the run
  (and no input) has that name;
- otherwise by ``<parent folder>-<stem>``; where that still collides, by
  ``<parent folder>-<stem>-<slug of the title>``; and last by ``-2``, ``-3``
  … in input order, so the same inputs always get the same names;
- a URL's outputs are called by the slug of its title, then ``<host>-<slug>``;
- ``--name TEMPLATE`` (``{stem}``, ``{parent}``, ``{slug}``, ``{date}``) replaces
  the stem; two inputs that render to one name are numbered the same way.

Names are compared case-insensitively (a run must not depend on the file
system being case-sensitive), and an output whose path is an input's path
(resolved, or the same inode) counts as taken.
"""

from __future__ import annotations

import os
import string
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from convert.errors import TearsheetError
from convert.model import Document
from convert.reporting import plural

# File systems cap a name at 255 bytes; leave room for the parent prefix, a counter and ".csl.json".
_MAX_NAME_BYTES = 200
_MAX_FILE_NAME_BYTES = 255
TEMPLATE_FIELDS = ("stem", "parent", "slug", "date")


class NamingError(TearsheetError):
    """A name that cannot be used: it leaves the output folder, or a template is malformed."""


def slug(doc: Document, fallback: str) -> str:
    """A file-name stem from the title (or ``fallback``, e.g. the URL): lower-case words and hyphens.

    Letters of every script stay (a Japanese and an Arabic title get different slugs);
    punctuation and spaces become single hyphens.
    """
    from slugify import slugify

    text = slugify(doc.meta.title or fallback, allow_unicode=True) or slugify(fallback, allow_unicode=True)
    return fit(text) or "article"


def fit(name: str, limit: int = _MAX_NAME_BYTES) -> str:
    """``name`` cut to at most ``limit`` UTF-8 bytes, whole characters only, without a trailing hyphen."""
    data = name.encode("utf-8")
    if len(data) <= limit:
        return name
    return data[:limit].decode("utf-8", "ignore").rstrip("-_. ")


def render_template(template: str, doc: Document, source: str) -> str:
    """``template`` with ``{stem}``, ``{parent}``, ``{slug}`` and ``{date}`` (published, else ``undated``)."""
    stem, parent = _stem_and_parent(source)
    values = {
        "stem": stem or slug(doc, source),
        "parent": parent,
        "slug": slug(doc, stem or source),
        "date": (doc.meta.published or "")[:10] or "undated",
    }
    check_template(template)
    return template.format_map(values)


def check_template(template: str) -> None:
    """Refuse a template with an unknown field or broken braces (a usage error, before any work)."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise NamingError("--name", f"malformed template {template!r}: {exc}") from None
    unknown = [f for f in fields if f not in TEMPLATE_FIELDS]
    have = ", ".join("{" + f + "}" for f in TEMPLATE_FIELDS)
    if unknown:
        raise NamingError("--name", f"unknown field {{{unknown[0]}}} in {template!r} (have {have})")
    if not template.strip():
        raise NamingError("--name", f"the template is empty (fields: {have})")


def inside(out_dir: Path, name: str, suffix: str) -> Path:
    """``out_dir/<name><suffix>``, refused when the name would put it outside ``out_dir``."""
    path = out_dir / f"{name}{suffix}"
    root, resolved = _resolved(out_dir), _resolved(path)
    if not name or name.startswith(("/", "\\")) or not resolved.is_relative_to(root) or resolved == root:
        raise NamingError(name or "''", f"the output name would be outside the output folder {out_dir}")
    return path


def _stem_and_parent(source: str) -> tuple[str, str]:
    if source.startswith(("http://", "https://")):
        parts = urllib.parse.urlsplit(source)
        return "", parts.hostname or ""
    path = Path(source)
    return input_stem(path), _resolved(path).parent.name


# Suffixes of two parts an input may have; its stem is the name without both.
_COMPOUND_SUFFIXES = (".warc.gz",)


def input_stem(path: Path) -> str:
    """``page`` for ``page.html`` and for ``page.warc.gz``."""
    suffix = next((s for s in _COMPOUND_SUFFIXES if path.name.lower().endswith(s)), path.suffix)
    return path.name[: len(path.name) - len(suffix)] if suffix else path.name


def _resolved(path: Path) -> Path:
    """The real path; for a symlink loop (which the reader reports), the absolute path as written."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def path_key(path: Path) -> str:
    """What makes two paths one file here: resolved, and case-insensitive (as on macOS and Windows)."""
    return os.path.normcase(str(_resolved(path))).casefold()


@dataclass
class RunNames:
    """The names of one run's outputs: each input's stem, decided once, used for all its formats.

    ``sources`` are the run's inputs (paths or URLs) in order; ``suffixes`` every
    suffix an input's outputs get (``.pdf``, ``.csl.json`` …). Names that need no
    title are decided at once, so a later input cannot take an earlier one's
    name; the others are decided by ``name_for`` when the document is read.
    """

    sources: Sequence[str]
    suffixes: Sequence[str]
    out_dir: Path
    template: str | None = None
    reserved: Sequence[str] = ()  # names already given to other outputs (a build's collections)
    _taken: set[str] = field(default_factory=set, init=False)
    _inodes: set[tuple[int, int]] = field(default_factory=set, init=False)
    _decided: dict[int, str] = field(default_factory=dict, init=False)
    _deferred_base: dict[int, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for source in self.sources:
            if not source.startswith(("http://", "https://")):
                self._claim_input(Path(source))
        for name in self.reserved:
            self._taken.update(self._keys(name))
        if self.template is not None:
            check_template(self.template)
            return
        files = [i for i, s in enumerate(self.sources) if not s.startswith(("http://", "https://"))]
        level = dict.fromkeys(files, 0)
        while True:
            candidates = {i: self._ladder(i, level[i]) for i in files if level[i] < 2}
            owners: dict[str, list[int]] = {}
            for i, name in candidates.items():
                for key in self._keys(name):
                    owners.setdefault(key, []).append(i)
            clashing = {i for i, name in candidates.items() if self._blocked(name)}
            clashing |= {i for ids in owners.values() if len(ids) > 1 for i in ids}
            if not clashing:
                break
            for i in clashing:
                level[i] += 1
        for i in files:
            if level[i] < 2:
                self._decide(i, self._ladder(i, level[i]))
            else:
                self._deferred_base[i] = self._ladder(i, 1)

    def name_for(self, index: int, doc: Document) -> str:
        """The stem of input ``index``'s outputs (its title is known now); claims it for the run."""
        if index in self._decided:
            return self._decided[index]
        source = self.sources[index]
        if self.template is not None:
            wanted = render_template(self.template, doc, source)
            # A template may name subfolders; each part is still checked against the output folder.
            for suffix in self.suffixes:
                inside(self.out_dir, wanted, suffix)
            candidates = [wanted]
        elif index in self._deferred_base:
            candidates = [f"{self._deferred_base[index]}-{slug(doc, self._deferred_base[index])}"]
        else:  # a URL: the slug of its title, then its host
            title = slug(doc, source.split("://", 1)[-1])
            candidates = [title, f"{_stem_and_parent(source)[1]}-{title}"]
        for name in candidates:
            if not self._blocked(name):
                return self._decide(index, name)
        base = candidates[-1]
        counter = 2
        while self._blocked(f"{base}-{counter}"):
            counter += 1
        return self._decide(index, f"{base}-{counter}")

    def decided(self, index: int) -> str | None:
        """The stem of input ``index`` if it needs no title (None: ``name_for`` decides it)."""
        return self._decided.get(index)

    def _ladder(self, index: int, level: int) -> str:
        stem, parent = _stem_and_parent(self.sources[index])
        if level == 0 or not parent:
            # The input's own stem is kept whole while the file system takes it with every suffix written.
            longest = max(len(s.encode("utf-8")) for s in [*self.suffixes, ".csl.json"])
            return fit(stem, _MAX_FILE_NAME_BYTES - longest)
        return fit(f"{parent}-{stem}")

    def _keys(self, name: str) -> list[str]:
        return [path_key(inside(self.out_dir, name, suffix)) for suffix in self.suffixes]

    def _blocked(self, name: str) -> bool:
        paths = [inside(self.out_dir, name, suffix) for suffix in self.suffixes]
        return any(path_key(p) in self._taken or self._same_as_input(p) for p in paths)

    def _same_as_input(self, path: Path) -> bool:
        try:
            stat = path.stat()
        except OSError:
            return False
        return (stat.st_dev, stat.st_ino) in self._inodes

    def _claim_input(self, path: Path) -> None:
        self._taken.add(path_key(path))
        try:
            stat = path.stat()
        except OSError:
            return
        self._inodes.add((stat.st_dev, stat.st_ino))

    def _decide(self, index: int, name: str) -> str:
        self._taken.update(self._keys(name))
        self._decided[index] = name
        return name


def same_file(one: Path, other: Path) -> bool:
    """True when both name one file (resolved path, or the same inode when both exist)."""
    if path_key(one) == path_key(other):
        return True
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def refuse_input_as_output(target: Path, inputs: Iterable[Path]) -> None:
    """An output that is one of the inputs would destroy it: refuse before any work."""
    for source in inputs:
        if same_file(target, source):
            raise NamingError(target, f"the output is also an input ({source}); choose another output name")


@dataclass(frozen=True, slots=True)
class Destination:
    """Where ``-o`` puts a run's outputs: a folder, or (one output) exactly one file."""

    folder: Path
    file: Path | None = None


def destination(output: Path, suffixes: Sequence[str], count: int, book_suffixes: Iterable[str]) -> Destination:
    """``-o``'s one meaning: a folder for many outputs; ``FILE.<suffix>`` when the run makes one output.

    ``suffixes`` are the suffixes of the formats asked for and ``count`` how many outputs the run
    makes. A path ending in a writer's suffix (and not an existing folder) names a file; its
    suffix must be the format's.
    """
    known = {s.lower() for s in book_suffixes}
    if output.is_dir() or output.suffix.lower() not in known or str(output).endswith(("/", os.sep)):
        return Destination(output)
    wanted = ", ".join(suffixes)
    if count != 1:
        raise NamingError(
            output, f"names one file, but this run makes {plural(count, 'output')}; give a folder with -o instead"
        )
    if output.suffix.lower() != suffixes[0].lower():
        raise NamingError(output, f"the suffix {output.suffix} does not match the format asked for ({wanted})")
    return Destination(output.parent, output)
