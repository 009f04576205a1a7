"""Hedges: words that mark a claim as second-hand, unverified or tentative.

Each hedge is found with the span of the words that hedge. The labels are what a fact-checker
reads; several surface forms share one ("the alleged bribe" is hedged "allegedly", "is said to
have" "reportedly", "could not be independently verified" "unconfirmed"). Modals count only in
the reported content, not in the words that introduce it: "may", "might" and "could" always
("the plant could close"), "would" only where it is conditional ("would have", "would likely",
or a sentence with "if"/"unless"), since a reported "would" is mostly the future of the past
("said Ukraine would not accept concessions").

Every pattern has bounded repetitions, so searching a text is linear in its length.
"""

from __future__ import annotations

import re

_NAMED_NOT = r"not (?:to )?be (?:named|identified|quoted)"
_UNNAMED_HEADS = r"(?:officials?|sources?|insiders?|aides?|advis[eo]rs?|diplomats?|staffers?)"
_SAYING = r"(?:said|say|says|told|added|claimed|confirmed)"

# (label, pattern): the label is what a fact-checker reads; several surface forms share one.
_HEDGES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("allegedly", r"\ballegedly\b|\b(?:the|an?|his|her|its|their|this|that|these|those)\s+alleged\b"),
        ("reportedly", r"\breportedly\b"
                       r"|\b(?:is|are|was|were)\s+(?:also\s+)?(?:said|reported|rumou?red)\s+to\s+(?:be|have)\b"),
        ("purportedly", r"\bpurportedly\b|\b(?:the|an?|his|her|its|their|this|that|these|those)\s+purported\b"),
        ("supposedly", r"\bsupposedly\b"),
        ("apparently", r"\bapparently\b"),
        ("off the record", r"\boff[- ]the[- ]record\b"),
        ("on condition of anonymity",
         r"\bon (?:the )?condition (?:of|that (?:he|she|they) not be named) ?(?:anonymity)?"
         r"|\bon (?:deep )?background\b"),
        ("anonymous sources",
         r"\banonymously\b"
         r"|\b(?:(?:un(?:named|identified)|anonymous|unofficial)\s+(?:\w+\s+)?(?:sources?|officials?|insiders?|people)"
         r"|(?:the\s+)?\w+'s?\s+sources\b|(?:a|one|two|three|several|multiple|some)\s+(?:\w+\s+)?sources?\b"
         r"|\bsources\s+(?:said|say|familiar|close|told|claim)|according to (?:the\s+)?(?:\w+\s+)?sources"
         r"|(?:people|persons?|sources?|officials?|someone)\s+(?:familiar with|close to|with (?:direct\s+)?knowledge of"
         r"|briefed on)"
         # "who asked not to be named", "declined to be identified", "not authorised to speak publicly"
         r"|(?:asked|requested|declined|refused|wished|preferred)\s+(?:" + _NAMED_NOT + r"|to be (?:named|identified))"
         r"|not\s+authori[sz]ed\s+to\s+(?:speak|comment|discuss|talk)"
         # "advisers to Mr. Obama say", "officials in Kyiv said": a group the article does not name
         r"|\b" + _UNNAMED_HEADS + r"\s+(?:to|for|of|in|at|from|close to)\s+(?:\S+\s+){1,3}?"
         + _SAYING + r"\b"
         # "a senior official said", "two diplomats told"
         r"|(?:a|an|one|two|three|several|some)\s+(?:[\w-]+\s+){0,2}?" + _UNNAMED_HEADS + r"\s+" + _SAYING + r"\b)"),
        ("may", r"\bmay\b(?!\s+\d)"),
        ("might", r"\bmight\b"),
        ("could", r"\bcould\b(?!\s*n't|\s+(?:not|never|only|hardly)\b)"),
        ("would", r"\bwould\b"),
        ("rumoured", r"\brumou?red\b|\brumou?rs\s+(?:that|of)\b"),
        # "reports" as a noun: "denied reports that", "published reports alleging", "media reports say".
        # ("Bloomberg reports that" is a verb, not a hedge).
        ("reports", r"\b(?:media|press|news|published|unconfirmed|earlier|recent|local|initial|conflicting|"
                    r"the|these|those|such)\s+reports\s+(?:that|alleging|suggesting|claiming|say|said|of|by|from)\b"
                    r"|\b(?:denied|denies|deny|dismissed|rejected|refuted|disputed|confirmed|amid|despite|"
                    r"following)\s+(?:\w+\s+)?reports\b"
                    r"|\baccording to (?:\w+\s+){0,2}?reports\b"
                    # opening a sentence, "Reports" is the noun: "Reports in Russian media say …"
                    r"|(?:^|(?<=[.!?\"] )|(?<=\n))reports\s+(?:in|from|by|of|on|that|say|said|suggest|suggested|"
                    r"indicate|indicated|claim|claimed)\b"),
        ("unconfirmed",
         r"\bun(?:confirmed|verified)\b"
         r"|\b(?:could|can)\s*(?:not|n't)\s+(?:be\s+)?(?:independently\s+|immediately\s+)*"
         r"(?:verif(?:y|ied)|confirm(?:ed)?)\b"
         r"|\b(?:was|were|is|are|has been|have been)\s+unable\s+to\s+(?:independently\s+)?(?:verify|confirm)\b"
         r"|\bnot (?:been )?independently (?:verified|confirmed)|\bno independent (?:confirmation|verification)"),
    )
)

