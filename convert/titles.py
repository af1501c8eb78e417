"""Where a page's title is cut into parts: the article's title, the site's name, a section, a breadcrumb's steps.

One definition for the web-page reader, which picks the headline among the parts, and the normalizer, which
takes a site's name off the title's end ("Title | The Site", "Title / The Site").
"""

from __future__ import annotations

import re

TITLE_SEPARATORS = r"\s+(?:[|–—·»:/]|-{1,2}|::)\s+"
TITLE_PARTS = re.compile(TITLE_SEPARATORS)
