"""Paragraphs and sentences, keeping a quotation together with its speaker.

All functions take the folded text (see normalise.fold) and return (start, end)
offsets into it, which are also offsets into the original input.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_BLANK_LINES = re.compile(r"\n[ ]*\n\s*")
_LINE = re.compile(r"[^\n]+")
# A line that ends a sentence or a title-like block; the next line then starts a paragraph.
_LINE_END = re.compile(r"""[.!?:"')\]]\s*$""")

# Candidate sentence ends: terminal punctuation, closing quotes/brackets, space, then
# something that can start a sentence.
_BOUNDARY = re.compile(r"""[.!?]+["')\]]*(?=\s+["'(\[]?[A-Z0-9])""")
# After a quotation, "…?" Clinton said. continues the same sentence.
_SPEAKER_AFTER_QUOTE = re.compile(
    r"\s+(?:(?:[A-Z][\w.'-]*|of|the)\s+){1,5}(?:said|says|asked|asks|added|adds|told|wrote|writes|"
    r"replied|continued|explained|insisted|argued|recalled|tweeted|noted|declared|stated|shouted)\b"
)
# "… a wall." - Steve Quinlan "Next quote …": a dash credit ends its quotation's sentence.
_DASH_CREDIT_END = re.compile(r"""["']\s*-{1,2}\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\.?(?=\s+")""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'-]*)\.$")

#: Words whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr st sen sens rep reps gov gen lt col maj capt sgt adm cmdr cpl pvt jr sr prof rev
    hon pres supt insp det fr messrs mt ft jan feb mar apr jun jul aug sep sept oct nov dec no nos
    vs v etc inc corp co ltd llc plc dept univ assn bros est approx fig al ave blvd rd
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb
    nev okla ore pa tenn tex va vt wash wis wyo d r i u.s u.k u.n e.u a.m p.m""".split()
)

# Quotations longer than this without a closing mark are treated as unbalanced.
_MAX_QUOTE = 1500
#: The longest sentence, in characters, the rules read at once. News sentences stay far below it
#: (the longest in the PolNeAR dev texts has under 900); a longer run — a list without full
#: stops, or hostile input — is cut at clause breaks, so each sentence costs a bounded time and a
#: whole article costs time in proportion to its length.
MAX_SENTENCE = 2000
_CLAUSE_BREAK = re.compile(r"[;,:]\s+|\s+")


def paragraphs(text: str) -> list[Span]:
    """Split text into paragraphs: blank lines always, single newlines after a line that ends a sentence."""
    spans: list[Span] = []
    position = 0
    for gap in _BLANK_LINES.finditer(text):
        spans.extend(_split_lines(text, position, gap.start()))
        position = gap.end()
    spans.extend(_split_lines(text, position, len(text)))
    return [span for span in spans if text[span[0]:span[1]].strip()]


def _split_lines(text: str, start: int, end: int) -> list[Span]:
    # Hard-wrapped prose continues on the next line; a line that ends a sentence, or a
    # next line starting in upper case after a short title-like line, starts a new paragraph.
    spans: list[Span] = []
    block_start: int | None = None
    previous: tuple[int, int] | None = None
    for line in _LINE.finditer(text, start, end):
        line_start, line_end = line.span()
        if not text[line_start:line_end].strip():
            continue
        # block_start is set whenever previous is; the check says so to the type checker.
        if previous is not None and block_start is not None and _starts_paragraph(text, previous,
                                                                                  (line_start, line_end)):
            spans.append((block_start, previous[1]))
            block_start = None
        if block_start is None:
            block_start = line_start
        previous = (line_start, line_end)
    if block_start is not None and previous is not None:
        spans.append((block_start, previous[1]))
    return [_trim(text, span) for span in spans]


def _starts_paragraph(text: str, previous: Span, line: Span) -> bool:
    prev_text = text[previous[0]:previous[1]]
    next_text = text[line[0]:line[1]].lstrip()
    if _LINE_END.search(prev_text):
        return True
    return bool(next_text) and not next_text[0].islower() and len(prev_text.strip()) < 90