#: Every hedge label, in the order assertions list them.
HEDGE_LABELS = tuple(label for label, _pattern in _HEDGES)

#: Labels read only in the reported content, not in the words that introduce it.
_CONTENT_ONLY = frozenset({"could", "would"})

# Words one of which a hedge's text must contain (lower case): a label whose words are all absent
# is not searched for, so most sentences cost a few substring tests.
_KEYS: dict[str, tuple[str, ...]] = {
    "allegedly": ("alleg",),
    "reportedly": ("reportedly", "said to", "reported to", "rumo"),
    "purportedly": ("purport",),
    "supposedly": ("supposed",),
    "apparently": ("apparent",),
    "off the record": ("record",),
    "on condition of anonymity": ("condition", "background"),
    "anonymous sources": ("anonym", "unnamed", "unidentified", "unofficial", "source", "familiar", "close to",
                          "knowledge", "briefed", "named", "identified", "quoted", "authori", "official", "insider",
                          "aide", "advis", "diplomat", "staffer"),
    "may": ("may",),
    "might": ("might",),
    "could": ("could",),
    "would": ("would",),
    "rumoured": ("rumo",),
    "reports": ("reports",),
    "unconfirmed": ("unconfirmed", "unverified", "verif", "confirm"),
}
_MAY_MONTH = re.compile(r"\bMay\s+\d|\bin May\b|\bMay\s+(?:19|20)\d\d")
# "would" hedges when the sentence makes it conditional.
_CONDITION = re.compile(r"\b(?:if|unless|otherwise|in case|were (?:it|they|he|she|we|to))\b", re.IGNORECASE)
# A sentence saying a claim could not be checked: "Reuters could not independently verify the report".
_DISCLAIMER = re.compile(
    r"\b(?:could|can)\s*(?:not|n't)\s+(?:be\s+)?(?:independently\s+|immediately\s+)*(?:verif(?:y|ied)|confirm(?:ed)?)\b"
    r"|\b(?:was|were|is|are|has been|have been)\s+unable\s+to\s+(?:independently\s+)?(?:verify|confirm)\b"
    r"|\bnot (?:been )?independently (?:verified|confirmed)\b", re.IGNORECASE)
