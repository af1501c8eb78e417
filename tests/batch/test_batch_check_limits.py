"""``tearsheet check`` refuses a ZIP bomb with the readers' archive limits, in one line (#22)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from convert.batch.commands import check
from convert.limits import MAX_ARCHIVE_BYTES, MIB
from tests.batch.project import invoke


def _bomb(path: Path, size: int) -> Path:
    """A DOCX-shaped ZIP whose document inflates to ``size`` bytes of zeros (it packs to well under 1 MB)."""
    zeros = bytes(MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // MIB):
                member.write(zeros)
    return path


def test_check_refuses_a_docx_that_inflates_past_the_archive_limit(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.docx", MAX_ARCHIVE_BYTES + 16 * MIB)
    assert bomb.stat().st_size < MIB

    run = invoke(check, bomb)

    assert run.code == 1
    assert "unpacks to 272.0 MB (the limit is 256.0 MB)" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
