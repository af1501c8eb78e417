"""Faults during a build: unreadable inputs, unwritable places, long names, and builds killed part-way (#22)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convert.batch.commands import build
from convert.batch.local_pool import BUILD_MARK
from tests.batch.processes import interrupt, session_gone, session_left
from tests.batch.project import generated_article, invoke, read_json

EPOCH = "1700000000"


def _project(root: Path, articles: int, formats: str = '["pdf", "epub", "docx"]') -> Path:
    (root / "articles").mkdir(parents=True)
    for k in range(1, articles + 1):
        (root / "articles" / f"a{k:02d}.md").write_text(generated_article(k), encoding="utf-8")
    path = root / "tearsheet.toml"
    path.write_text(f'[build]\ninputs = ["articles/*.md"]\nformats = {formats}\noutput = "dist"\n', encoding="utf-8")
    return path


def _outputs(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if p.is_file()}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_input_fails_alone(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", 2, '["epub"]')
    (manifest.parent / "articles" / "a01.md").chmod(0)
    run = invoke(build, manifest, "-j", "1")
    assert run.code == 1
    assert (manifest.parent / "dist" / "a02.epub").is_file()
    assert "articles/a01.md: cannot read it: Permission denied" in run.stderr


def test_an_input_the_cache_cannot_hash_is_built_and_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import convert.batch.cache as cache

    manifest = _project(tmp_path / "p", 2, '["epub"]')
    real = cache.file_sha256

    def unreadable(path: Path) -> str:
        if path.name == "a01.md":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(cache, "file_sha256", unreadable)
    run = invoke(build, manifest, "-j", "1")
    assert run.code == 0, run.stderr
    assert {"a01.epub", "a02.epub"} <= set(_outputs(manifest.parent / "dist"))


def test_unwritable_reports_and_cache_are_one_line_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import convert.batch.cache as cache

    manifest = _project(tmp_path / "p", 1, '["epub"]')
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    real = cache.write_atomic

    def full_disk(path: Path, data: bytes) -> None:
        if path.name == "index.json":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(cache, "write_atomic", full_disk)
    run = invoke(build, manifest, "-j", "1", "--report", blocked / "r.json", "--junit", blocked / "j.xml")

    assert run.code == 1
    assert f"tearsheet: error: {blocked / 'r.json'}: cannot write the report: " in run.stderr
    assert f"tearsheet: error: {blocked / 'j.xml'}: cannot write the report: " in run.stderr
    assert "cache index not saved (No space left on device)" in run.stderr
    assert "Traceback" not in run.stderr and (manifest.parent / "dist" / "a01.epub").is_file()


def test_a_read_only_output_folder_fails_each_output_in_one_line(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", 1, '["epub"]')
    dist = manifest.parent / "dist"
    dist.mkdir()
    dist.chmod(0o500)
    try:
        run = invoke(build, manifest, "-j", "1")
    finally:
        dist.chmod(0o700)
    if os.geteuid() == 0:
        assert run.code == 0  # root writes anyway; what matters is no traceback
    else:
        assert run.code == 1 and "cannot write it: Permission denied" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_file_name_near_the_limit_is_written(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", 0, '["epub", "docx"]')
    name = "n" * 246 + ".md"  # 248 characters: its .epub and .docx are 250
    (manifest.parent / "articles" / name).write_text(generated_article(1), encoding="utf-8")
    run = invoke(build, manifest, "-j", "1")
    assert run.code == 0, run.stderr
    assert {p.name for p in (manifest.parent / "dist").iterdir() if p.is_file()} == {
        "n" * 246 + ".epub",
        "n" * 246 + ".docx",
    }


class _BuildKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs in the build process (its cache index is never saved)."""


def _killed_after_first_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build process dies as the first job's result reaches it, before it records or saves anything."""
    import convert.batch.runner as runner
    from convert.batch.cache import BuildCache

    def dies(*args: object) -> None:
        raise _BuildKilled

    monkeypatch.setattr(runner, "_record", dies)
    monkeypatch.setattr(BuildCache, "save", lambda self: None)


def _report(manifest: Path, *args: str) -> dict[str, str]:
    """A build's status of each output, by output name."""
    report = manifest.parent / "report.json"
    run = invoke(build, manifest, "-j", "1", "--report", report, *args)
    assert run.code == 0, run.stderr
    return {Path(o["output"]).name: o["status"] for o in read_json(report)["outputs"]}


def test_a_job_finished_before_the_build_was_killed_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _project(tmp_path / "p", 2, '["epub", "docx"]')
    with monkeypatch.context() as killed:
        _killed_after_first_job(killed)
        with pytest.raises(_BuildKilled):
            invoke(build, manifest, "-j", "1")
    finished = {p.name for p in (manifest.parent / "dist").iterdir() if p.is_file()}
    assert len(finished) == 2  # the first job's two formats; the second job never started

    statuses = _report(manifest)

    assert {name for name, status in statuses.items() if status == "cached"} == finished
    assert sorted(statuses.values()) == ["built", "built", "cached", "cached"]


def test_a_finished_record_is_never_served_for_an_output_that_is_not_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _project(tmp_path / "p", 1, '["epub"]')
    with monkeypatch.context() as killed:
        _killed_after_first_job(killed)
        with pytest.raises(_BuildKilled):
            invoke(build, manifest, "-j", "1")
    output = manifest.parent / "dist" / "a01.epub"
    output.write_bytes(output.read_bytes()[:1000])  # cut short, as a half-copied file would be
    finished = manifest.parent / "dist" / ".tearsheet-cache" / "finished"
    (finished / "junk.json").write_bytes(b'{"k": {"output": "a01.ep')  # not JSON: ignored

    assert _report(manifest) == {"a01.epub": "built"}
    assert list(finished.iterdir()) == []  # taken into the index, then removed
    assert _report(manifest) == {"a01.epub": "cached"}


