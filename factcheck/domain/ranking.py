"""Ranking earlier claims against a new text: which checked claim does a message repeat?

A reader's message or an article's sentence is long and noisy; a checked claim is short. The
order is BM25 over the text's terms (stems; links out; hashtags and handles split into words),
raised by how much of the *claim* the text contains (claim-side coverage, each claim term
weighted by its rarity, numbers and names extra: "20 cm since 1900" or a person's name identify
a claim better than common words). Coverage, 0 … 1, is also the similarity the desk's
thresholds read (``factcheck.domain.matching``).

The same code ranks for the app (candidates from the database's full-text index, statistics
from the index) and for ``factcheck match`` (an in-memory index over a file of claims).
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import snowballstemmer  # type: ignore[import-untyped]  # the package ships no type information

#: Words that say nothing about which claim is meant (English and Portuguese function words,
#: social-media noise such as "rt", "via", "pic").
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been before being
    below between both but by can cannot could couldn did didn do does doesn doing don down during each
    few for from further had hadn has hasn have haven having he her here hers herself him himself his how
    i if in into is isn it its itself just let ll me more most mustn my myself no nor not now of off on
    once only or other ought our ours ourselves out over own re same shan she should shouldn so some such
    than that the their theirs them themselves then there these they this those through to too under
    until up upon us ve very was wasn we were weren what when where which while who whom why will with
    won would wouldn you your yours yourself yourselves says said say saying told tells tell
    rt via pic amp http https www com twitter status html htm
    o os um uma umas uns de da das do dos e em no na nos nas que por para com se ao aos mais foi ser nao
    sao esta este isso isto ele ela eles elas seu sua
    """.split()
)

#: How much more a number, or a name, counts than a common word of the same rarity.
NUMBER_WEIGHT = 1.5
NAME_WEIGHT = 1.3
#: BM25's saturation and length normalisation (claims are short and alike in length).
K1 = 1.2
B = 0.75
#: How much full coverage of the claim raises its BM25 score in the ranking (a claim fully repeated ×2).
COVERAGE_BOOST = 1.0
#: Share of the similarity that comes from the claim's word pairs found side by side in the text.
PAIR_SHARE = 0.2

_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:pic\.twitter\.com|t\.co|bit\.ly)/\S+", re.IGNORECASE)
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")
#: PyStemmer's stemmer objects (snowballstemmer uses them when installed) are not safe across threads.
_STEMMER_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Analysed:
    """A text as the ranker sees it: its terms in order, and which of them are numbers or names."""

    terms: tuple[str, ...]
    weights: Mapping[str, float]
    #: Each term's first word as written (folded): what a full-text index of the raw text knows it by.
    words: Mapping[str, str]
    #: How often each term occurs (BM25's term frequency), counted once per text.
    counts: Mapping[str, int] = field(default_factory=dict)

    def __reduce__(self) -> tuple[type[Analysed], tuple[object, ...]]:
        # Pickled as its four fields (an article read in another process hands its claims' over): a
        # frozen dataclass's own state methods cost about as much to unpickle as analysing the text again.
        return Analysed, (self.terms, self.weights, self.words, self.counts)


def _split_tag(match: re.Match[str]) -> str:
    """``#PastIsPrologue`` → ``Past Is Prologue``; ``@realDonaldTrump`` → ``real Donald Trump``."""
    return " " + _CAMEL.sub(" ", match.group(1)).replace("_", " ") + " "


@lru_cache(maxsize=100_000)
def _term(word: str) -> str | None:
    """The term of a lower-cased word: its stem, the number itself, or None for a stopword."""
    word = word.replace("_", "")
    if word in STOPWORDS or not word:
        return None
    if word.isdigit():
        return word
    if len(word) < 2:
        return None
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word))


