"""The build cache: outputs already made from the same inputs, options, styles and tools are not made again.

``<output>/.tearsheet-cache/index.json`` maps a key — a hash of the input
bytes, the job's options, the bundled styles, the versions of Tearsheet and
the libraries that shape the output, and ``SOURCE_DATE_EPOCH`` — to what one
job made in one format: its target's name and every file it wrote (the book or
its volumes, and the job's citation files), each with its hash and size. An
entry counts only while every one of those files is there with that hash and
the local images the input used are unchanged.

An entry is also what a job owns: when a target is made again, the files its
old entry listed that the new one does not (volumes a smaller book no longer
has) are removed, if they are as the build left them and no output of this
build or other entry has them (``BuildCache.remove_stale``).

A job's entries are also made durable the moment it finishes, before its result
reaches the build process: the worker writes them atomically to
``.tearsheet-cache/finished/`` (one small file per target). The index absorbs
them when it is loaded and saved, so a build killed outright (SIGKILL, out of
memory) loses none of the jobs that had finished.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from convert.batch.manifest import CACHE_DIR
from convert.batch.outcomes import JobOutcome, Written, file_sha256
from convert.batch.plan import CollectionJob, Job, target
from convert.output import write_atomic
from convert.stylesheets import STYLES_DIR
from convert.transforms.citation import csl_file
from convert.version import __version__

INDEX_NAME = "index.json"
FINISHED_DIR = "finished"  # entries of jobs that finished, not yet in the index
INDEX_VERSION = 2  # 2: an entry lists every file its job wrote (volumes, citation files)
# The libraries whose version changes the bytes written; a new one rebuilds everything.
_TOOLS = (
    *("weasyprint", "pydyf", "pikepdf", "babel", "ebooklib", "pypandoc-binary"),
    *("trafilatura", "lxml", "nh3", "citeproc-py", "pillow"),
)

log = logging.getLogger("tearsheet")


@lru_cache(maxsize=1)
def styles_digest() -> str:
    """One hash of every file under the bundled styles folder (CSS, templates, reference.docx)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STYLES_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STYLES_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    versions = {"tearsheet": __version__}
    for name in _TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    return versions


def _settings_fingerprint(job: Job) -> dict[str, Any]:
    settings = dataclasses.asdict(job.settings)
    del settings["formats"]  # the key is per format; other formats of the job must not change it
    del settings["timeout"]  # a limit changes no output
    del settings["network_timeout"]
    del settings["cache_dir"]  # where fetched pages are kept; builds from the web are never cached
    sheet = job.settings.stylesheet
    settings["stylesheet"] = file_sha256(sheet) if sheet is not None else None
    rules = job.settings.rules  # its content, not its name, decides what is removed
    settings["rules"] = file_sha256(rules) if rules is not None else None
    csl = csl_file(job.settings.citation_style)
    if csl is not None:  # a CSL file by its content, like a stylesheet
        settings["citation_style"] = file_sha256(csl)
    if isinstance(job, CollectionJob):
        config = dataclasses.asdict(job.config)
        del config["settings"]
        if job.config.cover is not None:  # the cover by its content, like a stylesheet
            config["cover"] = file_sha256(job.config.cover)
        settings["collection"] = config
    return settings


