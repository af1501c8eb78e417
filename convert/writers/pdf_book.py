"""A PDF anthology bound from one PDF per article, so the layout's memory is that of the largest article.

WeasyPrint holds a whole document in memory while it lays it out (about 2 MB an article),
so a book is not one WeasyPrint document: the front matter (cover, contents) and each article
are laid out on their own — in worker processes when the caller gives a pool — and pikepdf
binds the PDFs, for a book of many articles in a fresh process that holds nothing else (qpdf
holds all the bound book's objects until it is saved: about 0.8 MB an article). What one
document used to give, the binding gives back:

- page numbers: the articles are laid out without them; when every page count is known, one
  small WeasyPrint document per chunk of pages prints "N / total" in the same page box (the
  same stylesheets), and each of its pages is laid over the book's page of that number;
- the contents page lists the page each article starts on (laid out again if the numbers
  changed its length), and the page labels are those numbers;
- links: an article's anchors become the book's named destinations (ids are already unique
  in a book: they carry the article's slug), and a link to another article, written as
  ``BOOK_LINK + slug`` while the article is laid out alone, becomes a link to its destination;
- bookmarks: sections, then each article with the headings WeasyPrint bookmarked in it;
- tags (PDF/UA): the front matter's catalog is the book's (its language, title shown, XMP with
  the PDF/UA or PDF/A identification, output intent, attached inputs), and each article's
  structure tree joins the book's one ``Document`` element in reading order; every part's
  ``ParentTree`` keys move past the ones before it (pages' ``/StructParents`` and annotations'
  ``/StructParent`` with them), role and class maps and ID trees are merged, and the printed
  page numbers are ``/Artifact`` (pagination) content.
"""

from __future__ import annotations

import io
import multiprocessing
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

# A link to another article of the book while that article is not in the same document:
# WeasyPrint keeps it as a URI, the binding turns it into a named destination. An http(s) URL
# passes the link-scheme allow-list; ``.invalid`` (RFC 2606) never resolves, should one remain.
BOOK_LINK = "https://tearsheet.invalid/book/"
NUMBERS_CHUNK = 100  # pages of page numbers laid out at once (a WeasyPrint document: about 0.3 MB a page)
BIND_APART_FROM = 40  # articles from which a book is bound in a process of its own (one starts in about a second)


@dataclass(frozen=True, slots=True)
class BoundArticle:
    """One article's own PDF, and where its bookmarks go."""

    slug: str
    section: str
    title: str  # what a link to it says (its annotation's /Contents)
    pdf: bytes


# Makes the PDF of the page numbers ``first``…``last`` (1-based) of ``total``.
NumberPages = Callable[[int, int, int], bytes]
# Makes the front matter given each article's first page (1-based, in the book); None: any numbers, to count pages.
FrontMatter = Callable[[dict[str, int] | None], bytes]