def _trim(text: str, span: Span) -> Span:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quote_regions(text: str, start: int, end: int) -> list[Span]:
    """Return the balanced double-quoted regions inside text[start:end]."""
    regions: list[Span] = []
    opening: int | None = None
    position = text.find('"', start, end)
    while position != -1:
        if opening is None:
            opening = position
        elif position - opening > _MAX_QUOTE:
            opening = position  # unbalanced earlier mark: start again from here
        else:
            regions.append((opening, position + 1))
            opening = None
        position = text.find('"', position + 1, end)
    return regions


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Split one paragraph into sentence spans, never inside a balanced quotation."""
    regions = quote_regions(text, start, end)
    spans: list[Span] = []
    sentence_start = start
    region_index = 0
    for match in _boundaries(text, start, end):
        cut = match.end()
        while region_index < len(regions) and regions[region_index][1] <= match.start():
            region_index += 1
        region = regions[region_index] if region_index < len(regions) else None
        if region is not None and region[0] < match.start() and match.end() < region[1]:
            continue  # inside a quotation: the quote and its speaker stay one sentence
        if _is_abbreviation(text, sentence_start, match):
            continue
        if text[match.end() - 1] == '"' and _speaker_follows(text, match, end):
            continue
        spans.append(_trim(text, (sentence_start, cut)))
        sentence_start = cut
    spans.append(_trim(text, (sentence_start, end)))
    return [piece for span in spans if span[1] > span[0] for piece in _bounded(text, span)]


# After a quotation closed by a full stop, "X said" goes on the quote's sentence only when the verb
# closes it or an adjunct follows ("… here." Clinton said on Monday.); "… nation." Russia insisted
# that … is a new sentence.
_CREDIT_CLOSES = re.compile(r"\s*(?:[.,;]|$)|\s+(?:on|in|at|during|after|before|to|while|when|as|from|of|"
                            r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


def _speaker_follows(text: str, match: re.Match[str], end: int) -> bool:
    """Whether "X said" after a quotation ending at ``match`` credits that quotation."""
    speaker = _SPEAKER_AFTER_QUOTE.match(text, match.end(), end)
    if speaker is None:
        return False
    return text[match.start()] != "." or _CREDIT_CLOSES.match(text, speaker.end(), end) is not None


def _bounded(text: str, span: Span) -> list[Span]:
    """``span`` cut into pieces of at most ``MAX_SENTENCE`` characters, at the last clause break
    (a semicolon, comma or colon, else a space) in the second half of each piece."""
    start, end = span
    pieces: list[Span] = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        after_clause = after_space = None
        for match in _CLAUSE_BREAK.finditer(text, start + MAX_SENTENCE // 2, limit):
            if match.group()[0] in ";,:":
                after_clause = match.end()
            else:
                after_space = match.end()
        cut = after_clause or after_space or limit
        pieces.append(_trim(text, (start, cut)))
        start = cut
    pieces.append(_trim(text, (start, end)))
    return [piece for piece in pieces if piece[1] > piece[0]]


def _boundaries(text: str, start: int, end: int) -> list[re.Match[str]]:
    matches = list(_BOUNDARY.finditer(text, start, end))
    if "-" in text[start:end]:
        matches.extend(_DASH_CREDIT_END.finditer(text, start, end))
        matches.sort(key=lambda m: m.end())
    return matches


def _is_abbreviation(text: str, sentence_start: int, match: re.Match[str]) -> bool:
    if text[match.start()] != "." or match.end() - match.start() != 1:
        return False
    window = text[max(sentence_start, match.start() - 20):match.start() + 1]
    word = _WORD_BEFORE.search(window)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    # Initials ("J. Smith") and dotted acronyms ("U.S.") do not end sentences.
    return token in ABBREVIATIONS or len(token) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))
