"""Readers: any input pandoc understands, turned into a ``Document``.

The format comes from the file extension unless the caller names one (``files``). Web
pages go through main-content extraction first (``webpage``); everything else goes
straight to pandoc and the AST mapping (``text``).
"""

from convert.readers.files import BINARY_FORMATS, EXTENSIONS, detect_format, read
from convert.readers.text import binary_kind, decode, looks_like_html_page, read_text

__all__ = [
    "BINARY_FORMATS",
    "EXTENSIONS",
    "binary_kind",
    "decode",
    "detect_format",
    "looks_like_html_page",
    "read",
    "read_text",
]
