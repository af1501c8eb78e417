"""What every writer renders: the body with the link policy applied, and the citation footer."""

from __future__ import annotations

from dataclasses import dataclass

from convert.model import Block, Div, Document
from convert.options import LinkPolicy, WriteOptions
from convert.render.footer import citation_footer
from convert.render.links import apply_link_policy


@dataclass(frozen=True, slots=True)
class RenderBody:
    blocks: tuple[Block, ...]
    footer: Div


def chosen_policy(asked: LinkPolicy | None, default: LinkPolicy) -> LinkPolicy:
    """The policy asked for; the writer's default when none is, or ``auto`` (which only PDF decides itself)."""
    return asked if asked is not None and asked is not LinkPolicy.AUTO else default


def render_body(doc: Document, options: WriteOptions, default_policy: LinkPolicy) -> RenderBody:
    cited = apply_link_policy(doc, chosen_policy(options.links, default_policy))
    return RenderBody(cited.blocks, citation_footer(doc, cited.refs, options))
