"""Benchmark: what running a build on Dask costs against the local pool on the same cores.

Run on demand:  .venv/bin/python benchmarks/dask_batch.py [--articles 40] [--workers 1,2] [--repeat 3]

For each worker count W, the same build of N generated articles to PDF, EPUB and DOCX (every
output made, ``--force``):

- local: ``run_build`` with ``--jobs W`` (a pool of W warm processes; W = 1 works in this process);
- dask: ``run_build`` on a ``distributed.LocalCluster`` of W worker processes with one thread each,
  started beforehand, as an existing cluster would be.

Prints articles per second for each, and dask / local (target: 0.85 or more). The best of
``--repeat`` runs, taken in turns, counts; the first Dask run, which also warms the workers, is
shown apart.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from articles import write_articles
from batch import FORMATS
from batch import manifest as manifest_text

from convert.batch import BuildOptions, Status, load_manifest, run_build
from convert.batch.executor import Executor
from convert.batch.executors import open_executor
from convert.batch.local_pool import LocalPool
from convert.batch.manifest import Manifest


def timed_build(manifest: Manifest, executor: Executor) -> float:
    start = time.perf_counter()
    report = run_build(manifest, BuildOptions(jobs=executor.jobs, force=True), executor=executor)
    elapsed = time.perf_counter() - start
    assert report.count(Status.BUILT) == len(report.items), "some outputs failed"
    return elapsed


def compare(manifest: Manifest, workers: int, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds of each local and each Dask build, taken in turns so a busy moment hits both alike."""
    from distributed import LocalCluster

    local: list[float] = []
    remote: list[float] = []
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        open_executor("dask", cluster.scheduler_address, workers) as executor,
    ):
        for _ in range(repeat):
            remote.append(timed_build(manifest, executor))
            local.append(timed_build(manifest, LocalPool(workers)))
    return local, remote


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_articles(root / "articles", args.articles)
        (root / "tearsheet.toml").write_text(manifest_text(FORMATS), encoding="utf-8")
        manifest = load_manifest(root / "tearsheet.toml")
        print(f"articles  {args.articles} to pdf, epub, docx; best of {args.repeat}")
        for workers in counts:
            local, remote = compare(manifest, workers, args.repeat)
            rate_local, rate_dask = args.articles / min(local), args.articles / min(remote)
            print(
                f"{workers} worker{'s' if workers > 1 else ' '}  local {rate_local:5.2f}/s   dask {rate_dask:5.2f}/s"
                f" (first run {args.articles / remote[0]:5.2f}/s)   dask / local {rate_dask / rate_local:.2f}"
            )


if __name__ == "__main__":
    main()