#: Characters after a claim read for a disclaimer about it (about two sentences).
_DISCLAIMER_REACH = 250
# "so they could", "before the police could", "as high as it could": "could" of past ability.
_PAST_ABILITY = re.compile(
    r"\b(?:so|so that|before|until|because|whether|than|as \w+ as|once|when|where|while)\s+(?:[\w'-]+\s+){0,3}$",
    re.IGNORECASE)
#: Characters before "could" read for a past-ability opening.
_ABILITY_REACH = 40
_PARTICIPLE = (r"(?:been|\w+ed|\w+en|\w+wn|done|made|had|got|won|lost|met|paid|sent|spent|kept|left|told|said|"
               r"come|gone|run|hit|put|cut|let|set|built|brought|bought|thought|caught|taught|felt|found|held|"
               r"heard|led|meant|sold|stood|understood)")
# "would have lost", "would likely close": conditional in itself ("would have to" is not).
_CONDITIONAL_WOULD = re.compile(r"\bwould\s+(?:have\s+" + _PARTICIPLE + r"|likely|probably|possibly|perhaps)\b",
                                re.IGNORECASE)


def find_hedge_spans(text: str, start: int, end: int,
                     content: tuple[int, int] | None = None) -> list[tuple[str, int, int]]:
    """Return (label, start, end) for the first occurrence of each hedge in text[start:end], in label order.

    ``content`` bounds where the modals "could" and "would" are read (the reported content of
    an attributed assertion); without it they are not read: in the article's own voice they
    mostly tell a story ("before the police could arrive").
    """
    lowered = text[start:end].lower()
    present = [(label, pattern) for label, pattern in _HEDGES if any(key in lowered for key in _KEYS[label])]
    if not present:
        return []
    content_start, content_end = content if content is not None else (start, start)
    content_start, content_end = max(start, content_start), min(end, content_end)
    spans = []
    for label, pattern in present:
        if label in _CONTENT_ONLY:
            match = _modal(label, pattern, text, start, end, content_start, content_end)
        else:
            match = pattern.search(text, start, end)
        if match is None:
            continue
        if label == "may":
            match = next((m for m in pattern.finditer(text, start, end) if not _is_month(m, start)), None)
            if match is None or _MAY_MONTH.search(text, start, end):
                continue
        spans.append((label, match.start(), match.end()))
    return spans


def trailing_disclaimer(text: str, end: int, following: int) -> tuple[int, int] | None:
    """The words of a verification disclaimer written after a claim, before the next one.

    "The rebels said they took the airport. Reuters could not independently verify the claim.":
    the second sentence is no assertion of its own but hedges the first as unconfirmed. Only
    ``_DISCLAIMER_REACH`` characters after ``end`` (and none from ``following`` on) are read.
    """
    match = _DISCLAIMER.search(text, end, min(following, end + _DISCLAIMER_REACH))
    return None if match is None else (match.start(), match.end())


def _modal(label: str, pattern: re.Pattern[str], text: str, start: int, end: int,
           content_start: int, content_end: int) -> re.Match[str] | None:
    if content_start >= content_end:
        return None
    if label == "would":
        conditional = _CONDITIONAL_WOULD.search(text, content_start, content_end)
        if conditional is not None or _CONDITION.search(text, start, end) is None:
            return conditional
        return pattern.search(text, content_start, content_end)
    # "could" of possibility, not of past ability ("so they could pressure", "before cops could").
    for match in pattern.finditer(text, content_start, content_end):
        if _PAST_ABILITY.search(text, max(start, match.start() - _ABILITY_REACH), match.start()) is None:
            return match
    return None


def _is_month(match: re.Match[str], start: int) -> bool:
    return match.group()[0] == "M" and match.start() > start


def find_hedges(sentence: str) -> tuple[str, ...]:
    """Return the hedge labels present in a sentence, in a fixed order, without repeats."""
    return tuple(label for label, _start, _end in find_hedge_spans(sentence, 0, len(sentence)))
