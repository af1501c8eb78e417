"""The ``tearsheet`` command line: click commands only, the work is in the package."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click

from convert.batch.commands import build, check, init
from convert.batch.convert_run import ConvertRun, Outcome, convert_inputs
from convert.batch.local_pool import SharedWarmPool
from convert.batch.runner import default_jobs
from convert.batch.signals import exiting_when_stopped
from convert.catalog import CATALOG_NAME, write_catalog
from convert.click_options import apply, option_group, setting_options
from convert.collection import SERIAL_BELOW, bind_volumes, load_files
from convert.covers import read_cover
from convert.dates import build_time
from convert.devices import profile as device_profile
from convert.digest_state import DigestState
from convert.errors import TearsheetError
from convert.feeds import item_link, parse_since, web_items
from convert.fetch import Fetcher
from convert.limits import time_limit
from convert.model import Document, Meta, plain_text, to_json
from convert.model.book import CollectionSpec
from convert.naming import Destination, NamingError, RunNames, destination, refuse_input_as_output, slug
from convert.normalize import Context, UnknownRule, reading_context
from convert.pipeline import (
    is_url,
    write_citation_files,
)
from convert.progress import Progress
from convert.reporting import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, describe, plural, reporter, setup_logging
from convert.resources import Sandbox
from convert.settings import Group, LinkPolicy, ReadOptions, WebOptions, WriteOptions, declared, parse_size
from convert.sources import load_web
from convert.stylesheets import find_stylesheet
from convert.transforms.citation import CitationStyleError, check_locale
from convert.transforms.citation import check_style as check_citation_style
from convert.version import __version__


@contextmanager
def _reporting(source: str, outcome: Outcome, debug: bool) -> Iterator[None]:
    """Turn any failure for one input into one line; the batch goes on."""
    reporter.source = source
    try:
        yield
    except Exception as exc:
        outcome.failed.append(source)
        _error(f"{source}: {describe(exc, source)}", debug)
    finally:
        reporter.summarize()
        reporter.source = ""


def _error(message: str, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    click.echo(f"tearsheet: error: {message}", err=True)


def _exit(outcome: Outcome) -> NoReturn:
    if not outcome.failed:
        sys.exit(EXIT_OK)
    sys.exit(EXIT_SOME_FAILED if outcome.written else EXIT_USAGE)


def _formats(value: str) -> list[str]:
    from convert.writers import available

    names = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [n for n in names if n not in available()]
    if unknown or not names:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or value!r}; have {', '.join(available())}")
    return names


def _stylesheet(value: str | None) -> Path | None:
    if value is None:
        return None
    try:
        return find_stylesheet(value, Path.cwd())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--style") from None


def _context(keep: tuple[str, ...], keep_boilerplate: bool, rules_file: Path | None) -> Context:
    try:
        return reading_context(keep, keep_boilerplate, rules_file)
    except TearsheetError as exc:
        raise click.BadParameter(str(exc), param_hint="--rules") from None
    except UnknownRule as exc:
        raise click.BadParameter(str(exc), param_hint="--keep") from None


def _build_reading(
    input_format: str | None,
    no_extract: bool,
    keep: tuple[str, ...],
    keep_boilerplate: bool,
    rules_file: Path | None,
    timeout: float,
    debug: bool,
) -> ReadOptions:
    setup_logging(debug)
    context = _context(keep, keep_boilerplate, rules_file)
    return ReadOptions(context, input_format, extract=not no_extract, debug=debug, timeout=timeout or None)


def _build_options(
    links: str | None,
    citation_style: str,
    citation_locale: str,
    page_size: str,
    pdf_variant: str,
    style: str | None,
    allow_network: bool,
    device: str | None,
) -> WriteOptions:
    return WriteOptions(
        links=LinkPolicy(links) if links else None,
        page_size=page_size,
        pdf_variant=pdf_variant,
        citation_style=citation_style,
        citation_locale=citation_locale,
        stylesheet=_stylesheet(style),
        sandbox=Sandbox(allow_network=allow_network, device=device_profile(device) if device else None),
    )


def _device_summary(options: WriteOptions) -> str | None:
    """What ``--device`` did to the run's images, when it was given and met any."""
    device = options.sandbox.device
    return device.tally.summary(device.name) if device is not None and device.tally.before else None


