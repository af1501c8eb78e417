"""Line numbers for TOML keys, which ``tomllib`` does not report.

Good enough for error messages: it reads table headers (``[a.b]``,
``[[a]]``) and ``key =`` lines, and ignores what it does not recognise
(inline tables, dotted keys), falling back to the table's header line.
"""

from __future__ import annotations

import re

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")


def _table_name(header: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in header.split("."))


def key_line(text: str, table: str, key: str | None = None, index: int = 0) -> int | None:
    """The 1-based line of ``key`` in ``[table]``, or in the ``index``-th ``[[table]]``.

    ``table`` "" means the top level. A key that is itself a table (``[table.key]``)
    gives its header's line. Without ``key``, or when the key is not found, the
    line of the table's header; None when neither is found.
    """
    subtable = ".".join(part for part in (table, key) if part) if key else None
    current, seen = "", 0
    header_line = subtable_line = None
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _ARRAY_HEADER.match(line):
            current = _table_name(match[1])
            counts[current] = counts.get(current, -1) + 1
            seen = counts[current]
        elif match := _TABLE_HEADER.match(line):
            current, seen = _table_name(match[1]), 0
        elif key is not None and current == table and seen == index and (match := _KEY.match(line)):
            if key in match.groups():
                return number
            continue
        else:
            continue
        if current == subtable and subtable_line is None:
            subtable_line = number
        if current == table and seen == index and header_line is None:
            header_line = number
    return subtable_line or header_line
