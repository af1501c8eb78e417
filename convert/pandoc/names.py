"""The one table of pandoc names for model values, and the pandoc-types API version both directions speak.

``reading`` looks names up here and ``writing`` reads the same tables backwards, so the two
directions cannot disagree on a name.
"""

from __future__ import annotations

from typing import Any, Literal

from convert.model import nodes as n

# The pandoc-types API the mapping is written for (pandoc 3.x). What we write says so; what pandoc
# gives us must have the same major and minor version, else constructors may have changed shape.
API_VERSION = (1, 23, 1, 1)

# Inlines that are only a wrapper around their content: pandoc constructor → model class.
SIMPLE_INLINES: dict[str, type] = {
    "Emph": n.Emph,
    "Underline": n.Underline,
    "Strong": n.Strong,
    "Strikeout": n.Strikeout,
    "Superscript": n.Superscript,
    "Subscript": n.Subscript,
    "SmallCaps": n.SmallCaps,
}
ALIGNMENTS: dict[str, n.Alignment] = {
    "AlignDefault": "default",
    "AlignLeft": "left",
    "AlignCenter": "center",
    "AlignRight": "right",
}
QUOTES: dict[str, Literal["single", "double"]] = {"SingleQuote": "single", "DoubleQuote": "double"}
MATH_DISPLAY: dict[str, bool] = {"DisplayMath": True, "InlineMath": False}


def api_version_error(ast: dict[str, Any]) -> str | None:
    """Why ``ast`` cannot be read by this mapping, or None when its API version is the one it knows."""
    version = ast.get("pandoc-api-version")
    if not isinstance(version, list) or version[:2] != list(API_VERSION[:2]):
        shown = ".".join(map(str, version)) if isinstance(version, list) else "none"
        return f"pandoc's AST has API version {shown}; Tearsheet reads {API_VERSION[0]}.{API_VERSION[1]}"
    return None
