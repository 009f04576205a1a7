"""Check-worthiness: how much a sentence asserts something a fact-checker could verify.

A logistic regression over general features of the sentence (word and word-pair features
from a vocabulary, numbers, names by capitalisation, length, questions, first person,
hedges and opinion words, comparisons) and of its speaker's place in the text (a host who
asks the questions or narrates, the start of a turn, an answer to someone's question). The
weights were learned by ``bench/train_checkworthy.py`` on the CLEF 2019 CheckThat! Task 1
training debates and ship as ``checkworthy_model.json``, read here with the standard library.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MODEL_FILE = "checkworthy_model.json"
#: The model file's layout; the loader refuses another one rather than scoring with it wrongly.
MODEL_FORMAT = 1
#: A speaker whose lines are at least this often questions moderates or interviews.
HOST_QUESTION_RATE = 0.12

#: Names under which words and pairs outside the vocabulary are weighed.
UNKNOWN_WORD = "w:<unk>"
UNKNOWN_PAIR = "b:<unk>"

_TOKEN = re.compile(r"\$?\d[\d,.]*%?|[A-Za-z]+(?:'[A-Za-z]+)?")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_QUANTITY = frozenset(
    "percent million millions billion billions trillion trillions thousand thousands hundred hundreds dozen "
    "dozens half twice double triple quarter third majority".split())
_MONEY = frozenset("dollar dollars tax taxes budget deficit debt cost costs paid pay spent spending".split())
_FIRST_SINGULAR = frozenset("i me my mine myself i'm i've i'll i'd".split())
_FIRST_PLURAL = frozenset("we us our ours ourselves we're we've we'll we'd".split())
_SECOND = frozenset("you your yours yourself you're you've you'll you'd".split())
_OPINION = frozenset(
    "think believe feel hope guess wish should ought must maybe perhaps probably wonderful terrible "
    "great beautiful disaster love hate".split())
_SUPERLATIVE = frozenset(
    "most least largest biggest highest lowest best worst first only ever never record greatest smallest".split())
_COMPARATIVE = frozenset("more less fewer than bigger higher lower larger smaller".split())
_NEGATION = frozenset("not no never nothing nobody none don't doesn't didn't isn't wasn't won't can't".split())
_LENGTHS = ((3, "1-3"), (6, "4-6"), (10, "7-10"), (15, "11-15"), (25, "16-25"))


@dataclass(frozen=True, slots=True)
class Context:
    """Where a sentence stands in its text: who speaks it and what came just before."""

    #: The speaker moderates, interviews or narrates rather than making the claims.
    host: bool = False
    #: The first sentence of a speaker's turn.
    turn_start: bool = False
    #: The sentence answers a question another speaker has just asked.
    after_question: bool = False



#: A word's feature: the first lexicon that holds it, in this order.
_WORD_FEATURES = ((_QUANTITY, "f:quantity"), (_MONEY, "f:money"), (_FIRST_SINGULAR, "f:first-singular"),
                  (_FIRST_PLURAL, "f:first-plural"), (_SECOND, "f:second-person"), (_OPINION, "f:opinion"),
                  (_SUPERLATIVE, "f:superlative"), (_COMPARATIVE, "f:comparative"), (_NEGATION, "f:negation"))

def features(sentence: str, context: Context = Context()) -> dict[str, float]:
    """Return a sentence's features by name with their values.

    Shape and context features are 1. Words (``w:``) and word pairs (``b:``, lower-case,
    numbers as ``<num>``/``<year>``, ``<s>`` before the first word) share a total weight of
    one square root, so a long sentence does not win on its word count alone.
    """
    tokens = _TOKEN.findall(sentence)
    found = {"bias"}
    words: list[str] = ["<s>"]
    proper = 0
    for index, token in enumerate(tokens):
        first = token[0]
        if first.isdigit() or first == "$":
            found.add("f:number")
            if _YEAR.match(token):
                found.add("f:year")
                words.append("<year>")
            else:
                words.append("<num>")
            if token.endswith("%"):
                found.add("f:quantity")
            if first == "$":
                found.add("f:money")
            continue
        word = token.lower()
        words.append(word)
        if index and first.isupper() and word not in _FIRST_SINGULAR:
            proper += 1
        feature = next((name for lexicon, name in _WORD_FEATURES if word in lexicon), None)
        if feature is not None:
            found.add(feature)
    found.add(f"f:names={min(proper, 3)}")
    count = len(tokens)
    found.add("f:length=" + next((label for limit, label in _LENGTHS if count <= limit), "26+"))
    stripped = sentence.strip()
    if stripped.endswith("?"):
        found.add("f:question")
    elif stripped.endswith("!"):
        found.add("f:exclamation")
    if stripped.startswith("(") and stripped.endswith(")"):
        found.add("f:aside")
    if '"' in stripped:
        found.add("f:quotation")
    if context.host:
        found.add("c:host")
    if context.turn_start:
        found.add("c:turn-start")
    if context.after_question:
        found.add("c:after-question")
    lexical = {f"w:{word}" for word in words[1:]}
    lexical.update(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    result = dict.fromkeys(found, 1.0)
    if lexical:
        result.update(dict.fromkeys(lexical, 1.0 / math.sqrt(len(lexical))))
    return result


def contexts(lines: Sequence[tuple[str, str]]) -> list[Context]:
    """Return each line's context in a transcript of ``(speaker, sentence)`` pairs (speaker may be "")."""
    asked: dict[str, list[int]] = {}
    for speaker, sentence in lines:
        counts = asked.setdefault(speaker, [0, 0])
        counts[0] += 1
        counts[1] += sentence.rstrip().endswith("?")
    hosts = {speaker for speaker, (total, questions) in asked.items()
             if speaker and questions >= HOST_QUESTION_RATE * total}
    result: list[Context] = []
    previous_speaker: str | None = None
    previous_question = False
    for speaker, sentence in lines:
        changed = bool(speaker) and speaker != previous_speaker
        result.append(Context(host=speaker in hosts, turn_start=changed or previous_speaker is None,
                              after_question=changed and previous_question))
        previous_speaker = speaker
        previous_question = sentence.rstrip().endswith("?")
    return result


