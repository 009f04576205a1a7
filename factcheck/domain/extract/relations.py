"""Relations between assertions: a denial points at the claim it denies, and so on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import DENY_ROLES, SUPPORT_ROLES
from .model import Link, Relation

# "denied this statement", "rejected the claims", "called it false": the object points back.
_ANAPHOR = re.compile(
    r"^\W*(?:(?:this|that|these|those|the|such)\s+(?:\w+\s+)?(?:statements?|claims?|reports?|allegations?|"
    r"assertions?|accusations?|remarks?|comments?|information|story|stories|account|rumou?rs?|suggestions?|idea)"
    r"|it\b|this\b|that\b|them\b|any\s+(?:such\s+)?\w+)",
    re.IGNORECASE,
)
_STOPWORDS = frozenset(
    """the a an and or but of to in on at for with by from that this these those is are was were be been
    has have had it its he she they his her their will would can could may might not no as said says""".split()
)
_WORDS = re.compile(r"[a-z0-9']+")
_REPEAT_JACCARD = 0.6
_REPEAT_MIN_WORDS = 5
_REPEAT_LOOKBACK = 50  # keeps long inputs linear; repeats sit close together in news prose


@dataclass(slots=True)
class Draft:
    """What relation finding needs to know about one assertion."""

    id: str
    chain: tuple[Link, ...]
    content: str


def find_relations(drafts: list[Draft]) -> list[tuple[Relation, ...]]:
    """Return, for each draft, its relations to earlier drafts."""
    results: list[tuple[Relation, ...]] = []
    bags = [_content_words(d.content) for d in drafts]
    for index, draft in enumerate(drafts):
        relations: list[Relation] = []
        stance = _stance(draft)
        if stance and _ANAPHOR.match(draft.content):
            target = _antecedent(drafts, index)
            if target is not None:
                relations.append(Relation(stance, target.id))
        repeated = _repeated(bags, index)
        if repeated is not None and all(r.target != drafts[repeated].id for r in relations):
            relations.append(Relation("repeats", drafts[repeated].id))
        results.append(tuple(relations))
    return results


def _stance(draft: Draft) -> str | None:
    roles = {link.role for link in draft.chain[:1]}
    if roles & DENY_ROLES:
        return "denies"
    if roles & SUPPORT_ROLES:
        return "supports"
    return None


def _antecedent(drafts: list[Draft], index: int) -> Draft | None:
    # The closest earlier claim made by someone else; the denier does not deny itself.
    speaker = drafts[index].chain[0].name if drafts[index].chain else None
    for earlier in reversed(drafts[:index]):
        if earlier.chain and earlier.chain[0].name != speaker:
            return earlier
    return None


def _content_words(content: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(content.lower()) if w not in _STOPWORDS)


def _repeated(bags: list[frozenset[str]], index: int) -> int | None:
    bag = bags[index]
    if len(bag) < _REPEAT_MIN_WORDS:
        return None
    for earlier in range(index - 1, max(-1, index - 1 - _REPEAT_LOOKBACK), -1):
        other = bags[earlier]
        if len(other) >= _REPEAT_MIN_WORDS and len(bag & other) / len(bag | other) >= _REPEAT_JACCARD:
            return earlier
    return None
