"""The pipeline, in the spirit of docutils' ``Publisher``: load (read → normalize) → write.

Every command goes through these functions; ``convert/__init__.py`` only re-exports them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from convert.errors import TearsheetError
from convert.fetch import Fetcher
from convert.model import Document
from convert.naming import input_stem
from convert.normalize import Context, normalize
from convert.options import ARCHIVAL_PDF_VARIANTS, WriteOptions
from convert.output import write_atomic
from convert.readers import read
from convert.readers.webpage import read_fetched
from convert.transforms.citation import bibliography_bibtex, bibliography_csl
from convert.writers import get_writer


def load(
    source: str | Path,
    *,
    context: Context | None = None,
    input_format: str | None = None,
    extract: bool = True,
    data: bytes | None = None,
) -> Document:
    """Read and normalize one input (``data``: its bytes, already read)."""
    return normalize(read(source, fmt=input_format, extract=extract, data=data), context)


def load_url(url: str, fetcher: Fetcher, *, context: Context | None = None) -> Document:
    """Fetch a web page and read and normalize it like a saved one; ``meta.retrieved`` is the fetch date."""
    return normalize(read_fetched(fetcher.get(url)), context)


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def write(doc: Document, fmt: str, options: WriteOptions | None = None) -> bytes:
    """Render ``doc`` with the writer registered as ``fmt``."""
    return get_writer(fmt).write(doc, options or WriteOptions())


def write_file(doc: Document, fmt: str, out_dir: Path, stem: str, options: WriteOptions) -> Path:
    """Write ``doc`` as ``out_dir/<stem><suffix>``, atomically."""
    writer = get_writer(fmt)
    target = out_dir / f"{stem}{writer.suffix}"
    data = writer.write(doc, options)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise TearsheetError(target, f"cannot write it: {exc.strerror or exc}") from None
    return target


def write_citation_files(
    docs: Document | Sequence[Document], out_dir: Path, stem: str, options: WriteOptions
) -> list[Path]:
    """``<stem>.csl.json`` and ``<stem>.bib`` describing the article (or every article of a collection),
    for reference managers."""
    articles = [docs] if isinstance(docs, Document) else list(docs)
    csl = out_dir / f"{stem}.csl.json"
    bib = out_dir / f"{stem}.bib"
    items = bibliography_csl(articles, options.retrieved)
    write_atomic(csl, (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_atomic(bib, bibliography_bibtex(articles, options.retrieved).encode("utf-8"))
    return [csl, bib]


def sandbox_for(source: Path, options: WriteOptions) -> WriteOptions:
    """Options whose sandbox serves files from ``source``'s own folder."""
    return replace(options, sandbox=replace(options.sandbox, root=source.resolve().parent))


def attach_source(source: Path, options: WriteOptions, data: bytes | None = None) -> WriteOptions:
    """Options that carry ``source``'s bytes when the PDF variant is archival (a PDF/A-3 keeps its input):
    ``data`` when the caller already read them (a build attaches the very bytes it hashed), else the file's."""
    return attach_sources([source], options, [data] if data is not None else None)


def attach_sources(
    sources: Sequence[Path], options: WriteOptions, contents: Sequence[bytes] | None = None
) -> WriteOptions:
    """Options that carry each source file (a book's inputs) when the PDF variant is archival.

    Each is attached under its file name; names two inputs share get their folder's name first.
    ``contents`` are the sources' bytes where they were read already.
    """
    if options.pdf_variant not in ARCHIVAL_PDF_VARIANTS:
        return options
    taken: set[str] = set()
    attachments = []
    for k, source in enumerate(sources):
        name = source.name if source.name not in taken else f"{source.parent.name}-{source.name}"
        while name in taken:
            name = f"{len(taken)}-{source.name}"
        taken.add(name)
        attachments.append((name, contents[k] if contents is not None else source.read_bytes()))
    return replace(options, attachments=tuple(attachments))


def convert(
    source: str | Path,
    formats: Iterable[str],
    out_dir: Path,
    *,
    options: WriteOptions | None = None,
    context: Context | None = None,
    input_format: str | None = None,
    extract: bool = True,
) -> list[Path]:
    """Read, normalize and write ``source`` once per format; returns the files written."""
    source = Path(source)
    options = attach_source(source, sandbox_for(source, options or WriteOptions()))
    doc = load(source, context=context, input_format=input_format, extract=extract)
    return [write_file(doc, fmt, out_dir, input_stem(source), options) for fmt in formats]