def bind(
    front_matter: FrontMatter,
    articles: Sequence[BoundArticle],
    numbers: NumberPages,
    contents_title: str,
    *,
    apart: bool | None = None,
    pool: Executor | None = None,
    unnumbered: bytes | None = None,
) -> bytes:
    """The book: front matter, then the articles; numbered, with contents, destinations, bookmarks and tags.

    ``contents_title`` is the contents page's bookmark (its heading, in the book's language).
    ``unnumbered`` is ``front_matter(None)`` when the caller has it already. What WeasyPrint lays
    out (the front matter, the page numbers) is laid out here, first, the page numbers in ``pool``
    when given (then ``numbers`` must be picklable) while this process lays out the contents; then
    the PDFs are bound ``apart`` (None: from ``BIND_APART_FROM`` articles) in a fresh process of
    their own. qpdf holds every object of the book until it is saved (about 0.8 MB an article,
    ~470 objects, most of them structure elements), and nothing else is held beside them there:
    not WeasyPrint, not the articles' documents; and that memory is the system's again once the
    book is written.
    """
    counts = [_page_count(article.pdf) for article in articles]
    front_pages = _page_count(front_matter(None) if unnumbered is None else unnumbered)
    # The page numbers for the length the front matter has with any numbers: almost always its
    # length with the right ones, laid out meanwhile (and again if not).
    numbered = _NumberPdfs(numbers, front_pages + sum(counts), pool)
    for _ in range(3):  # the contents' own length decides where the articles start
        front_pdf = front_matter(_starts(front_pages, articles, counts))
        front_pages, laid_out_for = _page_count(front_pdf), front_pages
        if front_pages == laid_out_for:
            break
    number_pdfs = numbered.pdfs(front_pages + sum(counts))
    if not (len(articles) >= BIND_APART_FROM if apart is None else apart):
        return bind_pdfs(front_pdf, articles, number_pdfs, contents_title)
    binder = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return binder.submit(bind_pdfs, front_pdf, articles, number_pdfs, contents_title).result()
    except BaseException:  # told to stop (SIGTERM, Ctrl-C) or failed: the binding is of no use now
        for process in list((getattr(binder, "_processes", None) or {}).values()):
            process.terminate()  # it holds nothing but the book in memory: nothing to unwind
        raise
    finally:
        binder.shutdown(cancel_futures=True)


class _NumberPdfs:
    """The page-number PDFs of a book of ``total`` pages, ``NUMBERS_CHUNK`` pages each, laid out in ``pool`` if any."""

    def __init__(self, numbers: NumberPages, total: int, pool: Executor | None) -> None:
        self.numbers, self.total, self.pool = numbers, total, pool
        self.pending = self._submit(total) if pool is not None else None

    def _submit(self, total: int) -> list[Future[bytes]]:
        assert self.pool is not None
        return [self.pool.submit(self.numbers, *chunk) for chunk in _number_chunks(total)]

    def pdfs(self, total: int) -> list[bytes]:
        """The PDFs for ``total`` pages: those laid out already if it is the total they were laid out for."""
        if self.pending is not None and total != self.total:
            for future in self.pending:
                future.cancel()
            self.pending = self._submit(total)
        if self.pending is None:
            return [self.numbers(*chunk) for chunk in _number_chunks(total)]
        return [future.result() for future in self.pending]


def _number_chunks(total: int) -> list[tuple[int, int, int]]:
    return [(first, min(first + NUMBERS_CHUNK - 1, total), total) for first in range(1, total + 1, NUMBERS_CHUNK)]


def bind_pdfs(
    front_pdf: bytes, articles: Sequence[BoundArticle], number_pdfs: Sequence[bytes], contents_title: str
) -> bytes:
    """``bind`` once everything is laid out: ``number_pdfs`` hold ``NUMBERS_CHUNK`` page numbers each.

    A module function, so a process of its own can run it.
    """
    import pikepdf

    # The front matter's catalog is the book's: language, metadata, PDF/UA and PDF/A identification.
    book = pikepdf.open(io.BytesIO(front_pdf))
    front_pages = len(book.pages)
    destinations: dict[str, pikepdf.Array] = {}
    _collect_destinations(book, book, 0, destinations)
    tags = _Tags.of(book)
    outline: list[tuple[str, tuple[_Bookmark, ...]]] = []  # (section, the article's bookmarks)
    for article in articles:
        # One source open at a time (an open PDF costs about a megabyte of its own); what was
        # copied from it stays readable once it is closed.
        with pikepdf.open(io.BytesIO(article.pdf)) as source:
            offset = len(book.pages)
            with warnings.catch_warnings():  # "does not preserve named destinations": _collect_destinations does
                warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
                book.pages.extend(source.pages)
            _collect_destinations(source, book, offset, destinations)
            if tags is not None:
                tags.join(source, book.pages[offset:])
            outline.append((article.section, _outline_of(source, book, offset)))
    if tags is not None:
        tags.close()
    for chunk, number_pdf in enumerate(number_pdfs):
        first = chunk * NUMBERS_CHUNK + 1
        with pikepdf.open(io.BytesIO(number_pdf)) as numbers:
            for k, page in enumerate(numbers.pages):
                if first + k > 1:  # the cover has none
                    _lay_over(book, book.pages[first + k - 1], page, first + k)
    _retarget_book_links(book, destinations, {a.slug: a.title for a in articles})
    names = pikepdf.NameTree.new(book)
    for name in sorted(destinations):
        names[name] = destinations[name]
    if "/Names" in book.Root:  # the attached inputs of an archival book are named there too
        book.Root.Names.Dests = names.obj
    else:
        book.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    book.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D)]))
    _write_outline(book, front_pages, outline, contents_title)
    out = io.BytesIO()
    # object streams: the merged structure tree is many small objects
    book.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


