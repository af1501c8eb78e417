"""PDF/UA repairs of WeasyPrint's tagged PDF, with pikepdf, and the PDF variants Tearsheet writes.

WeasyPrint (``pdf_variant="pdf/ua-1"``) builds the structure tree page by page, which leaves:

* one ``Art`` (or ``Sect``) per page instead of one per article: the parts are joined again;
* footnotes as ``NonStruct`` outside the article: each becomes a ``Note`` inside it, where its page ends;
* ``TH`` cells without ``/Scope``: header rows get ``Column``, others ``Row``;
* running headers and footers (page margin boxes) tagged as content that belongs to no structure
  element: they are re-marked ``/Artifact`` (pagination), as PDF/UA-1 asks of page furniture;
* a link with boxes inside (a span, generated content) gets one annotation per box, each filed
  under the box's own element (``Span``, ``NonStruct``) inside the ``Link``: each is filed under
  the ``Link`` itself, as PDF/UA-1 asks of link annotations.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convert.options import ARCHIVAL_PDF_VARIANTS

if TYPE_CHECKING:
    import pikepdf


@dataclass(frozen=True, slots=True)
class PdfVariant:
    """A ``--pdf-variant`` choice: WeasyPrint's variant name, tagging, and whether the input is attached."""

    name: str
    weasyprint: str | None
    tagged: bool
    archival: bool  # PDF/A-3: the original input goes inside as an associated file


VARIANTS: dict[str, PdfVariant] = {  # by the names of convert.options.PDF_VARIANTS
    "ua-1": PdfVariant("ua-1", "pdf/ua-1", tagged=True, archival="ua-1" in ARCHIVAL_PDF_VARIANTS),
    # PDF/A-3 allows tags; WeasyPrint keeps them when asked, so the archival copy stays accessible.
    "a-3b": PdfVariant("a-3b", "pdf/a-3b", tagged=True, archival="a-3b" in ARCHIVAL_PDF_VARIANTS),
    "a-3u": PdfVariant("a-3u", "pdf/a-3u", tagged=True, archival="a-3u" in ARCHIVAL_PDF_VARIANTS),
    "none": PdfVariant("none", None, tagged=False, archival="none" in ARCHIVAL_PDF_VARIANTS),
}


def repair_pdf(data: bytes) -> bytes:
    """The PDF with WeasyPrint's structure quirks repaired (see the module's docstring).

    Also its associated files listed once: WeasyPrint puts each attachment into the catalog's
    ``/AF`` twice (PDF/A-3 validators reject the duplicate).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        associated = pdf.Root.get("/AF")
        if isinstance(associated, pikepdf.Array):
            unique = {spec.objgen: spec for spec in associated}
            pdf.Root.AF = pikepdf.Array(unique.values())
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            _repair_tags(pdf, root)
        out = io.BytesIO()
        # deterministic_id: the same input gives the same bytes (qpdf would otherwise make a new /ID).
        # WeasyPrint wrote it uncompressed (writers.pdf): streams are compressed and objects packed into
        # object streams here, as WeasyPrint would have.
        pdf.save(
            out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
        return out.getvalue()


def _repair_tags(pdf: pikepdf.Pdf, root: Any) -> None:
    document: Any = root.K[0]  # structure elements are pikepdf dictionaries with free-form keys
    # One walk of the tree serves the joining and each repair below (a long page's tree has thousands
    # of elements, and each look-up goes through pikepdf); a second one only where a figure left it.
    elements = _join_page_parts(document)
    if _drop_undescribed_figures(elements):
        elements = list(_elements(document))
    for element in elements:
        if element.S == "/TH":
            _scope_header(element)
    _mark_orphans_as_artifacts(pdf, {element.objgen for element in elements})
    _file_link_annotations_under_links(pdf, root)


def _elements(element: Any) -> Iterator[Any]:
    """Every structure element under ``element``, itself included, in reading order."""
    import pikepdf

    stack = [element]
    while stack:
        item = stack.pop()
        yield item
        kids: Any = item.get("/K")
        if isinstance(kids, pikepdf.Dictionary):
            kids = [kids]
        if isinstance(kids, (pikepdf.Array, list)):
            stack.extend(kid for kid in reversed(list(kids)) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)


def _join_page_parts(document: Any) -> list[Any]:
    """One element per article: a page's part without a title of its own continues the one before.

    The footnote areas between them become ``Note`` elements inside the part they were printed with.
    Each part of a Tearsheet page (an article, the cover, the contents) opens with its one ``h1``.
    Returns every structure element of the joined tree (``_elements``), found by the one walk that
    looked for the titles: the parts joined into another are no longer in it, their contents are.
    """
    import pikepdf

    kept: list[Any] = []
    elements: list[Any] = [document]
    for part in list(document.K):
        inside = list(_elements(part))
        previous: Any = kept[-1] if kept else None
        if part.S == "/NonStruct" and previous is not None:  # a page's footnote area
            for note in [kid for kid in part.K if isinstance(kid, pikepdf.Dictionary)]:
                note.S = pikepdf.Name.Note
                note.P = previous
                previous.K.append(note)
            elements += inside[1:]
            continue
        if previous is not None and previous.S == part.S and not any(kid.S == "/H1" for kid in inside):
            for kid in list(part.K):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    kid.P = previous
                previous.K.append(kid)
            elements += inside[1:]
            continue
        kept.append(part)
        elements += inside
    document.K = pikepdf.Array(kept)
    return elements


def _drop_undescribed_figures(elements: list[Any]) -> bool:
    """An image nobody described (``alt=""``) is decorative, as in HTML: out of the tree, an artifact.

    ``elements``: the tree's, from ``_elements``. True if one was dropped.
    """
    import pikepdf

    dropped = False
    for element in elements:
        if element.S == "/Figure" and not str(element.get("/Alt", "")):
            parent = element.P
            kept = [
                kid for kid in parent.K if not (isinstance(kid, pikepdf.Dictionary) and kid.objgen == element.objgen)
            ]
            parent.K = pikepdf.Array(kept)
            dropped = True
    return dropped


def _scope_header(cell: Any) -> None:
    import pikepdf

    parent = cell.get("/P")
    in_header_row = parent is not None and parent.get("/P") is not None and parent.P.get("/S") == "/THead"
    attributes = cell.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        attributes = cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
    if "/Scope" not in attributes:
        attributes.Scope = pikepdf.Name.Column if in_header_row else pikepdf.Name.Row


def _mark_orphans_as_artifacts(pdf: pikepdf.Pdf, reachable: set[tuple[int, int]]) -> None:
    """Marked content whose structure element is outside the tree (margin boxes) becomes ``/Artifact``."""
    import pikepdf

    nums: Any = pdf.Root.StructTreeRoot.ParentTree.Nums
    for k in range(0, len(nums), 2):
        page_index, mapping = int(nums[k]), nums[k + 1]  # a page's marked-content ids → structure elements
        if not isinstance(mapping, pikepdf.Array) or page_index >= len(pdf.pages):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(mapping)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
        }
        if not orphans:
            continue
        page = pdf.pages[page_index]
        contents = page.obj.get("/Contents")
        remarked = (
            _artifacts_in_stream(contents.read_bytes(), orphans) if isinstance(contents, pikepdf.Stream) else None
        )
        page.Contents = pdf.make_stream(remarked if remarked is not None else _artifacts_parsed(page, orphans))
        for orphan in orphans:
            mapping[orphan] = None


def _artifacts_parsed(page: pikepdf.Page, orphans: set[int]) -> bytes:
    """The page's content with the marked content of ``orphans`` re-marked as pagination artifacts."""
    import pikepdf

    instructions: list[Any] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands: Any = instruction.operands
        if str(instruction.operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            marked: Any = operands[1].get("/MCID")
            if marked is not None and int(marked) in orphans:
                instruction = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], instruction.operator
                )
        instructions.append(instruction)
    return pikepdf.unparse_content_stream(instructions)


