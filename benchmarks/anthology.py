"""Benchmark: a PDF anthology (and an EPUB) of N generated articles: time, and peak memory of the largest process.

Run on demand:  .venv/bin/python benchmarks/anthology.py [--articles 100,400] [--jobs 2] [--formats pdf,epub]

Each (size, format) is bound by ``tearsheet collect`` in a fresh process, so one's peak memory
does not hide the next's; sizes are interleaved over ``--rounds``. Prints each run (wall time, CPU
time of the command and its workers, peak memory of the largest), then the largest size's time and
CPU time over the smallest's against their ratio of articles (linear growth: the same ratio; the
target for 400 over 100 is ≤ 4.4).
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
    """``tearsheet collect`` of the first ``count`` articles in a child process: seconds, CPU seconds, peak MB."""
    sources = sorted(folder.glob("*.md"))[:count]
    target = folder.parent / f"book-{count}.{fmt}"
    command = [str(Path(sys.executable).parent / "tearsheet"), "collect", *map(str, sources)]
    command += ["-o", str(target), "--title", f"{count} articles", "--jobs", str(jobs)]
    code = (
        "import ctypes, os, resource, subprocess, sys, json, time\n"
        # Linux: a subreaper, so the workers a forkserver started come back here when it is left
        # behind, and their time and memory are counted in RUSAGE_CHILDREN once reaped
        "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "seconds = time.perf_counter() - start\n"
        "while True:\n"
        "    try:\n"
        "        os.wait()\n"
        "    except ChildProcessError:\n"
        "        break\n"
        "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "peak, cpu = used.ru_maxrss / 1024, used.ru_utime + used.ru_stime\n"
        "print(json.dumps({'code': done.returncode, 'seconds': seconds, 'peak_mb': peak, 'cpu': cpu,"
        " 'err': done.stderr.decode()[-500:]}))\n"
    )
    # RUSAGE_CHILDREN of this small parent: the largest of the command and its workers, and their CPU time
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
    return {
        "seconds": result["seconds"],
        "cpu": result["cpu"],
        "peak_mb": result["peak_mb"],
        "pages": pages,
        "load": load,
    }


def growth(small: list[float], large: list[float]) -> float:
    return statistics.median(large) / statistics.median(small)


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
                        f"{fmt:4} {count:5} articles  {run['seconds']:7.1f} s  CPU {run['cpu']:7.1f} s"
                        f"  peak {run['peak_mb']:5.0f} MB{pages}"
                        f"  (load average {run['load']:.1f})",
                        flush=True,
                    )
    small, large = min(sizes), max(sizes)
    for fmt in formats:
        if small == large:
            continue
        # CPU time: what the load of a shared machine leaves out of the wall time
        time_ratio, cpu_ratio = (
            growth([r[key] for r in runs[small, fmt]], [r[key] for r in runs[large, fmt]]) for key in ("seconds", "cpu")
        )
        print(
            f"{fmt}: {large} / {small} articles: time × {time_ratio:.2f}, CPU × {cpu_ratio:.2f}"
            f" (articles × {large / small:.1f})"
        )
    print(f"this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; {time.ctime()}")


if __name__ == "__main__":
    main()
