"""PDF through WeasyPrint, from the shared HTML renderer and ``styles/``."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, ClassVar

from convert.model import Document, Image
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import NoteStyle
from convert.render.page import render_article, render_page
from convert.styles import read_style

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse


def _data_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses all else.

    Every image was already loaded through the sandbox and inlined, so any
    other URL reaching WeasyPrint came from somewhere it must not be read.
    """
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if not url.startswith("data:"):
                raise ValueError(f"refused by the Tearsheet sandbox: {url[:80]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols=("data",), allow_redirects=False)


class PdfWriter:
    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.FOOTNOTE

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        from weasyprint import CSS, HTML  # native dependency: import on use

        def image_src(image: Image) -> str | None:
            resource = options.sandbox.load_image(image.src, doc.meta.source_url)
            return resource.data_url() if resource else None

        rendered = render_article(
            doc, options, policy=options.links or self.default_links, notes=NoteStyle.FLOAT, image_src=image_src
        )
        page = render_page(rendered, doc)
        fetcher = _data_only_fetcher()
        css = [read_style("article.css"), read_style("print.css"), f"@page {{ size: {options.page_size}; }}"]
        if options.stylesheet is not None:
            css.append(options.stylesheet.read_text(encoding="utf-8"))
        stylesheets = [CSS(string=text, url_fetcher=fetcher) for text in css]
        identifier = hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode("ascii")
        pdf = HTML(string=page, url_fetcher=fetcher).write_pdf(
            stylesheets=stylesheets, pdf_identifier=identifier, custom_metadata=True
        )
        assert isinstance(pdf, bytes)
        return pdf