def _fold(text: str) -> str:
    """Accents off (case kept): "São Tomé" → "Sao Tome"."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


#: Characters after which the next word begins a sentence (so its capital says nothing).
_SENTENCE_END = frozenset(".!?:\n\"“")


#: Texts analysed in another process, for ``analyse`` to take instead of analysing them (``take_analysed``).
_GIVEN: dict[str, Analysed] = {}


@lru_cache(maxsize=20_000)
def analyse(text: str) -> Analysed:
    """Terms of ``text``: links out, hashtags and handles split into words, accents folded, stemmed.

    Results are cached (claims are analysed again for every text they are a candidate for); the
    returned value must not be changed.
    """
    given = _GIVEN.pop(text, None)
    if given is not None:
        return given
    text = _fold(_THOUSANDS.sub("", _TAG.sub(_split_tag, _URL.sub(" ", text))))
    terms: list[str] = []
    weights: dict[str, float] = {}
    words: dict[str, str] = {}
    starts_sentence = True
    length = len(text)
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        end = match.end()
        begins = starts_sentence
        starts_sentence = end < length and text[end] in _SENTENCE_END
        folded = raw.lower()
        term = _term(folded)
        if term is None:
            continue
        if term.isdigit():
            weight = NUMBER_WEIGHT
        # A capitalised word inside a sentence is a name (in all-capitals text nothing is).
        elif raw[0].isupper() and not begins and not raw.isupper():
            weight = NAME_WEIGHT
        else:
            weight = 1.0
        terms.append(term)
        if weights.get(term, 0.0) < weight:
            weights[term] = weight
        if term not in words:
            words[term] = folded.replace("_", "")
    return Analysed(tuple(terms), weights, words, Counter(terms))


def take_analysed(analysed: Iterable[tuple[str, Analysed]]) -> None:
    """Texts with what ``analyse`` makes of them, made elsewhere (an article read ahead in another process):
    from now on ``analyse`` returns these as its own, without analysing the texts again. A text it has
    already analysed keeps its own (equal) value."""
    for text, terms in analysed:
        _GIVEN[text] = terms
        analyse(text)  # not cached yet: takes the given value into the cache
        _GIVEN.pop(text, None)


#: At most this many distinct terms of a long text are looked up (numbers and names first).
MAX_QUERY_TERMS = 40


def query_terms(query: Analysed, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """The distinct terms of a text to look up, numbers and names first, then words in order of appearance."""
    order = {term: place for place, term in enumerate(dict.fromkeys(query.terms))}
    return sorted(order, key=lambda t: (-query.weights[t], order[t]))[:limit]


#: Document frequencies of terms: in how many claims of the collection each occurs.
Frequencies = Mapping[str, int]
#: Looks up the document frequencies of some terms (the database's index, or an in-memory count).
FrequencyLookup = Callable[[Collection[str]], Frequencies]


class CachedLookup:
    """A frequency lookup that asks its source about each term once."""

    def __init__(self, source: FrequencyLookup) -> None:
        self.source = source
        self.known: dict[str, int] = {}

    def __call__(self, terms: Collection[str]) -> Frequencies:
        """The frequencies of ``terms``, asking the source only about new ones."""
        new = [t for t in dict.fromkeys(terms) if t not in self.known]
        if new:
            found = self.source(new)
            self.known.update({t: found.get(t, 0) for t in new})
        return {t: self.known[t] for t in terms}


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """How many claims there are, their average length, and in how many of them each known term occurs."""

    documents: int
    average_length: float
    frequencies: Frequencies
    #: The idf of each looked-up term, once computed (a ranking asks for the same terms' many times).
    known_idf: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency (always positive); a term not looked up counts as found once."""
        value = self.known_idf.get(term)
        if value is None:
            df = min(max(self.frequencies.get(term, 1), 1), self.documents)
            value = math.log(1.0 + (self.documents - df + 0.5) / (df + 0.5))
            if term in self.frequencies:  # a term looked up later gets its own count then
                self.known_idf[term] = value
        return value