class _Tags:
    """The book's structure tree, which each article's joins (see the module's docstring)."""

    def __init__(self, book: pikepdf.Pdf, root: Any) -> None:
        import pikepdf

        self.book, self.root = book, root
        self.document: Any = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        self.language = str(book.Root.get("/Lang", ""))
        self.parents = pikepdf.NumberTree.new(book)
        for key, value in pikepdf.NumberTree(root.ParentTree).items():
            self.parents[key] = value
        self.next_key = max(_next_key(self.parents), int(root.get("/ParentTreeNextKey", 0)))

    @classmethod
    def of(cls, book: pikepdf.Pdf) -> _Tags | None:
        root = book.Root.get("/StructTreeRoot")
        return cls(book, root) if root is not None else None

    def join(self, source: pikepdf.Pdf, pages: Sequence[pikepdf.Page]) -> None:
        """``source``'s structure under the book's ``Document``; ``pages`` are its pages, already in the book."""
        import pikepdf

        if "/StructTreeRoot" not in source.Root:
            return
        # One copy of the whole tree: the pages it points at were copied from the same source,
        # so its /Pg and /Obj references land on the book's copies.
        root: Any = self.book.copy_foreign(source.Root.StructTreeRoot)
        shift = self.next_key
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annotation in page.obj.get("/Annots", pikepdf.Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + shift
        parents = pikepdf.NumberTree(root.ParentTree)
        for key, value in parents.items():
            self.parents[key + shift] = value
        self.next_key = shift + max(_next_key(parents), int(root.get("/ParentTreeNextKey", 0)))
        document: Any = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        language = str(source.Root.get("/Lang", ""))
        for part in document.K if isinstance(document.K, pikepdf.Array) else [document.K]:
            if not isinstance(part, pikepdf.Dictionary):
                continue
            part.P = self.document
            if language and language != self.language and "/Lang" not in part:
                part.Lang = pikepdf.String(language)  # the article's own language, where the book's differs
            self.document.K.append(part)
        for map_name in ("/RoleMap", "/ClassMap"):
            if map_name in root:
                merged = self.root.get(map_name, pikepdf.Dictionary())
                for name, value in root[map_name].items():
                    if name not in merged:
                        merged[name] = value
                self.root[map_name] = merged
        if "/IDTree" in root:
            ids = pikepdf.NameTree(self.root.IDTree) if "/IDTree" in self.root else pikepdf.NameTree.new(self.book)
            for name, element in pikepdf.NameTree(root.IDTree).items():
                ids.setdefault(name, element)
            self.root.IDTree = ids.obj

    def close(self) -> None:
        self.root.ParentTree = self.parents.obj
        self.root.ParentTreeNextKey = self.next_key


def _next_key(tree: pikepdf.NumberTree) -> int:
    return max((int(key) + 1 for key in tree), default=0)


def _lay_over(book: pikepdf.Pdf, page: pikepdf.Page, over: pikepdf.Page, number: int) -> None:
    """``over`` drawn on top of ``page`` as pagination artifact, as pikepdf's ``add_overlay`` draws.

    Under a name of our own, not a random one: the same book gives the same bytes. One per
    page number: the pages of an article share one resource dictionary.
    """
    import pikepdf

    form = book.copy_foreign(over.as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/TearsheetPage{number}"))
    placement = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n" + placement + b"\nEMC\n")
    page.contents_coalesce()


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def _starts(front_pages: int, articles: Sequence[BoundArticle], counts: list[int]) -> dict[str, int]:
    starts: dict[str, int] = {}
    page = front_pages + 1
    for article, count in zip(articles, counts, strict=True):
        starts[article.slug] = page
        page += count
    return starts


def _page_index(source: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: k for k, page in enumerate(source.pages)}


def _moved(destination: Any, index: dict[tuple[int, int], int], book: pikepdf.Pdf, offset: int) -> Any:
    """A ``[page /XYZ x y zoom]`` destination of a source PDF, pointing at the book's copy of that page."""
    import pikepdf

    if not isinstance(destination, pikepdf.Array) or len(destination) < 2:
        return None
    page = index.get(destination[0].objgen)
    if page is None:
        return None
    return pikepdf.Array([book.pages[offset + page].obj, *list(destination)[1:]])


def _collect_destinations(source: pikepdf.Pdf, book: pikepdf.Pdf, offset: int, into: dict[str, Any]) -> None:
    import pikepdf

    if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
        return
    index = _page_index(source)
    for name, destination in pikepdf.NameTree(source.Root.Names.Dests).items():
        moved = _moved(destination, index, book, offset)
        if moved is not None:
            into.setdefault(str(name), moved)


def _retarget_book_links(book: pikepdf.Pdf, destinations: dict[str, Any], titles: dict[str, str]) -> None:
    """``BOOK_LINK + slug`` URIs become links to that article's named destination, described by its title."""
    import pikepdf

    for page in book.pages:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(BOOK_LINK):
                continue
            slug = uri.removeprefix(BOOK_LINK)
            del annotation["/A"]
            if slug in destinations:
                annotation.Dest = pikepdf.String(slug)
            if str(annotation.get("/Contents", "")) in ("", uri):  # not the placeholder URL
                annotation.Contents = pikepdf.String(titles.get(slug) or slug)


@dataclass(frozen=True, slots=True)
class _Bookmark:
    title: str
    destination: Any  # a [page /XYZ x y zoom] array in the book, or None
    children: tuple[_Bookmark, ...]


def _outline_of(source: pikepdf.Pdf, book: pikepdf.Pdf, offset: int) -> tuple[_Bookmark, ...]:
    """The article's own bookmarks (its title, its headings below it), pointing into the book."""
    index = _page_index(source)

    def moved(item: Any) -> _Bookmark:
        children = tuple(moved(child) for child in item.children)
        return _Bookmark(str(item.title), _moved(item.destination, index, book, offset), children)

    with source.open_outline() as outline:
        return tuple(moved(item) for item in outline.root)


def _write_outline(
    book: pikepdf.Pdf, front_pages: int, articles: list[tuple[str, tuple[_Bookmark, ...]]], contents_title: str
) -> None:
    """Contents, then each section with its articles (or the articles), each with its headings."""
    import pikepdf

    def item(mark: _Bookmark) -> pikepdf.OutlineItem:
        made = pikepdf.OutlineItem(mark.title, destination=mark.destination)
        made.children.extend(item(child) for child in mark.children)
        return made

    with book.open_outline() as outline:
        if front_pages > 1:
            outline.root.append(pikepdf.OutlineItem(contents_title, 1))
        sections: dict[str, pikepdf.OutlineItem] = {}
        for section, marks in articles:
            parent = outline.root
            if section:
                if section not in sections:
                    first = marks[0].destination if marks else None
                    sections[section] = pikepdf.OutlineItem(section, destination=first)
                    outline.root.append(sections[section])
                parent = sections[section].children
            parent.extend(item(mark) for mark in marks)