def _start(manifest: Path, tmp: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(tmp)}
    command = [sys.executable, "-m", "convert", "build", str(manifest), "-j", "2", "-q"]
    return subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.PIPE)


def _wait_for_outputs(running: subprocess.Popen[bytes], dist: Path, count: int) -> None:
    """Until the running build has written ``count`` outputs (it must not end first)."""
    deadline = time.monotonic() + 120
    while not (dist.is_dir() and len([p for p in dist.iterdir() if not p.name.startswith(".")]) >= count):
        if running.poll() is not None:
            stderr = running.stderr.read().decode(errors="replace") if running.stderr else ""
            raise AssertionError(f"the build ended ({running.returncode}) before it was stopped: {stderr[-2000:]}")
        assert time.monotonic() < deadline, "the build wrote too few outputs in 120 s"
        time.sleep(0.2)


def test_a_build_runs_under_a_temporary_folder_too_deep_for_a_socket(tmp_path: Path) -> None:
    """multiprocessing's forkserver listens on a socket in TMPDIR; past AF_UNIX's ~100 bytes the build
    starts its workers afresh instead of failing with "AF_UNIX path too long"."""
    manifest = _project(tmp_path / "p", 2, '["epub"]')
    deep = tmp_path / ("t" * 60) / ("m" * 60)
    deep.mkdir(parents=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(deep)}
    command = [sys.executable, "-m", "convert", "build", str(manifest), "-j", "2", "-q"]
    done = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert sorted(_outputs(manifest.parent / "dist")) == ["a01.epub", "a02.epub"]


def _build_under_way(tmp_path: Path, scratch: Path, outputs: int) -> tuple[subprocess.Popen[bytes], Path]:
    """A 16-article build in a child process, TMPDIR ``scratch``, once ``outputs`` files are written."""
    manifest = _project(tmp_path / "p", 16)
    dist = manifest.parent / "dist"
    running = _start(manifest, scratch)
    _wait_for_outputs(running, dist, outputs)
    return running, dist


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_build_exits_promptly_and_leaves_nothing_behind(signum: int, tmp_path: Path, scratch: Path) -> None:
    running, dist = _build_under_way(tmp_path, scratch, 6)

    code, seconds, stderr = interrupt(running, signum)

    assert code == 128 + signum, stderr
    assert seconds < 15
    assert b"Traceback" not in stderr
    assert session_gone(running.pid) == []
    assert list(scratch.iterdir()) == []
    assert not [p.name for p in dist.iterdir() if p.name.endswith(".part")]
    entries = json.loads((dist / ".tearsheet-cache" / "index.json").read_text())["entries"].values()
    recorded = {o["name"] for e in entries for o in e["outputs"]}
    # What finished before the signal is recorded (and intact); a job cut off part-way wrote whole
    # files only, which the next build makes again.
    present = {p.name for p in dist.iterdir() if p.is_file()}
    assert recorded and recorded <= present


def test_a_build_killed_outright_leaves_nothing_behind_and_its_finished_jobs_are_reused(
    tmp_path: Path, scratch: Path
) -> None:
    running, dist = _build_under_way(tmp_path, scratch, 9)  # 2 workers: at least one whole job of 3 outputs

    running.kill()  # SIGKILL: the build process can do nothing about it
    running.wait()

    gone_by = time.monotonic() + 15
    while (session_left(running.pid) or list(scratch.iterdir())) and time.monotonic() < gone_by:
        time.sleep(0.2)
    left = session_left(running.pid)
    for line in left:  # never leave them to the rest of the suite
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert left == []
    assert [p.name for p in scratch.iterdir()] == []  # multiprocessing's pymp-* folder too
    assert not [p.name for p in dist.iterdir() if p.name.endswith(".part")]
    written = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}

    # A folder a build killed between its pools left (no worker saw it go), and one not a build's.
    (scratch / "pymp-killed").mkdir()
    (scratch / "pymp-killed" / BUILD_MARK).write_text(str(_reaped_pid()), encoding="ascii")
    (scratch / "pymp-not-ours").mkdir()
    report = tmp_path / "again.json"
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "convert",
            "build",
            str(dist.parent / "tearsheet.toml"),
            "-j",
            "2",
            "-q",
            "--report",
            str(report),
        ],
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(scratch)},
        capture_output=True,
        check=False,
    )

    assert again.returncode == 0, again.stderr
    cached = [Path(o["output"]).name for o in read_json(report)["outputs"] if o["status"] == "cached"]
    assert len(cached) >= 3
    assert all((dist / name).read_bytes() == written[name] for name in cached)
    assert [p.name for p in scratch.iterdir()] == ["pymp-not-ours"]


def _reaped_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_builds_killed_at_random_points_then_rerun_equal_a_clean_build(tmp_path: Path) -> None:
    clean = _project(tmp_path / "clean", 8)
    assert (
        subprocess.run(
            [sys.executable, "-m", "convert", "build", str(clean), "-q"],
            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
            check=False,
        ).returncode
        == 0
    )
    expected = _outputs(clean.parent / "dist")

    manifest = _project(tmp_path / "killed", 8)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    chance = random.Random(22)
    for _ in range(3):
        running = _start(manifest, scratch)
        time.sleep(chance.uniform(1.0, 8.0))
        if running.poll() is None:
            interrupt(running, chance.choice([signal.SIGTERM, signal.SIGINT]))
    again = subprocess.run(
        [sys.executable, "-m", "convert", "build", str(manifest), "-q"],
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
    )
    assert again.returncode == 0
    assert _outputs(manifest.parent / "dist") == expected
    shutil.rmtree(scratch)
