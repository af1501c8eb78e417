"""What a build or a check tells afterwards: the summary table, a JSON report and JUnit XML.

JUnit has one test case per input and format (suite ``tearsheet build``)
and one per output and checker (suite ``tearsheet check``), so CI pages
show each failure with its reason.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from convert.batch.check import CheckResult
from convert.batch.runner import BuildReport, Item, Status
from convert.version import __version__

Shown = Callable[[Path], str]


def check_json(result: CheckResult, shown: Shown) -> dict[str, Any]:
    return {"output": shown(result.path), "format": result.fmt, "ok": result.ok, **result.to_dict()}


def build_json(report: BuildReport) -> dict[str, Any]:
    return {
        "tearsheet": __version__,
        "manifest": str(report.manifest),
        "output": report.shown(report.out_dir),
        "shard": str(report.shard) if report.shard else None,
        "jobs": report.jobs,
        "seconds": round(report.seconds, 3),
        "ok": report.ok,
        "totals": {status.value: report.count(status) for status in Status},
        "outputs": [
            {
                "input": item.job,
                "kind": item.kind,
                "format": item.fmt,
                "output": report.shown(item.output),
                "status": item.status.value,
                "seconds": round(item.seconds, 3),
                "error": item.error or None,
                "warnings": list(item.warnings),
            }
            for item in report.items
        ],
        "checks": [check_json(c, report.shown) for c in report.checks],
    }


def checks_json(results: Sequence[CheckResult], shown: Shown) -> dict[str, Any]:
    return {
        "tearsheet": __version__,
        "ok": all(r.ok for r in results),
        "checks": [check_json(r, shown) for r in results],
    }


def to_json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _suite(name: str, cases: list[ET.Element]) -> ET.Element:
    suite = ET.Element("testsuite", name=name, tests=str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("time", f"{sum(float(c.get('time', '0')) for c in cases):.3f}")
    suite.extend(cases)
    return suite


def _build_case(item: Item) -> ET.Element:
    case = ET.Element("testcase", classname=item.job, name=item.fmt, time=f"{item.seconds:.3f}")
    if item.status is Status.FAILED:
        failure = ET.SubElement(case, "failure", message=item.error, type="build")
        failure.text = item.trace or item.error
    elif item.status is Status.SKIPPED:
        ET.SubElement(case, "skipped", message="not run: --fail-fast stopped the build")
    output = [f"{item.status.value}: {item.output.name}", *(f"warning: {w}" for w in item.warnings)]
    ET.SubElement(case, "system-out").text = "\n".join(output)
    return case


def _check_cases(result: CheckResult, shown: Shown) -> Iterable[ET.Element]:
    for checker in result.checkers:
        problems = [p.message for p in result.problems if p.checker == checker]
        seconds = result.seconds / len(result.checkers)
        case = ET.Element("testcase", classname=shown(result.path), name=checker, time=f"{seconds:.3f}")
        if problems:
            failure = ET.SubElement(case, "failure", message=problems[0], type=checker)
            failure.text = "\n".join(problems)
        yield case


def junit_xml(report: BuildReport | None, checks: Sequence[CheckResult], shown: Shown) -> bytes:
    """JUnit XML with a build suite (when there is a build) and a check suite (when there are checks)."""
    root = ET.Element("testsuites", name="tearsheet")
    if report is not None:
        root.append(_suite("tearsheet build", [_build_case(item) for item in report.items]))
    if checks:
        root.append(_suite("tearsheet check", [case for r in checks for case in _check_cases(r, shown)]))
    for key in ("tests", "failures", "skipped"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in root)))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def summary_lines(report: BuildReport) -> list[str]:
    """The table printed at the end of a build: outputs by format and status, then what failed."""
    statuses = list(Status)
    formats = sorted({item.fmt for item in report.items})
    header = f"{'format':<8}" + "".join(f"{s.value:>9}" for s in statuses) + f"{'time':>10}"
    lines = [header]
    for fmt in [*formats, "all"]:
        items = [i for i in report.items if fmt in ("all", i.fmt)]
        counts = "".join(f"{sum(1 for i in items if i.status is s):>9}" for s in statuses)
        lines.append(f"{fmt:<8}{counts}{sum(i.seconds for i in items):>8.1f} s")
    shard = f", shard {report.shard}" if report.shard else ""
    lines.append(f"wall time {report.seconds:.1f} s with {report.jobs} jobs{shard}")
    failures = dict.fromkeys((i.job, i.error) for i in report.items if i.status is Status.FAILED)
    lines += [f"failed: {job}: {error}" for job, error in failures]
    lines += check_summary(report.checks, report.shown)
    return lines


def check_summary(results: Sequence[CheckResult], shown: Shown, *, problems: bool = True) -> list[str]:
    """How many outputs were checked and how many have problems; then, unless told not to, each problem."""
    if not results:
        return []
    bad = [r for r in results if not r.ok]
    lines = [f"checked {len(results)} outputs: {len(results) - len(bad)} fine, {len(bad)} with problems"]
    if problems:
        lines += [f"problem: {shown(r.path)}: {p}" for r in bad for p in r.problems]
    return lines
