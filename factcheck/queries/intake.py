"""The intake panel of a check item: who said it and how far to trust them, hedges, earlier matches."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain import credibility as cred
from factcheck.domain.workflow import RelationType, SourceKind
from factcheck.models import CheckItem, ItemRelation
from factcheck.queries.matching import Match, similar_items
from factcheck.standings import Standing, standings


@dataclass(frozen=True, slots=True)
class Relay:
    """A link of the chain after the originator, with the source's standing."""

    verb: str
    standing: Standing
    is_unnamed: bool


@dataclass(slots=True)
class Intake:
    """What a fact-checker sees first about an item (``templates/items/_intake.html`` renders it)."""

    item: CheckItem
    claimant: Standing | None
    claimant_verb: str | None
    relays: list[Relay]
    hedges: list[str]
    unnamed_links: int
    #: The item's prior probability of being true (claimant's score discounted per hedge and unnamed link).
    prior_true: float
    matches: list[Match]
    #: Ids of items this one is already recorded as repeating.
    repeats: set[int] = field(default_factory=set)

    @property
    def priority(self) -> float:
        """The stored triage priority."""
        return self.item.priority


def intake_for(session: Session, item: CheckItem, *, match_limit: int = 5, repeats: set[int] | None = None) -> Intake:
    """The intake panel's data for ``item``: records of claimant and relays, hedges and similar items.

    ``repeats``: the items ``item`` is already recorded as repeating, when the caller has read its
    relations (the item page has); otherwise they are read here.
    """
    chain = list(item.chain)
    sources = [link.source for link in chain]
    if item.claimant is not None and item.claimant not in sources:
        sources.insert(0, item.claimant)
    by_id = standings(session, sources)
    claimant = by_id.get(item.claimant_id) if item.claimant_id is not None else None
    claimant_verb = next((link.verb for link in chain if link.source_id == item.claimant_id), None)
    relays = [
        Relay(link.verb, by_id[link.source_id], link.source.kind is SourceKind.UNNAMED)
        for link in chain
        if link.source_id != item.claimant_id
    ]
    unnamed = sum(1 for link in chain if link.source.kind is SourceKind.UNNAMED)
    hedges = [str(h) for h in (item.hedges or [])]
    prior_true = cred.item_prior_true(claimant.score.mean if claimant else None, len(hedges), unnamed)
    text = item.claim_text if not item.restatement else f"{item.claim_text} {item.restatement}"
    # "Similar earlier claims": only items that came in before this one.
    matches = similar_items(session, text, exclude_id=item.id, before_id=item.id, limit=match_limit)
    if repeats is None:
        repeats = set(session.scalars(
            select(ItemRelation.target_id).where(ItemRelation.item_id == item.id,
                                                 ItemRelation.type == RelationType.REPEATS)
        ))
    return Intake(item, claimant, claimant_verb, relays, hedges, unnamed, prior_true, matches, repeats)