# Marked content as WeasyPrint writes it: ``/Span <</MCID 7>> BDC`` (a tag, a property list of one MCID).
_MARKED_CONTENT = re.compile(rb"/[^\s/<>\[\]()%]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _artifacts_in_stream(content: bytes, orphans: set[int]) -> bytes | None:
    """``content`` with the marked content of ``orphans`` re-marked as pagination artifacts, without parsing
    the whole stream into objects (a long page's stream has thousands of operators, and every page has
    orphans: its running header and number).

    None when ``content`` is not as WeasyPrint writes it — a literal string, which could hold any
    bytes, or not exactly one ``BDC`` for each orphan — and the stream must be parsed instead.
    """
    if b"(" in content:
        return None
    found: list[int] = []

    def remark(match: re.Match[bytes]) -> bytes:
        mcid = int(match[1])
        if mcid not in orphans:
            return match[0]
        found.append(mcid)
        return _PAGINATION_ARTIFACT

    marked = _MARKED_CONTENT.sub(remark, content)
    return marked if sorted(found) == sorted(orphans) else None


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _file_link_annotations_under_links(pdf: pikepdf.Pdf, root: Any) -> None:
    """Each link annotation's object reference moves to the ``Link`` element around the box it was filed under."""
    import pikepdf

    parents = pikepdf.NumberTree(root.ParentTree)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if annotation.get("/Subtype") != "/Link" or "/StructParent" not in annotation:
                continue
            key = int(annotation.StructParent)
            element: Any = parents.get(key)
            link = element
            while isinstance(link, pikepdf.Dictionary) and link.get("/S") not in (None, "/Link"):
                link = link.get("/P")
            if link is None or link.get("/S") != "/Link" or link.objgen == element.objgen:
                continue
            kept: list[Any] = []
            moved: list[Any] = []
            for kid in _kids(element):
                is_ref = isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                (moved if is_ref and kid.Obj.objgen == annotation.objgen else kept).append(kid)
            element.K = pikepdf.Array(kept)
            link.K = pikepdf.Array([*_kids(link), *moved])
            parents[key] = link


def pdf_ua_problems(data: bytes) -> list[str]:
    """What a PDF lacks of PDF/UA-1's essentials: tags, language, title shown, identification, link text."""
    import pikepdf

    problems = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        catalog: Any = pdf.Root
        if "/StructTreeRoot" not in catalog or not bool(catalog.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("not tagged (no structure tree; written with --pdf-variant none?)")
        if not str(catalog.get("/Lang", "")):
            problems.append("no document language (/Lang)")
        if not bool(catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            problems.append("the title is not what a reader shows (DisplayDocTitle)")
        with pdf.open_metadata() as xmp:
            if not xmp.get("pdfuaid:part"):
                problems.append("no PDF/UA identification in the XMP metadata (pdfuaid:part)")
            if not xmp.get("dc:title"):
                problems.append("no title in the XMP metadata (dc:title)")
        bare = sum(
            1
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link" and not str(annotation.get("/Contents", ""))
        )
        if bare:
            problems.append(f"{bare} link{'s' * (bare != 1)} without a description (/Contents)")
    return problems