@dataclass(frozen=True, slots=True)
class Score:
    """How well a text matches a claim: ``similarity`` (0 … 1, for thresholds) and ``rank`` (for order)."""

    similarity: float
    rank: float


@lru_cache(maxsize=20_000)
def _pairs(terms: tuple[str, ...]) -> set[tuple[str, str]]:
    """The adjacent pairs of different terms (the same set for the same terms: it must not be changed)."""
    return {(a, b) for a, b in zip(terms, terms[1:]) if a != b}


def bm25(query: Analysed, claim: Analysed, stats: CorpusStats) -> float:
    """Okapi BM25 of the claim for the query's distinct terms."""
    shared = query.weights.keys() & claim.weights.keys()
    if not shared:
        return 0.0
    counts = claim.counts or Counter(claim.terms)
    norm = K1 * (1.0 - B + B * len(claim.terms) / max(stats.average_length, 1.0))
    return sum(stats.idf(t) * counts[t] * (K1 + 1.0) / (counts[t] + norm) for t in shared)


def _bm25_all(query: Analysed, idf: Mapping[str, float], claims: Sequence[tuple[K, Analysed]],
              average_length: float) -> list[tuple[float, int]]:
    """``bm25`` of each claim with its place, the query terms' idf computed once (the first pass scores up to
    ``CANDIDATES`` claims for each text of an article)."""
    terms = query.weights.keys()
    saturation = K1 + 1.0
    average = max(average_length, 1.0)
    scored = []
    for place, (_, claim) in enumerate(claims):
        shared = terms & claim.weights.keys()
        if not shared:
            scored.append((0.0, place))
            continue
        counts = claim.counts or Counter(claim.terms)
        norm = K1 * (1.0 - B + B * len(claim.terms) / average)
        scored.append((sum(idf[t] * counts[t] * saturation / (counts[t] + norm) for t in shared), place))
    return scored


def coverage(query: Analysed, claim: Analysed, stats: CorpusStats) -> float:
    """How much of the claim the text contains, 0 … 1.

    Each claim term counts by its rarity (numbers and names extra); a fifth of the measure is the
    claim's adjacent term pairs found side by side in the text, so that a paraphrase with the same
    words scattered scores below a repeat.
    """
    shared = query.weights.keys() & claim.weights.keys()
    if not shared:
        return 0.0
    known, idf = stats.known_idf, stats.idf  # most terms' idf is known: read it without a call
    mass = {t: (known[t] if t in known else idf(t)) * w for t, w in claim.weights.items()}
    covered = sum(mass[t] for t in shared) / sum(mass.values())
    claim_pairs = _pairs(claim.terms)
    if not claim_pairs:
        return covered
    found = _pairs(query.terms)  # cached: a text is scored against many claims
    pair_mass = {p: mass[p[0]] + mass[p[1]] for p in claim_pairs}
    paired = sum(m for p, m in pair_mass.items() if p in found) / sum(pair_mass.values())
    return (1.0 - PAIR_SHARE) * covered + PAIR_SHARE * paired


def score(query: Analysed, claim: Analysed, stats: CorpusStats) -> Score:
    """BM25 raised by coverage for the order; coverage alone as the similarity."""
    similarity = coverage(query, claim, stats)
    return Score(round(similarity, 4), bm25(query, claim, stats) * (1.0 + COVERAGE_BOOST * similarity))


#: How many of the best claims by BM25 get the full score (their other terms are looked up for coverage).
RESCORED = 6

K = TypeVar("K")


def rank_claims(query: Analysed, claims: Sequence[tuple[K, Analysed]], documents: int,
                lookup: FrequencyLookup, top: int = 5) -> list[tuple[K, Score]]:
    """The ``top`` claims ``query`` most likely repeats, best first, with their scores.

    ``claims`` are the candidates (from a full-text index), ``documents`` the size of the whole
    collection and ``lookup`` its document frequencies. BM25 over the text's terms picks the
    ``RESCORED`` best; the frequencies of their remaining terms are then looked up, and the full
    score (BM25 raised by coverage) orders them. Claims sharing no term with the text are left out.
    """
    return rank_claims_many([(query, claims)], documents, lookup, top)[0]


