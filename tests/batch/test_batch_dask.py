"""`tearsheet build` on a Dask cluster: same bytes and report as a local build, retries when a worker dies.

The cluster is a real ``distributed.LocalCluster`` on 127.0.0.1 with two worker
processes; without the dask extra those tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from convert.batch import BuildOptions, BuildReport, Status, load_manifest, plan, run_build
from convert.batch.commands import build
from convert.batch.manifest import ManifestError
from convert.batch.outcomes import Task
from convert.batch.shipping import deliver, pack, referenced_files, run_parcel
from convert.batch.worker import run
from tests.batch.project import generated_article, invoke, read_json

EPOCH = "1700000000"
KILL_MANIFEST = '[build]\ninputs = ["articles/slow.md", "articles/generated-*.md"]\nformats = ["pdf", "epub"]\n'


def outputs(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if p.is_file()}


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON report without what differs between two good builds: timings, and the order outputs finished in."""
    outputs = sorted(({k: v for k, v in o.items() if k != "seconds"} for o in report["outputs"]), key=str)
    return {**{k: v for k, v in report.items() if k != "seconds"}, "outputs": outputs}


def write_slow_article(root: Path) -> None:
    """A long article (a few seconds of PDF): the biggest input, so it goes out first."""
    body = "\n".join(generated_article(k).split("---\n", 2)[2] for k in range(60))
    (root / "articles" / "slow.md").write_text("---\ntitle: Slow\n---\n" + body, encoding="utf-8")


# Without a cluster ------------------------------------------------------------------------------


