"""The import layers hold: no cycle anywhere in ``convert/``, no import against the layers, a light model.

The layer and cycle contracts are import-linter's, in pyproject.toml (``make lint`` runs them too);
the module-level cycle check uses grimp, the import graph import-linter is built on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import convert
import convert.pipeline

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("convert")


def test_no_module_imports_another_that_imports_it_back(graph: grimp.ImportGraph) -> None:
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.append(" → ".join((importer, *back)))
    assert cycles == []


def test_the_import_linter_contracts_are_kept(tmp_path: Path) -> None:
    # layers model ← readers/normalize ← transforms ← render ← writers ← pipeline ← commands; no sibling cycles.
    # In a process of its own: import-linter changes global state (the next CLI test lost its warnings).
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(PYPROJECT), "--no-cache"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_nothing_in_the_package_imports_its_facade(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_that_directly_import("convert") == set()


def test_importing_the_model_loads_no_reader_normalizer_http_client_or_writer() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, convert.model; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ours = [name for name in loaded if name == "convert" or name.startswith("convert.")]
    assert ours and all(name.startswith(("convert.model", "convert.version")) or name == "convert" for name in ours), (
        ours
    )
    assert "requests" not in loaded and "weasyprint" not in loaded


def test_the_facade_re_exports_the_pipeline() -> None:
    assert convert.load is convert.pipeline.load
    assert convert.convert is convert.pipeline.convert
    assert all(getattr(convert, name) is not None for name in convert.__all__)
    with pytest.raises(AttributeError):
        _ = convert.no_such_name  # type: ignore[attr-defined]