class Model:
    """Logistic-regression weights by feature name, the scale that turns log-odds into 0..1, and notes.

    ``scale`` holds the log-odds at the 0th, 1st, … 100th percentile of the training sentences:
    a sentence's check-worthiness is the share of those sentences it outranks (interpolated),
    so 0.9 means "more check-worthy than nine in ten sentences of the training debates".
    """

    def __init__(self, weights: dict[str, float], scale: Sequence[float] = (),
                 notes: dict[str, object] | None = None) -> None:
        self.weights = weights
        self.scale = list(scale)
        self.notes = notes or {}

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Read a model file; a file of another layout raises ``ValueError``."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ValueError(f"This is not a check-worthiness model of format {MODEL_FORMAT}.")
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(isinstance(v, (int, float)) for v in weights.values()):
            raise ValueError("The check-worthiness model has no weights table of numbers.")
        scale = data.get("scale")
        if not isinstance(scale, list) or len(scale) < 2 or not all(isinstance(v, (int, float)) for v in scale) \
                or any(a > b for a, b in zip(scale, scale[1:])):
            raise ValueError("The check-worthiness model has no rising scale of log-odds.")
        notes = {key: value for key, value in data.items() if key not in ("format", "weights", "scale")}
        return cls({str(k): float(v) for k, v in weights.items()}, [float(v) for v in scale], notes)

    def to_json(self) -> str:
        """Write the model file: the weights sorted by name, one per line, so changes diff well."""
        body = ",\n".join(f"  {json.dumps(name)}: {weight:.4f}" for name, weight in sorted(self.weights.items()))
        notes = "".join(f"{json.dumps(key)}: {json.dumps(value)},\n" for key, value in self.notes.items())
        scale = ", ".join(f"{value:.4f}" for value in self.scale)
        return f'{{"format": {MODEL_FORMAT},\n{notes}"scale": [{scale}],\n"weights": {{\n{body}\n}}}}\n'

    def logit(self, values: dict[str, float]) -> float:
        """Return the log-odds that a sentence with these feature values is check-worthy.

        A word or pair outside the vocabulary counts as ``w:<unk>`` or ``b:<unk>``, whose
        weights were learned from the words too rare in training to enter it.
        """
        weights = self.weights
        unknown = {"w": weights.get(UNKNOWN_WORD, 0.0), "b": weights.get(UNKNOWN_PAIR, 0.0)}
        total = 0.0
        for name, value in values.items():
            weight = weights.get(name)
            if weight is None:
                weight = unknown.get(name[0], 0.0) if name[1] == ":" else 0.0
            total += weight * value
        return total

    def rescale(self, logit: float) -> float:
        """Return the share of training sentences that log-odds outrank, in 0..1."""
        scale = self.scale
        if not scale or logit <= scale[0]:
            return 0.0
        if logit >= scale[-1]:
            return 1.0
        above = bisect_right(scale, logit)
        low, high = scale[above - 1], scale[above]
        fraction = (logit - low) / (high - low) if high > low else 1.0
        return (above - 1 + fraction) / (len(scale) - 1)

    def checkworthiness(self, sentence: str, context: Context = Context()) -> float:
        """Return the check-worthiness of one sentence in 0..1, unrounded; 0 without a word or number.

        The tokens are English words and numbers: a sentence in another script has none.
        """
        if not _TOKEN.search(sentence):
            return 0.0
        return self.rescale(self.logit(features(sentence, context)))


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """Return the model that ships with the package (read once)."""
    text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return Model.from_json(text)


def score_transcript(lines: Sequence[tuple[str, str]], model: Model | None = None) -> list[float]:
    """Return the check-worthiness of every ``(speaker, sentence)`` line of a transcript, in order."""
    chosen = model or shipped_model()
    return [chosen.checkworthiness(sentence, context) for (_, sentence), context in zip(lines, contexts(lines))]


def score(sentence: str, *, attributed: bool, chain_length: int = 0) -> float:
    """Return a check-worthiness score in 0..1 (two decimals) for one folded sentence of an article.

    An attributed sentence is its claimant's turn, as a debater's line is; the article's own
    voice narrates, as a debate's host does. The chain's length is not a feature: the
    training debates have no reported speech to learn its weight from.
    """
    del chain_length
    return round(shipped_model().checkworthiness(sentence, Context(host=not attributed)), 2)