def test_without_the_extra_the_executor_fails_with_a_hint(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = project(generated=0)
    for name in ("dask", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    monkeypatch.delitem(sys.modules, "convert.batch.dask_executor", raising=False)  # imported again, without them
    run = invoke(build, manifest, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert (run.code, run.stderr) == (
        2,
        "tearsheet: error: --executor dask needs the dask extra: pip install 'tearsheet[dask]'\n",
    )
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("[build]\n", '[build]\nexecutor = "dask"\n'))
    run = invoke(build, manifest)
    assert run.code == 2
    hint = "tearsheet.toml: build.executor: dask needs the dask extra: pip install 'tearsheet[dask]'\n"
    assert run.stderr.endswith(hint)
    assert invoke(build, manifest, "--executor", "local", "--scheduler", "tcp://127.0.0.1:1").code == 2


def test_the_manifest_names_the_executor_and_the_command_line_wins(tmp_path: Path) -> None:
    path = tmp_path / "tearsheet.toml"

    def load(build_table: str) -> Any:
        path.write_text(f'[build]\ninputs = ["*.md"]\n{build_table}', encoding="utf-8")
        return load_manifest(path)

    assert (load("").executor, load("").scheduler) == ("local", None)
    manifest = load('scheduler = "tcp://10.0.0.5:8786"\n')  # a scheduler alone means Dask
    assert (manifest.executor, manifest.scheduler) == ("dask", "tcp://10.0.0.5:8786")
    assert BuildOptions().executor_for(manifest) == ("dask", "tcp://10.0.0.5:8786")
    assert BuildOptions(executor="local").executor_for(manifest) == ("local", None)
    assert BuildOptions(scheduler="tcp://h:1").executor_for(manifest) == ("dask", "tcp://h:1")
    assert load('executor = "Dask"\n').executor == "dask"
    for table, message in [
        ('executor = "spark"\n', "build.executor: 'spark' is not one of local, dask"),
        ('executor = "local"\nscheduler = "tcp://h:1"\n', 'build.scheduler: only used with executor = "dask"'),
        ('scheduler = " "\n', "build.scheduler: must not be empty"),
    ]:
        with pytest.raises(ManifestError, match=message):
            load(table)


def test_a_parcel_carries_the_input_and_its_images_and_gives_back_the_same_bytes(
    project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    manifest = load_manifest(project(generated=0))
    (job,) = [j for j in plan(manifest).jobs if j.label == "articles/front-matter-article.md"]
    image = manifest.root / "articles" / "images" / "turbine.svg"
    assert referenced_files(job.source) == [image.resolve()]

    local = run(Task(job, ("pdf", "docx"), tmp_path / "local"))
    task = Task(job, ("pdf", "docx"), tmp_path / "shipped")
    parcel = pack(task)
    assert sorted(Path(name).name for name, _ in parcel.files) == ["front-matter-article.md", "turbine.svg"]
    outcome = deliver(run_parcel(parcel), task)

    assert outcome.task == task and outcome.deps == local.deps == ((str(image.resolve()), local.deps[0][1]),)
    assert [o.path for o in outcome.formats] == [tmp_path / "shipped" / p.name for p in (o.path for o in local.formats)]
    assert outputs(tmp_path / "shipped") == outputs(tmp_path / "local")
    assert [replace(o, path=Path(), seconds=0) for o in outcome.formats] == [
        replace(o, path=Path(), seconds=0) for o in local.formats
    ]


# On a cluster -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    import dask

    # One task per worker at a time: a killed worker takes only the task the test means it to.
    with (
        dask.config.set({"distributed.scheduler.worker-saturation": 1.0}),
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
        ) as local_cluster,
    ):
        yield local_cluster


@pytest.fixture
def observer(cluster: Any) -> Iterator[Any]:
    """A second client on the cluster, to watch it and to kill its workers."""
    import distributed

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)
        yield client


def test_a_dask_build_gives_the_bytes_and_report_of_a_local_build(
    project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cluster: Any
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    manifest = project(generated=1)
    dist = manifest.parent / "dist"
    local = invoke(build, manifest, "-j", "2", "--report", tmp_path / "local.json")
    assert local.code == 0, local.stderr
    expected = outputs(dist)
    shutil.rmtree(dist)  # the cache too: every output is made again, on the cluster

    address = cluster.scheduler_address
    remote = invoke(build, manifest, "--scheduler", address, "--report", tmp_path / "dask.json")
    assert remote.code == 0, remote.stderr
    assert f"dask: scheduler {address}, 2 workers, 2 threads; dashboard http://127.0.0.1:" in remote.stdout
    assert "0 outputs cached, 14 to build" in remote.stdout
    assert outputs(dist) == expected
    assert comparable(read_json(tmp_path / "dask.json")) == comparable(read_json(tmp_path / "local.json"))
    assert sorted(remote.stderr.splitlines()) == sorted(local.stderr.splitlines())  # the same warnings

    # The cache is consulted first: nothing goes to the cluster.
    again = invoke(build, manifest, "--executor", "dask", "--scheduler", address, "--report", tmp_path / "again.json")
    assert again.code == 0 and "14 outputs cached, 0 to build" in again.stdout


def _kill_the_worker_running_the_slow_task(observer: Any, tasks: int) -> None:
    """Wait until the first task sent (the slow one) runs alone on its worker; kill that worker's process.

    The build sends its `tasks` one after the other, and the scheduler may queue a short one behind the slow
    one on the same worker until work stealing moves it to the idle worker: killing the worker before all
    were sent and the slow one is alone would fail a short task too, as timing has it.
    """

    def slow_task_worker(dask_scheduler: Any) -> tuple[list[str], str | None]:
        ours = [ts for ts in dask_scheduler.tasks.values() if str(ts.key).startswith("tearsheet-")]
        first = min(ours, key=lambda ts: ts.priority, default=None)
        keys = [str(ts.key) for ts in ours]
        if first is None or first.state != "processing" or len(first.processing_on.processing) != 1:
            return keys, None
        return keys, str(first.processing_on.address)

    sent: set[str] = set()  # a short task may be done and forgotten before the last one is sent
    deadline = time.monotonic() + 30
    while True:
        keys, address = observer.run_on_scheduler(slow_task_worker)
        sent.update(keys)
        if address is not None and len(sent) >= tasks:
            break
        assert time.monotonic() < deadline, f"the slow task never ran alone ({len(sent)} of {tasks} tasks sent)"
        time.sleep(0.05)
    pid: int = observer.run(os.getpid, workers=[address])[address]
    os.kill(pid, signal.SIGKILL)


def _build_and_kill(project: Callable[..., Path], cluster: Any, observer: Any) -> BuildReport:
    manifest = project(generated=2, manifest=KILL_MANIFEST)
    write_slow_article(manifest.parent)
    options = BuildOptions(scheduler=cluster.scheduler_address)
    with ThreadPoolExecutor(1) as pool:
        building = pool.submit(run_build, load_manifest(manifest), options)
        _kill_the_worker_running_the_slow_task(observer, tasks=3)  # slow.md and two generated articles
        return building.result(timeout=120)


def test_a_worker_killed_mid_build_loses_no_output(
    project: Callable[..., Path], cluster: Any, observer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    report = _build_and_kill(project, cluster, observer)
    assert report.ok and report.count(Status.BUILT) == 6
    assert all(item.output.is_file() for item in report.items)
    slow = [item for item in report.items if item.job == "articles/slow.md"]
    assert [w for item in slow for w in item.warnings] == [
        "retried on the Dask cluster after 1 worker lost while running it"
    ] * 2
    assert not [(item.job, item.warnings) for item in report.items if item.job != "articles/slow.md" and item.warnings]


def test_a_task_that_fails_on_every_try_fails_its_input_alone(
    project: Callable[..., Path], cluster: Any, observer: Any
) -> None:
    cluster.scheduler.allowed_failures = 0  # one lost worker and the task is given up
    try:
        report = _build_and_kill(project, cluster, observer)
    finally:
        cluster.scheduler.allowed_failures = 3
    failed = {(item.job, item.fmt) for item in report.items if item.status is Status.FAILED}
    assert failed == {("articles/slow.md", "pdf"), ("articles/slow.md", "epub")}
    errors = {item.error.partition(": Attempted")[0] for item in report.items if item.job == "articles/slow.md"}
    assert errors == {"dask task failed: KilledWorker"}
    assert report.count(Status.BUILT) == 4 and not report.ok


def _tasks_on(observer: Any) -> int:
    """Tearsheet's tasks the scheduler still holds (queued, running or done and kept)."""

    def ours(dask_scheduler: Any) -> int:
        return sum(1 for key in dask_scheduler.tasks if str(key).startswith("tearsheet-"))

    count: int = observer.run_on_scheduler(ours)
    return count


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_dask_build_stopped_by_a_signal_stops_cleanly_and_keeps_what_finished(
    signum: int, project: Callable[..., Path], cluster: Any, observer: Any, tmp_path: Path
) -> None:
    import json
    import subprocess

    manifest = project(
        generated=16, manifest='[build]\ninputs = ["articles/generated-*.md"]\nformats = ["pdf", "epub"]\n'
    )
    dist = manifest.parent / "dist"
    command = [sys.executable, "-m", "convert", "build", str(manifest), "--scheduler", cluster.scheduler_address, "-q"]
    running = subprocess.Popen(command, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (dist.is_dir() and len([p for p in dist.iterdir() if p.suffix in (".pdf", ".epub")]) >= 4):
        assert running.poll() is None and time.monotonic() < deadline, "the build ended before it was stopped"
        time.sleep(0.1)

    running.send_signal(signum)
    try:
        _, stderr = running.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        running.kill()
        running.communicate()
        raise

    assert running.returncode == 128 + signum, stderr
    assert b"Traceback" not in stderr
    assert not [p.name for p in dist.iterdir() if p.name.endswith(".part")]
    index = json.loads((dist / ".tearsheet-cache" / "index.json").read_text(encoding="utf-8"))
    recorded = {o["name"] for entry in index["entries"].values() for o in entry["outputs"]}
    assert recorded and recorded <= {p.name for p in dist.iterdir() if p.is_file()}
    gone_by = time.monotonic() + 10  # the client cancelled what it had sent: the cluster does no more of it
    while _tasks_on(observer) and time.monotonic() < gone_by:
        time.sleep(0.2)
    assert _tasks_on(observer) == 0


def test_a_dask_build_fetches_through_the_builds_http_cache_and_builds_offline_from_it(
    tmp_path: Path, cluster: Any
) -> None:
    """The workers get the manifest's HTTP cache folder, not one of their own that goes with each task."""
    from tests.digest.feeds import article_page, atom_feed
    from tests.digest.site import serve
    from tests.digest.test_digest_feeds import chapter_titles

    manifest = tmp_path / "tearsheet.toml"
    with serve() as site:
        now = dt.datetime.now(dt.UTC)
        entries = [
            (
                f"Entry {k}",
                site.put(f"/e/{k}.html", article_page(f"Entry {k}", f"e{k}")),
                now - dt.timedelta(days=k),
                "",
            )
            for k in range(2)
        ]
        feed = site.put("/feed.xml", atom_feed("Feed", entries), "application/atom+xml")
        body = f'[build]\n\n[[collection]]\nname = "news"\ntitle = "News"\nfeeds = ["{feed}"]\n'
        body += f'allow_hosts = ["{site.host}"]\n'
        manifest.write_text(body, encoding="utf-8")
        first = invoke(build, manifest, "--scheduler", cluster.scheduler_address)
        assert first.code == 0, first.stderr
    assert (tmp_path / "dist" / ".tearsheet-cache" / "http" / "cache.sqlite").is_file()

    # The site is gone: on the cluster, the book is made again from what the first build fetched.
    (tmp_path / "dist" / "news.epub").unlink()
    manifest.write_text(body + "offline = true\n", encoding="utf-8")
    again = invoke(build, manifest, "--scheduler", cluster.scheduler_address)
    assert again.code == 0, again.stderr
    assert sorted(chapter_titles(tmp_path / "dist" / "news.epub")) == ["Entry 0", "Entry 1"]
