"""Named boilerplate rules: share, follow, membership, newsletter, cookie, disclaimer… prompts."""

from __future__ import annotations

from dataclasses import replace

from convert.model import Block, BulletList, Document, Heading, OrderedList, Paragraph, Plain, Removal
from convert.normalize.context import Context, Rule, rule
from convert.normalize.util import block_text

# Each rule matches a whole short block; patterns are anchored or phrased so
# that an article merely mentioning cookies or newsletters is left alone.
RULES: tuple[Rule, ...] = (
    rule(
        "share-prompt",
        r"\bclick (?:on )?the share buttons?\b",
        r"^(?:please )?share (?:this|on|via|with)\b.{0,60}$",
        r"^(?:share|tweet|email|print)(?: this(?: article| story| page)?)?[.:!]?$",
    ),
    rule(
        "social-prompt",
        r"^comment on\b.{0,80}\b(?:facebook|twitter|instagram|linkedin)\b.{0,20}$",
        r"^(?:follow|like|join|find) us on\b.{0,80}$",
    ),
    rule(
        "membership-prompt",
        r"^become an? (?:member|patron|supporter|subscriber|donor)\b.{0,100}$",
        r"^(?:support|donate to|fund) (?:us|our work|independent journalism|this site)\b.{0,150}$",
    ),
    rule(
        "newsletter-prompt",
        r"\b(?:sign up|subscribe|register) (?:for|to) (?:our|the|a) (?:\w+ ){0,4}newsletters?\b",
        r"^(?:subscribe|sign up)(?: now| today| here)?[.!]?$",
        r"\bget (?:our|the) (?:\w+ ){0,4}newsletter\b.{0,80}$",
    ),
    rule(
        "cookie-notice",
        r"^(?:this (?:web)?site|we) uses? cookies\b",
        r"^by (?:continuing|using this (?:web)?site),? you (?:agree|accept|consent)\b",
    ),
    rule(
        "disclaimer",
        r"^disclaimer\s*:",
        r"\bare (?:of )?(?:the )?sole responsibility of the author",
        max_chars=1200,
    ),
    rule(
        "fair-use-notice",
        r"copyrighted material the use of which has not always been",
        r"\bunder the provisions of [\"“']?fair use\b",
        max_chars=1200,
    ),
    rule("contact-line", r"^for (?:media|press) (?:inquiries|enquiries)\b"),
    rule("author-archive-link", r"^(?:more )?(?:articles|posts|stories) by\s*:"),
    rule("advertisement", r"^(?:advertisement|advertising|sponsored(?: content)?|ad)$"),
    rule(
        "related-links",
        r"^(?:related|related (?:articles|stories|posts|reading|content)|read more|more on this(?: story)?|"
        r"recommended(?: for you)?|you may also like|see also)\s*:?$",
    ),
    rule("comments", r"^(?:\d+ )?comments?$", r"^(?:leave|post|add) a (?:comment|reply)\b.{0,60}$"),
)


def strip_boilerplate(doc: Document, ctx: Context) -> Document:
    """Drop share/subscribe/navigation blocks left by web pages; each removal names its rule."""
    rules = () if ctx.keep_boilerplate else tuple(r for r in RULES if not ctx.keeps(r.name))
    rules += tuple(r for r in ctx.extra_rules if not ctx.keeps(r.name))
    if not rules:
        return doc
    kept: list[Block] = []
    removed: list[Removal] = []
    drop_list = False
    for block in doc.blocks:
        if drop_list and isinstance(block, (BulletList, OrderedList)):
            removed.append(Removal("related-links", block_text(block)))
            drop_list = False
            continue
        drop_list = False
        matched = _match(block, rules)
        if matched is None:
            kept.append(block)
            continue
        removed.append(Removal(matched, block_text(block)))
        # A "Related" heading takes the list of links under it along.
        drop_list = matched == "related-links"
    if not removed:
        return doc
    return replace(doc, blocks=tuple(kept), removed=(*doc.removed, *removed))


def _match(block: Block, rules: tuple[Rule, ...]) -> str | None:
    if not isinstance(block, (Paragraph, Plain, Heading)):
        return None
    text = block_text(block)
    return next((r.name for r in rules if r.matches(text)), None)
