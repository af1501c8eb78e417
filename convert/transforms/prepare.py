"""``prepare``: the model → model steps every writer needs before it renders — the link policy it
asked for applied to the body, and the citation footer built as model blocks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from convert.model import Block, Div, Document, Heading, rewrite
from convert.options import LinkPolicy, WriteOptions
from convert.transforms.footer import citation_footer
from convert.transforms.links import apply_link_policy


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a writer renders: the body with its link markers, and the citation footer."""

    blocks: tuple[Block, ...]
    footer: Div


def chosen_policy(asked: LinkPolicy | None, default: LinkPolicy) -> LinkPolicy:
    """The policy asked for; the writer's default when none is, or ``auto`` (which only PDF decides itself)."""
    return asked if asked is not None and asked is not LinkPolicy.AUTO else default


def prepare(doc: Document, options: WriteOptions, default_policy: LinkPolicy, top_heading: int = 2) -> Prepared:
    """The body and footer; their headings start at ``top_heading`` (2 under an ``h1`` title) and skip no level."""
    cited = apply_link_policy(doc, chosen_policy(options.links, default_policy))
    blocks, footer = outline_levels((cited.blocks, citation_footer(doc, cited.refs, options)), top_heading)
    return Prepared(blocks, footer)


def outline_levels(tree: Any, top: int) -> Any:
    """Headings re-levelled so that none skips a level: each goes one below the nearest heading
    above it with a lower source level, the first ones at ``top``.

    Sources skip levels (H2 then H4) and start anywhere (H3, or an H1 under the title), and
    assistive technology navigates by level. No heading and no text is dropped: only levels change.
    """
    open_levels: list[int] = []  # the source levels of the sections the next heading is inside

    def relevel(node: Any) -> Any:
        if not isinstance(node, Heading):
            return node
        while open_levels and open_levels[-1] >= node.level:
            open_levels.pop()
        open_levels.append(node.level)
        level = min(top + len(open_levels) - 1, 6)
        return node if level == node.level else replace(node, level=level)

    return rewrite(tree, relevel)
