"""Images as every writer loads them: through the options' sandbox, relative to the article's source URL."""

from __future__ import annotations

from collections.abc import Callable

from convert.model import Document, Image
from convert.options import WriteOptions
from convert.render.html import ImageSource
from convert.resources import Resource


def image_loader(doc: Document, options: WriteOptions) -> Callable[[Image], Resource | None]:
    """Loads an image of ``doc`` through the sandbox; None (warned) when it is refused or missing."""

    def load(image: Image) -> Resource | None:
        return options.sandbox.load_image(image.src, doc.meta.source_url)

    return load


def data_urls(doc: Document, options: WriteOptions) -> ImageSource:
    """The ``data:`` URL of each image of ``doc`` (``ImageEmbedding.DATA_URL``); None when it cannot be loaded."""
    load = image_loader(doc, options)

    def data_url(image: Image) -> str | None:
        resource = load(image)
        return resource.data_url() if resource else None

    return data_url
