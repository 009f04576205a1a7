"""Find who said what in one sentence: source phrase, reporting verb and content span.

The rules cover the forms news prose uses: "X said (that) …", "…, X said", "…, said X",
"according to X", "X told Y that …", and nesting ("A reported that B stated that C told
him …").  Offsets are into the folded text (equal to the original's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from .segment import ABBREVIATIONS

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['&.-][^\W_]+)*\.?|\S")
_CUE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, {**lx.SPEECH_CUES, **lx.EVIDENCE_CUES}), key=len, reverse=True)) + r")\b"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\b")
_THAT = re.compile(r"\bthat\b")
_PREPOSITION_START = frozenset(
    "in on at during after before to with while when as from for about of last this earlier late early "
    "according , . ; ) - in an interview".split()
)
_OBJECT_WORDS = frozenset(
    "him her them me us reporters journalists the a an his their its our my your cnn".split()
)
_MAX_NP = 10
_MAX_LOWER = 4
_THAT_WINDOW = 16


@dataclass(slots=True)
class Token:
    """A word or punctuation mark with its offsets."""

    text: str
    start: int
    end: int

    @property
    def is_capitalised(self) -> bool:
        """True for "Putin", "U.S.", "NATO"."""
        return self.text[:1].isupper()

    @property
    def lower(self) -> str:
        """The lower-cased text, without a trailing full stop."""
        return self.text.lower().rstrip(".") if len(self.text) > 1 else self.text.lower()


@dataclass(slots=True)
class Attribution:
    """A raw attribution in one sentence, before names are resolved."""

    source: str
    source_start: int
    source_end: int
    cue: str
    role: str
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    according: bool = False


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Split text[start:end] into word and punctuation tokens ("Mr." keeps its dot, "said." does not)."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word, word_start, word_end = match.group(), match.start(), match.end()
        if len(word) > 2 and word.endswith(".") and word[:-1].lower() not in ABBREVIATIONS and "." not in word[:-1]:
            tokens.append(Token(word[:-1], word_start, word_end - 1))
            tokens.append(Token(".", word_end - 1, word_end))
        else:
            tokens.append(Token(word, word_start, word_end))
    return tokens


def find(text: str, start: int, end: int) -> list[Attribution]:
    """Return every attribution in the sentence text[start:end], in text order."""
    tokens = tokenize(text, start, end)
    if not tokens:
        return []
    index_at = {token.start: i for i, token in enumerate(tokens)}
    found: list[Attribution] = []
    for match in _CUE.finditer(text, start, end):
        i = index_at.get(match.start())
        if i is not None and tokens[i].end == match.end():
            attribution = _verb_attribution(text, tokens, i, start, end)
            if attribution:
                found.append(attribution)
    for match in _ACCORDING.finditer(text, start, end):
        attribution = _according_attribution(text, tokens, index_at, match, start, end)
        if attribution:
            found.append(attribution)
    found.sort(key=lambda a: a.cue_start)
    return found


def chain(found: list[Attribution]) -> list[Attribution]:
    """Order the attributions of one sentence from originator to publisher.

    The outermost is the attribution with the widest content; an attribution whose
    source opens that content ("… reported that Carlson stated …") is nested inside it;
    an "according to X" outside the content is the publisher of the whole.
    """
    verbs = [a for a in found if not a.according]
    according = [a for a in found if a.according]
    if not verbs:
        return according[:1]
    outer = max(verbs, key=lambda a: a.content_end - a.content_start)
    links = [outer]
    while True:
        current = links[-1]
        inner = next((a for a in verbs if a is not current and _opens(a, current)), None)
        if inner is None or inner in links:
            break
        links.append(inner)
    innermost = links[-1]
    for extra in according:
        if innermost.content_start <= extra.cue_start < innermost.content_end:
            links.append(extra)  # "X said that, according to police, …": police is the origin
        elif not _inside_any(extra, links):
            links.insert(0, extra)
    links.reverse()
    return links


def _opens(inner: Attribution, outer: Attribution) -> bool:
    return outer.content_start <= inner.source_start <= outer.content_start + 6 and inner.cue_end <= outer.content_end


def _inside_any(extra: Attribution, links: list[Attribution]) -> bool:
    return any(a.content_start <= extra.cue_start < a.content_end for a in links)


def _verb_attribution(text: str, tokens: list[Token], i: int, start: int, end: int) -> Attribution | None:
    cue = tokens[i]
    word = cue.text
    role = lx.SPEECH_CUES.get(word) or lx.EVIDENCE_CUES.get(word)
    if role is None:
        return None
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if (word in lx.AMBIGUOUS_CUES or word in lx.COGNITION_CUES) and after not in {"that", ":"}:
        return None
    source = _source_before(tokens, i)
    if source is not None:
        first, last = source
        if word in lx.EVIDENCE_CUES and tokens[last].lower not in lx.EVIDENCE_HEADS:
            return None
        return _preposed_or_postposed(text, tokens, i, first, last, role, start, end)
    return _inverted(text, tokens, i, role, start, end)


def _preposed_or_postposed(
    text: str, tokens: list[Token], i: int, first: int, last: int, role: str, start: int, end: int
) -> Attribution | None:
    cue = tokens[i]
    before = tokens[first - 1].text if first > 0 else ""
    following = _first_word_after(tokens, i)
    content_after = _content_after(text, tokens, i, end)
    postposed = before in {",", '"', "'", "-"} and first > 1 and (following in _PREPOSITION_START or not following)
    if postposed and not _has_that_soon(tokens, i):
        content_start, content_end = _clause_start(text, tokens, first, start), tokens[first - 1].start
        if before == "," or text[tokens[first - 1].start - 1:tokens[first - 1].start] in {",", "."}:
            content_end = _strip_back(text, content_start, content_end)
        elif before in {'"', "'"}:
            content_end = tokens[first - 1].end
        return _make(text, tokens, first, last, cue, role, content_start, content_end)
    if content_after is None:
        return None
    return _make(text, tokens, first, last, cue, role, *content_after)


def _inverted(text: str, tokens: list[Token], i: int, role: str, start: int, end: int) -> Attribution | None:
    # "…, said Sergei Lavrov" / "…," says FM Lavrov: the source follows the verb.
    if i == 0 or tokens[i - 1].text not in {",", '"', "'"} or i < 2:
        return None
    if lx.SPEECH_CUES.get(tokens[i].text) not in {"said", "added", "wrote", "told", "asked", "stated", "noted", "continued", "explained", "argued", "insisted", "warned", "replied", "responded"}:
        return None
    last = i
    for j in range(i + 1, min(len(tokens), i + 1 + _MAX_NP)):
        token = tokens[j]
        if token.is_capitalised or token.lower in {"of", "for", "the", "and"} and j + 1 < len(tokens) and tokens[j + 1].is_capitalised:
            last = j
            continue
        if token.lower in lx.ALL_PRONOUNS and j == i + 1:
            last = j
        break
    if last == i:
        return None
    content_start = _clause_start(text, tokens, i - 1, tokens[0].start)
    content_end = tokens[i - 1].start
    if tokens[i - 1].text in {'"', "'"}:
        content_end = tokens[i - 1].end
    else:
        content_end = _strip_back(text, content_start, content_end)
    if content_end - content_start < 8:
        return None
    source = text[tokens[i + 1].start:tokens[last].end]
    return Attribution(source, tokens[i + 1].start, tokens[last].end, tokens[i].text, role,
                       tokens[i].start, tokens[i].end, content_start, content_end)


def _according_attribution(
    text: str, tokens: list[Token], index_at: dict[int, int], match: re.Match[str], start: int, end: int
) -> Attribution | None:
    i = index_at.get(match.start())
    if i is None:
        return None
    j = i + 2
    last = j - 1
    while j < len(tokens) and j - i <= _MAX_NP + 2:
        token = tokens[j]
        if token.text in {",", ".", ";", ":", "-", "(", ")", '"'} or token.lower in {"that", "which", "who", "in", "on", "at", "during", "when"}:
            break
        last = j
        j += 1
    if last < i + 2:
        return None
    source = text[tokens[i + 2].start:tokens[last].end].rstrip(".")
    source_end = tokens[i + 2].start + len(source)
    at_start = all(t.text in {'"', "'", "("} or t.lower in {"but", "and", "so", "yet", "also"} for t in tokens[:i])
    if at_start:
        content_start = tokens[last + 1].end if last + 1 < len(tokens) and tokens[last + 1].text == "," else tokens[last].end
        content_end = _strip_back(text, content_start, end)
    else:
        content_start = _clause_start(text, tokens, i, start)
        content_end = _strip_back(text, content_start, tokens[i].start)
    content_start = _skip_space(text, content_start, content_end)
    if content_end - content_start < 8:
        return None
    return Attribution(source, tokens[i + 2].start, source_end, match.group(), "according to",
                       match.start(), match.end(), content_start, content_end, according=True)


def _make(
    text: str, tokens: list[Token], first: int, last: int, cue: Token, role: str, content_start: int, content_end: int
) -> Attribution | None:
    content_start = _skip_space(text, content_start, content_end)
    if content_end - content_start < 8:
        return None
    source = text[tokens[first].start:tokens[last].end]
    return Attribution(source, tokens[first].start, tokens[last].end, cue.text, role,
                       cue.start, cue.end, content_start, content_end)


def _source_before(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Return token indices (first, last) of the subject before verb ``i``, or None."""
    j = i - 1
    while j >= 0 and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j])):
        j -= 1
    if j < 0:
        return None
    last = j
    head = tokens[last]
    if head.lower in lx.ALL_PRONOUNS:
        return (last, last)
    if head.text == ",":
        return _appositive_source(tokens, last)
    if not _valid_head(head):
        return None
    return (_scan_np_left(tokens, last), last)


