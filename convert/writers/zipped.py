"""Rewrite ZIP containers (EPUB, DOCX) so the same inputs give the same bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from convert.dates import build_time


def reproducible_zip(data: bytes, transform: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Same entries in the same order, every timestamp set to the build time.

    The build time is ``SOURCE_DATE_EPOCH`` when set. ``mimetype`` (EPUB)
    stays first and uncompressed, as the format requires. ``transform`` may
    rewrite an entry's bytes, given its name.
    """
    stamp = build_time().timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            target.writestr(entry, transform(info.filename, content) if transform else content)
    return out.getvalue()
