"""The ``build``, ``init`` and ``check`` commands; ``convert.cli`` registers them on its group.

Exit codes: 0 everything built (or fine); 1 some outputs failed or have
problems, the rest still written; 2 a usage or manifest error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

import click

from convert.ace import find_ace
from convert.batch.check import CheckUnavailable, check_files, outputs_in, require_checkers
from convert.batch.display import BarDisplay, LineDisplay, Verbosity
from convert.batch.executor import Executor, ExecutorUnavailable, ExtraMissing
from convert.batch.executors import open_executor
from convert.batch.manifest import EXECUTORS, MANIFEST_NAME, Manifest, ManifestError, find_manifest, load_manifest
from convert.batch.plan import Shard
from convert.batch.report import (
    build_json,
    check_summary,
    checks_json,
    junit_xml,
    summary_lines,
    to_json_bytes,
)
from convert.batch.runner import BuildOptions, default_jobs, run_build
from convert.batch.signals import exiting_when_stopped
from convert.click_options import option_group
from convert.errors import TearsheetError
from convert.output import write_atomic
from convert.reporting import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, log, plural, setup_logging

STARTER = Path(__file__).with_name("starter.toml")


def _fail(message: str) -> NoReturn:
    click.echo(f"tearsheet: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _finish(ok: bool) -> NoReturn:
    sys.exit(EXIT_OK if ok else EXIT_SOME_FAILED)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    if value is None:
        return None
    try:
        return Shard.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _verbosity(quiet: bool, verbose: bool) -> Verbosity:
    if quiet and verbose:
        raise click.UsageError("-q and -v do not go together")
    level = Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL
    setup_logging(debug=False)
    # Quiet keeps errors only, from the pipeline's logger as from the build.
    log.setLevel(logging.ERROR if quiet else logging.WARNING)
    return level


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path)


@dataclass(frozen=True, slots=True)
class Reporting:
    """How a command reports: workers for the checks, report files, verbosity."""

    jobs: int | None
    json_path: Path | None
    junit_path: Path | None
    verbosity: Verbosity

    def write(self, json_data: Callable[[], bytes], junit_data: Callable[[], bytes]) -> bool:
        """Write the reports asked for; False (each failure said in one line) if one could not be written."""
        written = True
        for path, data in ((self.json_path, json_data), (self.junit_path, junit_data)):
            if path is not None:
                try:
                    write_atomic(path, data())
                except OSError as exc:
                    click.echo(f"tearsheet: error: {path}: cannot write the report: {exc.strerror or exc}", err=True)
                    written = False
        return written


def _reporting(
    jobs: int | None, report_path: Path | None, junit_path: Path | None, quiet: bool, verbose: bool
) -> Reporting:
    return Reporting(jobs, report_path, junit_path, _verbosity(quiet, verbose))


reporting_options = option_group(
    [
        click.option("-j", "--jobs", type=click.IntRange(min=1), help="Parallel workers (default: the CPUs)."),
        click.option(
            "--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a JSON report."
        ),
        click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML."),
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
        click.option("-v", "--verbose", is_flag=True, help="Print every output, and tracebacks of failures."),
    ],
    "reporting",
    _reporting,
)


@click.command()
@click.argument("manifest", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Rebuild everything, even what the cache has.")
@click.option("--shard", metavar="K/N", callback=_shard, help="Build only the K-th of N stable parts of the work.")
@click.option("--keep-going/--fail-fast", default=True, help="Go on after a failure (default), or stop at the first.")
@click.option("--check", is_flag=True, help="Run EPUBCheck and the link audit on the outputs; problems fail the build.")
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    help="Where conversions run: processes on this machine (default) or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="The Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask; default: DASK_SCHEDULER_ADDRESS).",
)
@reporting_options
def build(
    manifest: Path | None,
    force: bool,
    shard: Shard | None,
    keep_going: bool,
    check: bool,
    executor: str | None,
    scheduler: str | None,
    reporting: Reporting,
) -> None:
    """Build everything MANIFEST asks for (default: ./tearsheet.toml, else [tool.tearsheet] in ./pyproject.toml).

    \b
    Example:
      tearsheet build --jobs 4 --report build.json --junit build.xml
      tearsheet build --scheduler tcp://10.0.0.5:8786     # on a Dask cluster; --jobs then sizes the checks
    """
    verbosity = reporting.verbosity
    if executor == "local" and scheduler:
        raise click.UsageError("--scheduler goes with --executor dask")
    try:
        loaded = load_manifest(manifest or find_manifest(Path(".")))
        if check:
            require_checkers()
        options = BuildOptions(
            force=force, shard=shard, fail_fast=not keep_going, check=check, executor=executor, scheduler=scheduler
        )
        options = replace(options, jobs=reporting.jobs) if reporting.jobs is not None else options
        with (
            exiting_when_stopped("what finished is kept and cached", loaded.output),
            _display(verbosity) as display,
            _open_executor(options, loaded) as where,
        ):
            if where.describe() and verbosity >= Verbosity.NORMAL:
                display.out(where.describe())
            report = run_build(loaded, options, display, where)
    except (ManifestError, CheckUnavailable, ExecutorUnavailable) as exc:
        _fail(str(exc))
    reported = reporting.write(
        lambda: to_json_bytes(build_json(report)), lambda: junit_xml(report, report.checks, report.shown)
    )
    if verbosity >= Verbosity.NORMAL:
        for line in summary_lines(report):
            click.echo(line)
    catalogued = _catalog(loaded, verbosity) if loaded.catalog else True
    _finish(report.ok and reported and catalogued)


def _catalog(manifest: Manifest, verbosity: Verbosity) -> bool:
    """``catalog = true``: the OPDS catalogue of everything in the output folder; False if a book was unreadable."""
    from convert.catalog import write_catalog

    try:
        path, count, failed = write_catalog(manifest.output)
    except TearsheetError as exc:  # nothing was built: no folder to list
        click.echo(f"tearsheet: error: {exc}", err=True)
        return False
    for book, reason in failed:
        click.echo(f"tearsheet: error: {_shown(book)}: {reason}", err=True)
    if verbosity >= Verbosity.NORMAL:
        click.echo(f"wrote {_shown(path)} ({plural(count, 'book')})")
    return not failed


def _open_executor(options: BuildOptions, manifest: Manifest) -> AbstractContextManager[Executor]:
    name, scheduler = options.executor_for(manifest)
    try:
        return open_executor(name, scheduler, options.jobs)
    except ExtraMissing as exc:
        chosen_here = options.executor is not None or options.scheduler is not None
        _fail(f"--executor {exc}" if chosen_here else f"{manifest.path}: build.executor: {exc}")


def _display(verbosity: Verbosity) -> LineDisplay:
    if verbosity >= Verbosity.NORMAL and sys.stderr.isatty():
        return BarDisplay(_shown, verbosity)
    return LineDisplay(_shown, verbosity)


@click.command()
@click.argument("path", default=MANIFEST_NAME, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def init(path: Path, force: bool) -> None:
    """Write a commented starter manifest to PATH (default: ./tearsheet.toml).

    \b
    Example:
      tearsheet init && tearsheet build
    """
    if path.exists() and not force:
        _fail(f"{path}: already exists (--force overwrites it)")
    write_atomic(path, STARTER.read_bytes())
    click.echo(f"wrote {path}")


@click.command()
@click.argument("outputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--accessibility",
    is_flag=True,
    help="Also Ace by DAISY on EPUBs (npm install @daisy/ace) and the PDF/UA essentials on PDFs.",
)
@reporting_options
def check(outputs: tuple[Path, ...], accessibility: bool, reporting: Reporting) -> None:
    """Validate outputs: EPUBCheck on EPUBs, the link audit on PDF, EPUB and DOCX (folders are searched).

    \b
    Examples:
      tearsheet check dist/ --junit check.xml
      tearsheet check book.epub article.pdf --accessibility
    """
    verbosity = reporting.verbosity
    try:
        require_checkers()
        if accessibility:
            find_ace()
        files = outputs_in(outputs)
    except TearsheetError as exc:
        _fail(str(exc))
    if not files:
        _fail(f"{', '.join(map(str, outputs))}: no PDF, EPUB or DOCX to check")
    display = LineDisplay(_shown, verbosity)
    results = check_files(files, reporting.jobs or default_jobs(), display.checked, accessibility)
    reported = reporting.write(
        lambda: to_json_bytes(checks_json(results, _shown)), lambda: junit_xml(None, results, _shown)
    )
    if verbosity >= Verbosity.NORMAL:
        for line in check_summary(results, _shown, problems=False):  # problems were printed as errors
            click.echo(line)
    _finish(all(r.ok for r in results) and reported)


__all__ = ["build", "check", "init"]