def _scan_np_left(tokens: list[Token], last: int) -> int:
    first = last
    lower_words = 0
    j = last - 1
    while j >= 0 and last - j < _MAX_NP:
        token = tokens[j]
        word = token.lower
        if token.text in {"'s", "'"} or token.text.endswith("'s") and token.is_capitalised:
            first = j
        elif token.is_capitalised and word not in lx.NP_STOP and word not in lx.ALL_PRONOUNS:
            first = j
        elif word in {"of", "for", "and", "&", "de", "in", "at", "on", "the"} and j > 0 and tokens[j + 1].is_capitalised and (
            tokens[j - 1].is_capitalised or word in {"of", "for", "the"}
        ):
            first = j if word == "the" else first
        elif word in lx.NP_FUNCTION:
            if word in {"and", "of", "for"} and not tokens[j + 1].is_capitalised and word != "of":
                break
            first = j if word not in {"and", "of", "for"} else first
        elif token.text.isalpha() and token.text.islower() and word not in lx.NP_STOP and not _is_verbish(word):
            lower_words += 1
            if lower_words > _MAX_LOWER:
                break
            first = j
        else:
            break
        j -= 1
    while first < last and tokens[first].lower in {"and", "of", "for", "in", "at", "on"}:
        first += 1
    return first


