"""``prepare``: the model → model steps every writer needs before it renders — the link policy it
asked for applied to the body, and the citation footer built as model blocks."""

from __future__ import annotations

from dataclasses import dataclass

from convert.model import Block, Div, Document
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


def prepare(doc: Document, options: WriteOptions, default_policy: LinkPolicy) -> Prepared:
    cited = apply_link_policy(doc, chosen_policy(options.links, default_policy))
    return Prepared(cited.blocks, citation_footer(doc, cited.refs, options))