@dataclass
class Fingerprints:
    """Hashes of input files, each read once per build however many formats and collections use it."""

    _inputs: dict[Path, str] = field(default_factory=dict)

    def of(self, path: Path) -> str:
        if path not in self._inputs:
            try:
                self._inputs[path] = file_sha256(path)
            except OSError as exc:  # no entry can match; the worker reports the input's problem
                self._inputs[path] = f"unreadable: {exc.strerror or exc}"
        return self._inputs[path]

    def key(self, job: Job, fmt: str, output: str, read: dict[str, str] | None = None) -> str:
        """The key of ``job``'s ``fmt`` output; ``read`` gives the hashes of the sources as a worker read them."""
        digests = [self.of(p) if read is None else read[str(p)] for p in job.sources]
        payload = {
            "index": INDEX_VERSION,
            "tools": tool_versions(),
            "styles": styles_digest(),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
            "format": fmt,
            "output": output,
            # Each source with its place in the project: a collection's sections follow its folders.
            "inputs": [[_name(job, p), digest] for p, digest in zip(job.sources, digests, strict=True)],
            "settings": _settings_fingerprint(job),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _name(job: Job, source: Path) -> str:
    return job.names[job.sources.index(source)] if isinstance(job, CollectionJob) else job.name


def built_entries(outcome: JobOutcome) -> dict[str, dict[str, Any]]:
    """The cache entries of the outputs ``outcome`` built whole (a book missing articles is not whole),
    keyed by the sources as the worker read them.

    A source that changed while it was read ("" in ``inputs``) gives no entry: the next build makes it again.
    """
    job, inputs, deps = outcome.task.job, dict(outcome.inputs), dict(outcome.deps)
    if any(not digest for digest in inputs.values()) or len(inputs) != len(job.sources):
        return {}
    fingerprints = Fingerprints()
    entries = {}
    for made in outcome.formats:
        if made.files and not made.error:
            name = target(job, made.fmt, outcome.task.out_dir).name
            entries[fingerprints.key(job, made.fmt, name, inputs)] = _entry(name, made.files, deps)
    return entries


def _entry(target_name: str, files: Iterable[Written], deps: dict[str, str]) -> dict[str, Any]:
    return {"target": target_name, "outputs": [dataclasses.asdict(w) for w in files], "deps": deps}


def _outputs(entry: Mapping[str, Any]) -> list[Written]:
    """The files an entry lists; [] for one that is not as this version writes them."""
    try:
        return [Written(str(o["name"]), str(o["sha256"]), int(o["size"])) for o in entry.get("outputs", ())]
    except (KeyError, TypeError, ValueError):
        return []


def _finished_path(out_dir: Path, target_name: str) -> Path:
    # One file per target: a later build of the same target replaces it, whatever else its job made.
    return out_dir / CACHE_DIR / FINISHED_DIR / f"{hashlib.sha256(target_name.encode()).hexdigest()[:40]}.json"


def record_finished(out_dir: Path, entries: Mapping[str, dict[str, Any]]) -> None:
    """Make a finished job's entries durable now, each atomically; the index takes them in later.

    A folder that cannot take them costs nothing but the durability: the build records them as usual.
    """
    for key, entry in entries.items():
        try:
            write_atomic(_finished_path(out_dir, entry["target"]), json.dumps({key: entry}).encode("utf-8"))
        except OSError:
            return


def deps_unchanged(deps: dict[str, str]) -> bool:
    """Whether every file a build looked up is as it was: the same bytes, or still not there ("")."""
    for name, digest in deps.items():
        path = Path(name)
        if not digest:
            if os.path.lexists(path):
                return False
            continue
        try:
            if not path.is_file() or file_sha256(path) != digest:
                return False
        except OSError:  # unreadable now: whatever it holds, not what was read
            return False
    return True


class BuildCache:
    """The index of one output folder; written back by ``save``."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / CACHE_DIR / INDEX_NAME
        self.entries: dict[str, dict[str, Any]] = self._load()
        # Files a replaced entry listed and its successor does not: removed by ``remove_stale``.
        self._stale: dict[str, str] = {}  # name -> sha256 as the build left it
        # Finished entries now in ``entries`` (by when each file was written): removed once the index is saved.
        self._absorbed: dict[Path, int] = {}
        self._absorb_finished()

    def _absorb_finished(self) -> None:
        """Take in the entries finished jobs left (an interrupted build's too), oldest first.

        An entry is only ever served after ``lookup`` finds its files with their hashes, so one
        that an older or newer build made stale costs a rebuild, never a wrong output.
        """
        folder = self.out_dir / CACHE_DIR / FINISHED_DIR
        try:
            files = sorted(((_mtime_ns(p), p) for p in folder.glob("*.json")), key=lambda each: each[0])
        except OSError:
            return
        for written, path in files:
            if self._absorbed.get(path) == written:
                continue  # taken in already, as it still is
            try:
                entries = json.loads(path.read_bytes())
            except (OSError, ValueError):
                entries = None  # an atomic write is never half there: some other file, ignored
            if isinstance(entries, dict):
                for key, entry in entries.items():
                    if isinstance(entry, dict) and isinstance(entry.get("target"), str) and _outputs(entry):
                        self._take(key, entry)
            self._absorbed[path] = written

    def _take(self, key: str, entry: dict[str, Any]) -> None:
        known = self.entries.get(key)
        if known is not None and _outputs(known) == _outputs(entry):
            return  # recorded already (and perhaps checked since)
        self.record_entry(key, entry)

    def record_entry(self, key: str, entry: Mapping[str, Any]) -> None:
        """An entry as ``built_entries`` makes it."""
        self.record(key, str(entry["target"]), _outputs(entry), dict(entry.get("deps", {})))

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("%s: cache index unreadable, rebuilding everything (%s)", self.path, exc)
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def lookup(self, key: str, target_path: Path) -> list[Written] | None:
        """The files of ``key``'s entry if every one is still there, unchanged, and so are its images."""
        entry = self.entries.get(key)
        if entry is None or entry.get("target") != target_path.name:
            return None
        outputs = _outputs(entry)
        try:
            for made in outputs:
                path = self.out_dir / made.name
                # The size first: a volume rewritten with other articles is found without hashing it.
                if not path.is_file() or path.stat().st_size != made.size or file_sha256(path) != made.sha256:
                    return None
            if not outputs or not deps_unchanged(entry.get("deps", {})):
                return None
        except OSError:
            return None
        return outputs

    def record(self, key: str, target_name: str, outputs: list[Written], deps: dict[str, str]) -> None:
        """``key`` made ``outputs`` for ``target_name``; the target's old entry goes, and its other files go stale."""
        old = [k for k, e in self.entries.items() if e.get("target") == target_name]
        kept = {made.name for made in outputs}
        for name in old:
            for made in _outputs(self.entries.pop(name)):
                if made.name not in kept:
                    self._stale[made.name] = made.sha256
        self.entries[key] = _entry(target_name, outputs, deps)

    def remove_stale(self, made_now: Iterable[str]) -> list[str]:
        """Remove the files replaced entries owned and no longer do: a book that now has fewer volumes,
        or none, leaves no old volume behind to pass for this build's.

        A file is removed only if this build did not make it (``made_now``), no entry lists it,
        and it still has the bytes the build left in it: a file someone else wrote or changed stays.
        """
        keep = set(made_now) | {made.name for entry in self.entries.values() for made in _outputs(entry)}
        removed = []
        for name, sha256 in sorted(self._stale.items()):
            path = self.out_dir / name
            try:
                if name not in keep and path.is_file() and file_sha256(path) == sha256:
                    path.unlink()
                    removed.append(name)
            except OSError as exc:
                log.warning("%s: an old output not removed (%s)", path, _why(exc))
        self._stale.clear()
        return removed

    def checked(self, path: Path, sha256: str) -> dict[str, Any] | None:
        """The check results recorded for this very file, if any."""
        for entry in self.entries.values():
            recorded = entry.get("checks", {}).get(path.name)
            if isinstance(recorded, dict) and recorded.get("sha256") == sha256 and "result" in recorded:
                check: dict[str, Any] = recorded["result"]
                return check
        return None

    def record_check(self, path: Path, sha256: str, check: dict[str, Any]) -> None:
        for entry in self.entries.values():
            if any(made.name == path.name and made.sha256 == sha256 for made in _outputs(entry)):
                entry.setdefault("checks", {})[path.name] = {"sha256": sha256, "result": check}

    def save(self) -> None:
        """Write the index back; a folder that cannot take it (read-only, full) costs only a warning."""
        self._absorb_finished()  # jobs whose results never reached this process (an interrupted build)
        data = {"version": INDEX_VERSION, "tearsheet": __version__, "entries": self.entries}
        try:
            write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        except OSError as exc:
            log.warning("%s: cache index not saved (%s); the next build makes everything again", self.path, _why(exc))
            return
        for path in self._absorbed:  # in the index now
            path.unlink(missing_ok=True)
        self._absorbed.clear()


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