def _appositive_source(tokens: list[Token], comma: int) -> tuple[int, int] | None:
    # "Jane Doe, a spokeswoman for the ministry, said" -> the name before the appositive.
    for j in range(comma - 1, max(-1, comma - 16), -1):
        if tokens[j].text == ",":
            if j > 0 and _valid_head(tokens[j - 1]) and tokens[j - 1].is_capitalised:
                return (_scan_np_left(tokens, j - 1), j - 1)
            return None
        if tokens[j].text in {".", ";", '"', "(", ")"}:
            return None
    return None


def _valid_head(token: Token) -> bool:
    word = token.lower
    if word in lx.NP_STOP or not token.text[:1].isalnum():
        return False
    if token.is_capitalised:
        return True
    return word in lx.SOURCE_NOUNS or word.endswith(("ers", "ists", "ians", "man", "woman", "person", "ors"))


def _is_adverb(token: Token) -> bool:
    word = token.lower
    return len(word) > 4 and word.endswith("ly") and word not in {"family", "italy", "ally", "rally", "assembly", "daily", "supply"}


def _is_verbish(word: str) -> bool:
    # Crude but cheap: past forms and gerunds rarely belong to a source phrase.
    return word.endswith(("ed", "ing")) and word not in {"red", "united", "retired", "elected", "acting", "leading", "ruling", "governing"}


def _first_word_after(tokens: list[Token], i: int) -> str:
    j = i + 1
    while j < len(tokens) and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j])):
        j += 1
    return tokens[j].lower if j < len(tokens) else ""


def _has_that_soon(tokens: list[Token], i: int) -> bool:
    for j in range(i + 1, min(len(tokens), i + _THAT_WINDOW)):
        if tokens[j].lower == "that":
            return True
        if tokens[j].text in {",", ";", '"'}:
            return False
    return False


def _content_after(text: str, tokens: list[Token], i: int, end: int) -> tuple[int, int] | None:
    """Content of a pre-posed attribution: after "that", after ":" or straight after the verb."""
    j = i + 1
    limit = min(len(tokens), i + _THAT_WINDOW)
    for k in range(j, limit):
        if tokens[k].lower == "that":
            return tokens[k].end, _strip_back(text, tokens[k].end, end)
        if tokens[k].text in {";", '"'} or tokens[k].text == "," and k > j + 1:
            break
    while j < len(tokens) and tokens[j].text in {":", ",", "-"}:
        j += 1
    if tokens[i].text in {"told", "tells", "tell", "telling", "informed", "assured", "asked"}:
        j = _skip_object(tokens, j)
    if j >= len(tokens):
        return None
    return tokens[j].start, _strip_back(text, tokens[j].start, end)


def _skip_object(tokens: list[Token], j: int) -> int:
    start = j
    while j < len(tokens) and j - start < 5 and (tokens[j].lower in _OBJECT_WORDS or tokens[j].is_capitalised):
        j += 1
        if tokens[j - 1].lower in {"him", "her", "them", "me", "us", "reporters", "journalists", "cnn"}:
            break
    while j < len(tokens) and tokens[j].text in {",", ":"}:
        j += 1
    return j


def _clause_start(text: str, tokens: list[Token], before: int, start: int) -> int:
    """Start of the content that precedes a post-posed attribution (the sentence start)."""
    return tokens[0].start if tokens else start


def _strip_back(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,.;:-\n":
        end -= 1
    return end


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " ,:-\n":
        start += 1
    return start
