"""What the corpus benchmarks share: the corpus arguments and the even / odd halves, the systems to run and
whether their libraries are installed, and the worker processes with their time limit per page.

Not a benchmark itself. The benchmarks import it as a sibling module (``import _common as common``): a
script's folder is the first entry of ``sys.path`` whatever the working directory, as it is for mypy,
which looks for imports beside the files it is given.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import signal
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from multiprocessing.pool import Pool
from pathlib import Path
from types import FrameType
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
PAGE_SECONDS = 120  # a page that takes longer counts as a crash
HALVES = (("even", 0), ("odd", 1))  # rules are developed on one half of the pages and confirmed on the other

T = TypeVar("T")


def add_corpus_arguments(parser: argparse.ArgumentParser, systems: Sequence[str], default: Sequence[str]) -> None:
    """The corpus folder, ``--jobs``, ``--limit``, ``--half`` and ``--systems`` (of ``systems``)."""
    parser.add_argument("corpus", type=Path, help="folder with evaldata.json and pages/")
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2))
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages with a file (0: all)")
    parser.add_argument("--half", choices=[half for half, _ in HALVES], help="only the even- or odd-numbered pages")
    parser.add_argument("--systems", default=",".join(default), help=f"comma-separated, of {', '.join(systems)}")


def numbered(items: Sequence[T], limit: int, half: str | None) -> list[tuple[int, T]]:
    """The first ``limit`` items (0: all), numbered from 0; only the even- or odd-numbered ones if ``half``."""
    pairs = list(enumerate(items[:limit] if limit else items))
    if half:
        parity = dict(HALVES)[half]
        pairs = [(k, item) for k, item in pairs if k % 2 == parity]
    return pairs


def library_version(package: str) -> str:
    """The installed version of a distribution, "" when it is not installed."""
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def chosen_systems(
    parser: argparse.ArgumentParser, requested: str, systems: Sequence[str], libraries: Mapping[str, str]
) -> tuple[str, ...]:
    """The systems of a comma-separated ``--systems``; one whose library is not installed is left out, with a
    note, and the others still run."""
    chosen = tuple(s.strip() for s in requested.split(",") if s.strip())
    if unknown := set(chosen) - set(systems):
        parser.error(f"unknown system(s): {', '.join(sorted(unknown))}")
    missing = [s for s in chosen if s in libraries and not library_version(libraries[s])]
    for system in missing:
        print(f"{system}: left out, {libraries[system]} is not installed (pip install -e '.[bench]')")
    return tuple(s for s in chosen if s not in missing)


def _timeout(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"took over {PAGE_SECONDS} s")


def _init_worker() -> None:
    logging.disable(logging.CRITICAL)  # the reader's warnings are not the benchmark's output
    signal.signal(signal.SIGALRM, _timeout)
    sys.path.insert(0, str(ROOT))


def worker_pool(jobs: int) -> Pool:
    """``jobs`` forked processes (the modules loaded before stay loaded: every page sees the same code)."""
    return multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker, maxtasksperchild=50)


@contextmanager
def page_time_limit() -> Iterator[None]:
    """In a worker: a TimeoutError when the block takes over ``PAGE_SECONDS``."""
    signal.alarm(PAGE_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
