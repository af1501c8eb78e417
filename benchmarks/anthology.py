"""Benchmark: a PDF anthology (and an EPUB) of N generated articles: time, and peak memory of the largest process.

Run on demand:  .venv/bin/python benchmarks/anthology.py [--articles 100,400] [--jobs 2] [--formats pdf,epub]

Each (size, format) is bound by ``tearsheet collect`` in a fresh process, so one's peak memory
does not hide the next's; sizes are interleaved over ``--rounds``. Prints each run, then for PDF
the time of the largest size over the smallest against their ratio of articles (linear growth: the
same ratio; the target for 400 over 100 is ≤ 4.4).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from articles import write_articles


def bind_once(folder: Path, count: int, fmt: str, jobs: int) -> dict[str, float]:
    """``tearsheet collect`` of the first ``count`` articles in a child process: seconds and peak MB."""
    sources = sorted(folder.glob("*.md"))[:count]
    target = folder.parent / f"book-{count}.{fmt}"
    command = [str(Path(sys.executable).parent / "tearsheet"), "collect", *map(str, sources)]
    command += ["-o", str(target), "--title", f"{count} articles", "--jobs", str(jobs)]
    code = (
        "import resource, subprocess, sys, json, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "seconds = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'code': done.returncode, 'seconds': seconds, 'peak_mb': peak,"
        " 'err': done.stderr.decode()[-500:]}))\n"
    )
    # RUSAGE_CHILDREN of this small parent: the largest of the command and its workers
    load_before = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, check=True)
    load = (load_before + os.getloadavg()[0]) / 2  # a shared machine's load moves the time: said beside it
    result = json.loads(done.stdout)
    assert result["code"] == 0, result["err"]
    pages = 0
    if fmt == "pdf":
        import pikepdf

        with pikepdf.open(target) as pdf:
            pages = len(pdf.pages)
    target.unlink()
    return {"seconds": result["seconds"], "peak_mb": result["peak_mb"], "pages": pages, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default="100,400", help="sizes, comma-separated")
    parser.add_argument("--formats", default="pdf,epub")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sizes = [int(n) for n in args.articles.split(",")]
    formats = args.formats.split(",")
    runs: dict[tuple[int, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_articles(folder, max(sizes))
        for _ in range(args.rounds):
            for fmt in formats:
                for count in sizes:
                    run = bind_once(folder, count, fmt, args.jobs)
                    runs.setdefault((count, fmt), []).append(run)
                    pages = f", {run['pages']:.0f} pages" if run["pages"] else ""
                    print(
                        f"{fmt:4} {count:5} articles  {run['seconds']:7.1f} s  peak {run['peak_mb']:5.0f} MB{pages}"
                        f"  (load average {run['load']:.1f})",
                        flush=True,
                    )
    for fmt in formats:
        small, large = min(sizes), max(sizes)
        if small == large:
            continue
        ratio = statistics.median(r["seconds"] for r in runs[large, fmt]) / statistics.median(
            r["seconds"] for r in runs[small, fmt]
        )
        print(f"{fmt}: {large} / {small} articles: time × {ratio:.2f} (articles × {large / small:.1f})")
    print(f"this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; {time.ctime()}")


if __name__ == "__main__":
    main()
