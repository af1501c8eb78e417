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


def render_body(doc: Document, options: WriteOptions, default_policy: LinkPolicy) -> RenderBody:
    """``default_policy`` applies when the options name none, or ``auto`` (which only PDF decides itself)."""
    policy = options.links if options.links is not None and options.links is not LinkPolicy.AUTO else default_policy
    cited = apply_link_policy(doc, policy)
    return RenderBody(cited.blocks, citation_footer(doc, cited.refs, options))