def rank_claims_many(searches: Sequence[tuple[Analysed, Sequence[tuple[K, Analysed]]]], documents: int,
                     lookup: FrequencyLookup, top: int = 5) -> list[list[tuple[K, Score]]]:
    """``rank_claims`` for several texts, each with its candidates, in one collection.

    Each text is ranked exactly as ``rank_claims`` ranks it; the other terms of every text's best
    candidates are looked up together, in one call of ``lookup`` (an article's claims at ingest).
    """
    # Every text's counts come from the same lookup, so a term's idf is the same for all of them.
    known_idf: dict[str, float] = {}
    firsts = [_first_pass(query, claims, documents, lookup, top, known_idf) for query, claims in searches]
    missing = {t: None for first in firsts if first is not None for t in first.missing}
    found = lookup(list(missing)) if missing else {}
    results: list[list[tuple[K, Score]]] = []
    for first, (_, claims) in zip(firsts, searches):
        if first is None:
            results.append([])
            continue
        first.frequencies.update({t: found[t] for t in first.missing})
        scored = [(score(first.query, claims[place][1], first.stats), place) for place in first.best]
        scored.sort(key=lambda pair: (-pair[0].rank, pair[1]))
        results.append([(claims[place][0], result) for result, place in scored[:top]])
    return results


@dataclass(frozen=True, slots=True)
class _FirstPass:
    """A text's terms as looked up, the places of its best candidates by BM25 that may be among the top ones,
    and their terms not looked up yet."""

    query: Analysed
    stats: CorpusStats
    frequencies: dict[str, int]
    best: list[int]
    missing: list[str]


def _first_pass(query: Analysed, claims: Sequence[tuple[K, Analysed]], documents: int,
                lookup: FrequencyLookup, top: int, known_idf: dict[str, float]) -> _FirstPass | None:
    """BM25 over the text's looked-up terms picks its ``RESCORED`` best candidates, and of those the ones
    that may be among the ``top`` (None: no candidate)."""
    if not claims or not query.weights:
        return None
    wanted = query_terms(query)
    frequencies = dict(lookup(wanted))
    average = sum(len(c.terms) for _, c in claims) / len(claims)
    stats = CorpusStats(max(documents, 1), average, frequencies, known_idf)
    looked_up = query.weights.keys() & set(wanted)
    limited = query if looked_up == query.weights.keys() else Analysed(
        tuple(t for t in query.terms if t in looked_up), {t: query.weights[t] for t in looked_up},
        {t: query.words[t] for t in looked_up})
    idf = {t: stats.idf(t) for t in limited.weights}
    first = _bm25_all(limited, idf, claims, average)
    best = [(value, -negated) for value, negated in
            heapq.nlargest(RESCORED, ((value, -place) for value, place in first if value > 0.0))]
    if not best:
        return None
    # The full score is BM25 × (1 + coverage), coverage 0 … 1: a claim whose BM25 is less than half of
    # ``top`` others' cannot be among the ``top``, so its other terms need no lookup and it no score
    # (the margin keeps rounding from ever dropping one that could be).
    contenders = [place for value, place in best if sum(1 for other, _ in best if other > 2.000001 * value) < top]
    missing = list(dict.fromkeys(t for place in contenders for t in claims[place][1].weights if t not in frequencies))
    return _FirstPass(limited, stats, frequencies, contenders, missing)