def _citation_style(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return check_citation_style(value)
    except CitationStyleError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _byte_size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    try:
        return None if value is None else parse_since(value, build_time())
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _citation_locale(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return check_locale(value)
    except CitationStyleError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _build_web(
    offline: bool,
    no_images: bool,
    allow_private: bool,
    allow_hosts: tuple[str, ...],
    cache_dir: Path | None,
    network_timeout: float | None,
) -> WebOptions:
    fetcher = Fetcher(offline=offline, allow_private=allow_private, allowed_hosts=frozenset(allow_hosts))
    if network_timeout is not None:
        fetcher.timeout = network_timeout
    if cache_dir is not None:
        fetcher.cache_dir = cache_dir
    return WebOptions(fetcher, images=not no_images)


reader_options = option_group(setting_options(declared("inspect", Group.READING)), "reading", _build_reading)
output_options = option_group(
    setting_options(
        declared("convert", Group.WRITING), {"citation_style": _citation_style, "citation_locale": _citation_locale}
    ),
    "options",
    _build_options,
)
network_options = option_group(setting_options(declared("convert", Group.NETWORK)), "web", _build_web)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tearsheet")
def cli() -> None:
    """Turn articles into PDF, EPUB and DOCX that keep every source link.

    \b
    Examples:
      tearsheet convert article.md page.html --to pdf,epub -o out/
      tearsheet collect articles/*.md -o weekly.epub --title "Weekly reading"
      tearsheet COMMAND --help                 # each command's options and examples

    \b
    Shell completion (bash; also zsh_source, fish_source):
      eval "$(_TEARSHEET_COMPLETE=bash_source tearsheet)"    # in ~/.bashrc
    """


NAMING_HELP = """Output names: the input's stem where no other output of the run (and no input) has
it; else <parent folder>-<stem>; else <parent folder>-<stem>-<slug of the title>; last -2, -3…
in input order. A URL is named by the slug of its title. No output ever replaces an input."""


def _writer_suffixes(formats: list[str]) -> list[str]:
    from convert.writers import available

    return [available()[fmt].suffix for fmt in formats]


def _destination(output: Path, suffixes: list[str], count: int) -> Destination:
    from convert.writers import available

    try:
        return destination(output, suffixes, count, (cls.suffix for cls in available().values()))
    except NamingError as exc:
        raise click.BadParameter(str(exc), param_hint="'-o' / '--output'") from None


def _inferred_formats(ctx: click.Context, formats: str, output: Path) -> str:
    """Without --to, ``-o page.epub`` asks for an EPUB."""
    from convert.writers import available

    if ctx.get_parameter_source("formats") is not click.core.ParameterSource.DEFAULT or output.is_dir():
        return formats
    by_suffix = {cls.suffix: name for name, cls in available().items()}
    return by_suffix.get(output.suffix.lower(), formats)


@cli.command(epilog=NAMING_HELP)
@click.argument("inputs", nargs=-1, required=True)
@apply(setting_options(declared("convert", Group.RUN)))
@output_options
@network_options
@reader_options
@click.pass_context
def convert(
    ctx: click.Context,
    inputs: tuple[str, ...],
    formats: str,
    output: Path,
    name_template: str | None,
    jobs: int | None,
    cite_export: bool,
    options: WriteOptions,
    web: WebOptions,
    reading: ReadOptions,
) -> None:
    """Convert each INPUT (a file or an http(s) URL) to DIR/<name>.<format>.

    A URL is fetched (naming it allows fetching that page and its images).

    \b
    Examples:
      tearsheet convert article.md page.html --to pdf,epub,docx -o out/
      tearsheet convert saved/*/index.html -o pdfs/          # pdfs/<folder>-index.pdf, one each
      tearsheet convert page.html -o page.epub               # exactly that file
      tearsheet convert notes/*.md --name "{date}-{slug}" -o out/
      tearsheet convert https://example.org/news/story --to pdf
    """
    names = _formats(_inferred_formats(ctx, formats, output))
    suffixes = _writer_suffixes(names)
    where = _destination(output, suffixes, len(inputs) * len(names))
    if where.file is not None and name_template is not None:
        raise click.UsageError("-o FILE names the output itself; --name needs -o DIR")
    if cite_export:
        suffixes += [".csl.json", ".bib"]
    try:
        if where.file is not None:
            refuse_input_as_output(where.file, [Path(s) for s in inputs if not is_url(s)])
        run_names = RunNames(inputs, suffixes, where.folder, name_template)
    except NamingError as exc:
        raise click.UsageError(str(exc)) from None
    run = ConvertRun(tuple(names), where.folder, options, web, reading, cite_export)
    with exiting_when_stopped("the files written before are kept", where.folder), Progress() as progress:
        progress.start("converting", len(inputs))
        outcome = convert_inputs(
            inputs,
            run,
            run_names,
            jobs or default_jobs(),
            file_stem=where.file.stem if where.file is not None else None,
            echo=progress.echo,
            advance=progress.advance,
        )
        if saved := _device_summary(options):
            progress.echo(saved)
    _exit(outcome)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@apply(
    setting_options(
        (s for s in declared("collect") if s.group in (Group.RUN, Group.BOOK)),
        {"since": _since, "max_size": _byte_size},
    )
)
@output_options
@network_options
@reader_options
def collect(
    inputs: tuple[Path, ...],
    output: Path,
    formats: str | None,
    title: str,
    author: str,
    feed_urls: tuple[str, ...],
    urls_file: Path | None,
    since: dt.datetime | None,
    limit: int | None,
    order: str,
    sections_from: str | None,
    toc_depth: int,
    jobs: int | None,
    cite_export: bool,
    cover_file: Path | None,
    max_size: int,
    state_file: Path | None,
    options: WriteOptions,
    web: WebOptions,
    reading: ReadOptions,
) -> None:
    """Bind articles — files, a feed's entries, listed URLs — into one EPUB (or PDF).

    Each article is a chapter with its own header and citation footer.

    \b
    Examples:
      tearsheet collect articles/*.md pages/*.html -o weekly.epub --title "Weekly reading" --order date
      tearsheet collect --feed https://example.org/atom.xml --max-per-feed 20 -o feed.epub --title "The feed"
      tearsheet collect --feed URL1 --feed URL2 --since 7d -o week.epub --title "This week"
    """
    if not (inputs or feed_urls or urls_file):
        raise click.UsageError("give INPUT files, --feed URL or --urls FILE")
    if (since is not None or limit is not None) and not feed_urls:
        flag = "--since" if since is not None else "--max-per-feed (--limit)"
        raise click.UsageError(f"{flag} applies to --feed entries; give --feed URL")
    targets = _book_targets(
        output, formats, title, [*inputs, *([urls_file] if urls_file else []), *([state_file] if state_file else [])]
    )
    if sections_from is None:
        sections_from = "feeds" if len(feed_urls) > 1 else "none"
    spec = CollectionSpec(title, author, order, sections_from, toc_depth, cover_file)
    network = options.sandbox.allow_network or bool((feed_urls or urls_file) and web.images)
    # naming a feed or URLs allows fetching their pages' images, through the same checked client
    options = replace(options, sandbox=replace(options.sandbox, allow_network=network, fetcher=web.fetcher))
    outcome = Outcome()
    try:
        if cover_file is not None:
            read_cover(cover_file)  # a cover that is no image fails before anything is read
        state = DigestState.load(state_file) if state_file else None
    except TearsheetError as exc:
        _error(str(exc), reading.debug)
        sys.exit(EXIT_USAGE)
    with (
        exiting_when_stopped(
            lambda: "the books written before are kept" if outcome.written else "no book was written",
            targets[0].parent,
        ),
        _reporting(str(targets[0]), outcome, reading.debug),
        Progress() as progress,
        SharedWarmPool() as shared_pool,
    ):
        progress.start("reading", len(inputs))
        loaded, failed = load_files(
            list(inputs),
            reading.context,
            jobs,
            input_format=reading.input_format,
            extract=reading.extract,
            timeout=reading.timeout,
            on_read=progress.advance,
            pool=shared_pool,
        )
        items = web_items(feed_urls, urls_file, web.fetcher, since, limit)
        known = [item for item in items if state and state.knows_link(item_link(item))]  # not fetched again
        items = [item for item in items if item not in known]
        if items:
            progress.start("fetching", None)
            fetched, fetch_failed = load_web(items, web.fetcher, reading.context)
            loaded, failed = loaded + fetched, failed + fetch_failed
        for source, reason in failed:
            reporter.write(f"tearsheet: error: {source}: {reason}")
            outcome.failed.append(source)
        if state is not None:
            loaded, held = state.new_only(loaded)
            if known or held:
                count = plural(len(known) + len(held), "article")
                progress.echo(f"left out {count} already in an earlier book ({state.path})")
            if not loaded and not failed:
                progress.echo("nothing new: no book written")
                return
        pdf_book = any(t.suffix.lower() == ".pdf" for t in targets)
        pooled = jobs != 1 and len(loaded) >= (2 if pdf_book else SERIAL_BELOW)
        # a PDF's articles are laid out, and an EPUB's chapters rendered, in the warm workers a build uses
        # (those that read them, if they did)
        workers = shared_pool.get(min(jobs or default_jobs(), len(loaded))) if pooled else None
        for target in targets:
            progress.start(f"binding {target.name}", None)
            results = bind_volumes(loaded, failed, target, spec, options, max_size, workers)
            reporter.summarize()  # the articles' missing images before the book they are missing from
            for result in results:
                outcome.written.append(result.path)
                progress.echo(f"wrote {result.path} ({plural(result.articles, 'article')})")
        if saved := _device_summary(options):
            progress.echo(saved)
        documents = tuple(doc for result in results for doc in result.documents)
        if cite_export:  # one bibliography of every article in the book, beside it
            for path in write_citation_files(documents, target.parent, target.stem, options):
                progress.echo(f"wrote {path}")
        if state is not None:  # every book is written: now the memory may say they were
            state.remember(documents, results[0].path).save()
    _exit(outcome)


def _book_targets(output: Path, formats: str | None, title: str, inputs: list[Path]) -> list[Path]:
    """The books ``collect`` writes: ``-o BOOK.epub``, or one per ``--to`` format in the folder ``-o`` names."""
    from convert.writers import book_writers

    books = {name: cls.suffix for name, cls in book_writers().items()}
    by_suffix = {suffix: name for name, suffix in books.items()}
    if formats is None:
        formats = by_suffix.get(output.suffix.lower(), "epub") if not output.is_dir() else "epub"
    names = _formats(formats)
    if unknown := [n for n in names if n not in books]:
        raise click.BadParameter(
            f"a collection is written as {' or '.join(books)}, not {unknown[0]}", param_hint="--to"
        )
    where = _destination(output, [books[n] for n in names], len(names))
    stem = slug(Document(meta=Meta(title=title), blocks=()), "collection")
    targets = [where.file] if where.file is not None else [where.folder / f"{stem}{books[n]}" for n in names]
    try:
        for target in targets:
            refuse_input_as_output(target, inputs)
    except NamingError as exc:
        raise click.UsageError(str(exc)) from None
    return targets


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The normalized Document as JSON (the default).")
@click.option("--text", "as_text", is_flag=True, help="The body as plain text, one block a paragraph.")
@click.option("--removed", "as_removed", is_flag=True, help="What the normalizer removed, and by which rule.")
@reader_options
def inspect(source: Path, as_json: bool, as_text: bool, as_removed: bool, reading: ReadOptions) -> None:
    """Print the normalized model of SOURCE: as JSON (the default), as text, or what was removed.

    \b
    Examples:
      tearsheet inspect article.md --json | jq .meta
      tearsheet inspect page.html --text
      tearsheet inspect page.html --removed
    """
    chosen = [flag for flag, on in (("--json", as_json), ("--text", as_text), ("--removed", as_removed)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be used together; choose one")
    outcome = Outcome()
    with _reporting(str(source), outcome, reading.debug), time_limit(reading.timeout, source=str(source)):
        doc = reading.load(source)
        if as_text:
            for block in doc.blocks:
                text = " ".join(plain_text((block,)).split())
                if text:
                    click.echo(text + "\n")
        elif as_removed:
            for removal in doc.removed:
                click.echo(f"[{removal.rule}] {removal.text}")
            if not doc.removed:
                click.echo("nothing removed")
        else:
            click.echo(to_json(doc))
        outcome.written.append(source)
    _exit(outcome)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The catalogue file (default: FOLDER/{CATALOG_NAME}).",
)
@click.option("--title", default="", help="The catalogue's title (default: the folder's name).")
def catalog(folder: Path, output: Path | None, title: str) -> None:
    """Write an OPDS 1.2 catalogue (Atom) of every EPUB and PDF in FOLDER, for e-reader apps.

    Titles, authors, dates, covers and sizes come from each book's metadata; covers go to
    FOLDER/covers/. Serve FOLDER from any static web server and point KOReader or Thorium at the
    catalogue's URL.

    \b
    Example:
      tearsheet catalog dist/ && python -m http.server -d dist/   # http://HOST:8000/catalog.xml
    """
    setup_logging(debug=False)
    try:
        path, count, failed = write_catalog(folder, output, title)
    except TearsheetError as exc:
        _error(str(exc), debug=False)
        sys.exit(EXIT_USAGE)
    for book, reason in failed:
        click.echo(f"tearsheet: error: {book}: {reason}", err=True)
    click.echo(f"wrote {path} ({plural(count, 'book')})")
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@cli.command()
def formats() -> None:
    """List the input formats and the writers found.

    \b
    Example:
      tearsheet formats
    """
    from convert.readers import EXTENSIONS
    from convert.readers.pandoc import reader_formats
    from convert.writers import available

    click.echo("writers:")
    for name, cls in sorted(available().items()):
        click.echo(f"  {name:<6} {cls.suffix:<6} {cls.__module__}.{cls.__qualname__}")
    click.echo("inputs by extension:")
    for ext, fmt in sorted(EXTENSIONS.items()):
        click.echo(f"  {ext:<10} {fmt}")
    click.echo("any pandoc reader with --from: " + ", ".join(reader_formats()))


for command in (build, init, check):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="tearsheet")
