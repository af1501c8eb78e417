"""Batch builds for CI: a manifest, warm parallel workers, a cache, reports and a check gate.

    manifest = load_manifest(Path("tearsheet.toml"))
    report = run_build(manifest, BuildOptions(jobs=4))

The click commands (``build``, ``init``, ``check``) are in ``convert.batch.commands``.
"""

from __future__ import annotations

from convert.batch.check import CheckResult, check_file, check_files
from convert.batch.manifest import Manifest, ManifestError, find_manifest, load_manifest
from convert.batch.plan import Shard, plan
from convert.batch.runner import BuildOptions, BuildReport, Item, Status, run_build

__all__ = [
    "BuildOptions",
    "BuildReport",
    "CheckResult",
    "Item",
    "Manifest",
    "ManifestError",
    "Shard",
    "Status",
    "check_file",
    "check_files",
    "find_manifest",
    "load_manifest",
    "plan",
    "run_build",
]