#: How many claims the first pass (sum of shared terms' idf) hands on to ``rank_claims``.
CANDIDATES = 60
#: Terms in more claims than this (or this share of them, whichever is more) do not find candidates:
#: their long lists of claims would cost more than they tell. ``rank_claims`` still counts them.
COMMON_CLAIMS = 500
COMMON_SHARE = 0.01
#: The first pass uses at least this many terms, the rarest, however common they are.
MIN_SEARCH_TERMS = 3


def common_limit(documents: int) -> int:
    """From how many claims on a term is common: it finds no candidates, and counts as found in this many.

    Counting common terms further would cost the database time for little: their weight is small anyway.
    """
    return max(COMMON_CLAIMS, int(COMMON_SHARE * documents))


def search_plan(terms: Sequence[str], frequencies: Frequencies, documents: int) -> list[str]:
    """The terms whose claims are gathered as candidates: all but the common ones, rarest first."""
    present = sorted((t for t in terms if frequencies.get(t, 0) > 0), key=lambda t: (frequencies[t], t))
    limit = common_limit(documents)
    rare = sum(1 for t in present if frequencies[t] < limit)
    return present[:max(rare, MIN_SEARCH_TERMS)]


def best_candidates(postings: Mapping[str, Iterable[int]], documents: int, frequencies: Frequencies,
                    limit: int = CANDIDATES) -> list[int]:
    """The ``limit`` claims (keys of ``postings``' lists) with the largest sum of shared terms' idf.

    Ties go to the lower key (the earlier claim), so the choice does not depend on the order of rows.
    """
    stats = CorpusStats(max(documents, 1), 1.0, frequencies)
    accumulated: dict[int, float] = {}
    get = accumulated.get
    for term, keys in postings.items():
        weight = stats.idf(term)
        for key in keys:
            accumulated[key] = get(key, 0.0) + weight
    if len(accumulated) > limit:  # only claims reaching the limit-th largest sum can be chosen
        # (A sort in C beats heapq's loop in Python for the few thousand sums an article's claims gather.)
        floor = sorted(accumulated.values(), reverse=True)[limit - 1]
        accumulated = {key: value for key, value in accumulated.items() if value >= floor}
    return [-negated for _, negated in sorted(((value, -key) for key, value in accumulated.items()),
                                              reverse=True)[:limit]]


@dataclass(frozen=True, slots=True)
class Ranked:
    """A claim of an index, its place among the matches and its score."""

    claim_id: str
    rank: int
    score: Score


class ClaimIndex:
    """An in-memory index over claims, working as the app does over its full-text index.

    ``search_plan`` and ``best_candidates`` pick the candidates from the postings of the text's
    rarer terms; ``rank_claims`` orders them.
    """

    def __init__(self, claims: Iterable[tuple[str, str]]) -> None:
        self.ids: list[str] = []
        self.claims: list[Analysed] = []
        self.postings: dict[str, list[int]] = {}
        for claim_id, text in claims:
            analysed = analyse(text)
            position = len(self.ids)
            self.ids.append(claim_id)
            self.claims.append(analysed)
            for term in analysed.weights:
                self.postings.setdefault(term, []).append(position)

    def frequencies(self, terms: Collection[str]) -> Frequencies:
        """In how many claims each term occurs (up to ``common_limit``, as the database counts)."""
        limit = common_limit(len(self.ids))
        return {t: min(len(self.postings.get(t, ())), limit) for t in terms}

    def search(self, text: str, top: int = 5) -> list[Ranked]:
        """The ``top`` claims that ``text`` most likely repeats, best first."""
        query = analyse(text)
        documents = len(self.ids)
        lookup = CachedLookup(self.frequencies)
        frequencies = lookup(query_terms(query))
        plan = search_plan(list(frequencies), frequencies, documents)
        candidates = best_candidates({t: self.postings[t] for t in plan}, documents, frequencies)
        ranked = rank_claims(query, [(d, self.claims[d]) for d in candidates], documents, lookup, top)
        return [Ranked(self.ids[d], place, result) for place, (d, result) in enumerate(ranked, start=1)]
