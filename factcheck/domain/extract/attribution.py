"""Find who said what in one sentence: source phrase, reporting verb and content span.

The rules cover the forms news prose uses: "X said (that) …", "…, X said", "…, said X",
"according to X", "X told Y that …", and nesting ("A reported that B stated that C told
him …").  Offsets are into the folded text (equal to the original's).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import lexicon as lx
from .segment import ABBREVIATIONS, quote_regions
from .sources import classify

_TOKEN = re.compile(r"\d+(?:/\d+)+|(?:[A-Za-z]\.){2,}|[^\W_]+(?:['&.-][^\W_]+)*\.?|\S")
_CUE_FORMS = frozenset({**lx.SPEECH_CUES, **lx.EVIDENCE_CUES, **lx.BASE_CUES})
# Headlines capitalise verbs ("…, Lindsey Graham Says"); only unambiguous forms count there.
_TITLE_FORMS = frozenset(
    form.capitalize() for form in _CUE_FORMS
    if form.endswith("s") and form not in lx.AMBIGUOUS_CUES and form not in lx.BASE_CUES
)
_ALL_CUE_FORMS = _CUE_FORMS | _TITLE_FORMS
_ACCORDING = re.compile(r"\b[Aa]ccording to\b")
_NOMINAL = re.compile(
    # The owner starts a word (without the look-behind a long capitalised run is tried from each letter).
    r"(?<![\w.'-])(?P<owner>(?:[Tt]he\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}|[Tt]he\s+(?:[a-z][\w-]*\s+)?[a-z][\w-]*(?='))"
    r"'s?\s+(?:\w+\s+){0,2}?"
    r"(?P<noun>(?:" + "|".join(lx.NOMINAL_CUES) + r")s?)(?:\s+(?:is|was|remains))?\s+that\b"
)
_ADVERBIAL_BEFORE = re.compile(
    r"\b(?:despite|in spite of|after|amid|following|given|contrary to|notwithstanding|because of)\s+$",
    re.IGNORECASE)
_ADVERBIAL_REACH = 20
_SPEAKER_LABEL = re.compile(
    r"""["']?\s*(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}):\s+(?=["'A-Z0-9])"""
)
_DASH_CREDIT = re.compile(r"""["']\s*(?P<dash>-{1,2})\s*(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\.?\s*$""")
_SPOKE_ABOUT = re.compile(r"(?:(?:out|up|\w+ly|more|less|often|in\s+public|at\s+length|[A-Z][a-z]+day)\s+){0,3}"
                          r"(?:about|of|on behalf)\b")
_CLAUSE_BREAK = re.compile(r"(?:;|,\s*(?:while|whereas|but|and))\s*(?:the\s+)?$", re.IGNORECASE)
#: Characters before a second subject within which "; " or ", while the" is looked for (the pattern is anchored there).
_CLAUSE_BREAK_REACH = 30
_TRAILING_CONJUNCTION = re.compile(r"(?:[\s,;]+(?:and|but|while|then|also|as well as))*[\s,;-]*$")

# --- the bounds of the rules (tokens are words and punctuation marks) ----------------------------

#: The longest source phrase, in tokens, that a scan to the left or right of a verb reads.
_MAX_NP = 10
#: Words before "…, X said" needed for them to be content (fewer are an adverbial opener).
_MIN_POSTPOSED_WORDS = 4
#: Lower-case words a source phrase may hold ("former Fox News host Tucker Carlson").
_MAX_LOWER = 4
#: Tokens after the verb within which a "that" still opens the content ("said on Monday that …").
_THAT_WINDOW = 16
#: The shortest content, in characters, of a verb, "according to" or dash-credited report.
_MIN_CONTENT_CHARS = 8
#: The shortest content, in characters, of a report named by a noun or a "Label: …" line.
_MIN_LABELLED_CONTENT_CHARS = 12
#: How far, in characters, into an outer "that"-clause a nested report's source may start.
_NESTED_SOURCE_OFFSET = 6
#: Words before "…, he said." closing the sentence, or "X, he said, would …", that are content.
_MIN_SHORT_LEAD = 2
#: Words after "…, he said," needed for the content to run on both sides of the verb.
_MIN_WORDS_AFTER_SPLIT = 3
#: Tokens after "…, he said," searched for an "according", which stops the content running on past the verb.
_ACCORDING_LOOKAHEAD = 3
#: Adverbial openers skipped before a clause subject ("On Thursday, however, …").
_MAX_OPENERS = 2
#: Tokens after an opener within which the comma closing it must come.
_OPENER_WINDOW = 14
#: Tokens, from its determiner, that a lower-case source phrase after the verb may span ("said one GOP source").
_MAX_DETERMINED_NP = 6
#: Tokens of a bracket after a name, both brackets included ("said Rep. Gwen Moore (D-Wis.)").
_MAX_BRACKET_AFTER_NAME = 8
#: Tokens back from a closing bracket within which its opening bracket is looked for.
_MAX_BRACKET_BEFORE_VERB = 12
#: Tokens back from the verb within which an appositive's name is looked for ("Jane Roe, a lawyer …, said").
_APPOSITIVE_WINDOW = 30
#: Commas crossed looking for an appositive's name before giving up.
_MAX_APPOSITIVE_COMMAS = 3
#: Tokens of the object of "told" ("told the Associated Press").
_MAX_OBJECT = 5
#: Roles that take "for" and their principal inside a source phrase ("a lawyer for the family").
_ROLE_NOUNS = frozenset("spokesman spokeswoman spokesperson lawyer lawyers attorney attorneys adviser advisers "
                        "advisor aide aides representative representatives counsel director".split())
#: Characters of a descriptor opening a "that"-clause before the nested speaker's name.
_MAX_APPOSITIVE_LEAD = 60
_APPOSITIVE_LEAD = re.compile(r"\s*(?:the\s+|a\s+|an\s+)?[\w\s'.-]+,\s*")
#: Lower-case or numeric words before a name after an inverted verb ("said 9/11 widow Terry Strada").
_MAX_DESCRIPTORS = 3
_NOT_DESCRIPTORS = frozenset("of for to in on at by with from the a an his her their its".split())
_TIME_WORDS = frozenset("today yesterday tonight january february march april june july august september october "
                        "november december".split())
#: The shortest word taken for an "-ly" adverb ("only" and "fly" are not skipped as adverbs).
_MIN_ADVERB_CHARS = 5


@dataclass(slots=True)
class Token:
    """A word or punctuation mark with its offsets (``lower`` is precomputed: it is read often)."""

    text: str
    start: int
    end: int
    lower: str = ""
    is_capitalised: bool = False

    def __post_init__(self) -> None:
        self.lower = self.text.lower().rstrip(".") if len(self.text) > 1 else self.text.lower()
        self.is_capitalised = self.text[:1].isupper()


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
    via_that: bool = False
    #: "…, according to X." closing the sentence.
    trailing: bool = False
    #: A report named by a noun ("Putin's statements that …").
    nominal: bool = False
    #: Set by ``chains`` on a report named by a noun inside another's content: that outer report.
    nested_in: Attribution | None = None
    #: Set by ``chains`` on a claim named by a noun that another report denies or confirms
    #: ("X denied reports by Z that Y", "Z's claim was later denied by X"): that report.
    answered_by: Attribution | None = None
    #: A speaker quoting someone inside their own quotation ("…, he said, 'If we …'"): the inner one.
    quoted: bool = False
    #: Where the source phrase is resolved, when not at ``source_start`` (a quoted "he" is no one of its sentence).
    resolve_at: int | None = None
    #: A passive report without its agent ("X was accused of …", "it was reported that …"): no one named.
    unnamed: bool = False


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Split text[start:end] into word and punctuation tokens ("Mr." keeps its dot, "said." does not)."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word, word_start, word_end = match.group(), match.start(), match.end()
        # A one-letter initial ("J.") keeps its dot, and so does an abbreviation.
        if len(word) > 2 and word.endswith(".") and word[:-1].lower() not in ABBREVIATIONS and "." not in word[:-1]:
            tokens.append(Token(word[:-1], word_start, word_end - 1))
            tokens.append(Token(".", word_end - 1, word_end))
        else:
            tokens.append(Token(word, word_start, word_end))
    return tokens


#: Auxiliaries that agree with a plural subject: an "-s" form right before one is a noun ("advocates have").
_PLURAL_AUXILIARIES = frozenset("have are were will would can could should may might must do did had "
                                "haven't aren't weren't won't wouldn't can't couldn't shouldn't don't didn't".split())


def _plain_verb(token: Token) -> bool:
    """A plain form of a reporting verb ("say", "argue"), which agrees with a plural subject before it."""
    return token.text in _CUE_FORMS and token.text.islower() and not token.text.endswith(("s", "ed", "ing")) \
        and token.text not in lx.AMBIGUOUS_CUES


def find(text: str, start: int, end: int) -> list[Attribution]:
    """Return every attribution in the sentence text[start:end], in text order."""
    tokens = tokenize(text, start, end)
    if not tokens:
        return []
    quoted = quote_regions(text, start, end) if '"' in text[start:end] else []
    found: list[Attribution] = []
    last_single = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].text == "'"), -1) if quoted else -1
    quoting = False
    for i, token in enumerate(tokens):
        if token.text not in _ALL_CUE_FORMS and not (token.text in lx.PROGRESSIVE_CUES and (
                _progressive(tokens, i) or _participle_adjunct(tokens, i) or _absolute_subject(tokens, i) is not None)):
            continue
        if token.text.endswith("s") and i + 1 < len(tokens) and (
                tokens[i + 1].lower in _PLURAL_AUXILIARIES or _plain_verb(tokens[i + 1])):
            continue  # "Voting rights advocates have expressed …", "which advocates say …": a plural noun
        if any(q_start < token.start < q_end for q_start, q_end in quoted):
            inner = _quoted_report(text, tokens, i, start, last_single) if not quoting else None
            if inner is not None:
                found.append(inner)
                quoting = True  # one quoted speaker per sentence: the inner quotation runs to its end
            continue  # a verb inside a quotation belongs to the quoted speaker's words
        attribution = _verb_attribution(text, tokens, i, end)
        if attribution:
            found.append(attribution)
    index_at = {token.start: i for i, token in enumerate(tokens)}
    for match in _ACCORDING.finditer(text, start, end):
        attribution = _according_attribution(text, tokens, index_at, match, end)
        if attribution:
            found.append(attribution)
    if "that" in text[start:end]:
        found.extend(_nominal_attributions(text, start, end))  # a noun of report always has its "that"
    # A proposal, an intention or a topic named inside a quotation or inside another report's content is
    # part of those words.
    if any(noun in text[start:end] for noun in _PROPOSAL_NOUNS):
        found.extend(_outside(_proposals(text, tokens, index_at, start, end), quoted, found))
    if " to " in text[start:end]:
        found.extend(_outside(_intention_nouns(text, tokens, index_at, end), quoted, found))
    if "that" in text[start:end]:
        found.extend(_outside(_evident_reports(text, start, end), quoted, found))
    if _RECEIVED_HINT.search(text, start, end):
        found.extend(_outside(_received_reports(text, tokens, index_at, end), quoted, found))
    if found or "'" in text[start:end] or _TOPIC_POSSESSIVES.search(text, start, end):
        found.extend(_outside(_topic_reports(text, tokens, index_at, end), quoted, found, same_cue=True))
    opening = 1 if len(tokens) > 2 and tokens[0].lower in _FRONTING_LEADS and tokens[1].text.endswith("ing") else 0
    if tokens[opening].text.endswith("ing") and tokens[0].is_capitalised:
        # "Citing a report, …"; "After saying …, she …": a participle opening the sentence
        fronted = _fronted_participle(text, tokens, end, opening)
        if fronted is not None:
            found = [a for a in found if not opening or a.cue_start != fronted.cue_start] + [fronted]
    if _ATTITUDE_HINT.search(text, start, end):
        attitudes = _attitude_reports(text, tokens, index_at, end)
        if attitudes:
            # "expressed deep concern about …": the light verb's report replaces the verb read alone.
            verbs = {a.cue_start for a in attitudes}
            found = [a for a in found if a.cue_start not in verbs] + attitudes
    if _BE_HINT.search(text, start, end):
        contents = [(a.content_start, a.content_end) for a in found]
        # an adjective inside a report's content is part of what is reported ("He said they were sure …")
        found.extend(a for a in _stance_adjectives(text, tokens, index_at, end)
                     if not any(c_start <= a.cue_start < c_end for c_start, c_end in contents)
                     and not any(q_start < a.cue_start < q_end for q_start, q_end in quoted))
    if "mad" in text[start:end]:
        taken = {a.cue_start for a in found}
        found.extend(a for a in _light_verb_reports(text, tokens, index_at, end) if a.cue_start not in taken)
    if "that" in text[start:end]:
        # "confirmed reports that …": after a verb, "reports" is the noun, not a second verb.
        unowned = _unowned_claims(text, start, end) + _pronoun_claims(text, tokens, index_at, start, end)
        taken = {a.cue_start for a in unowned}
        named = {a.cue_start for a in found if a.nominal}
        found = [a for a in found if a.nominal or a.cue_start not in taken]
        found.extend(a for a in unowned if a.cue_start not in named)
    as_report, as_verb = _as_report(text, tokens, end)
    if as_verb is not None and not any(q_start < as_verb < q_end for q_start, q_end in quoted):
        # The verb of "As X said, …" reports only through the "as" clause ("As X said it would" not at all).
        found = [a for a in found if a.cue_start != as_verb] + ([as_report] if as_report is not None else [])
    label = _speaker_label(text, start, end)
    if label is not None:
        # "PENCE: Well, look, Mark Cuban has been out there saying …": the label's speaker says it all.
        found = [a for a in found if not label.content_start <= a.cue_start < label.content_end] + [label]
    elif not found:
        found.extend(filter(None, (_dash_credit(text, start, end),)))
    found.sort(key=lambda a: a.cue_start)
    # News has at most a handful of reports in a sentence (4 in the PolNeAR dev texts); a run of hundreds
    # is hostile input, and every later step reads each report's content.
    return found[:_MAX_REPORTS]


#: Reports kept in one sentence.
_MAX_REPORTS = 12


#: Tokens from "As" to its verb ("As Ms. Roe put it", "As the mayor noted last week").
_MAX_AS_CLAUSE = 10
_AS_LEADS = frozenset({'"', "'", "but", "and", "yet", "so"})


def _as_report(text: str, tokens: list[Token], end: int) -> tuple[Attribution | None, int | None]:
    """"As X put it (in a statement to Y), …" / "…, as X said.": X's words are the rest of the sentence."""
    opening = 0
    while opening < len(tokens) and tokens[opening].lower in _AS_LEADS:
        opening += 1
    candidates = [opening] if opening < len(tokens) and tokens[opening].lower == "as" else []
    candidates += [k + 1 for k in range(len(tokens) - 1) if tokens[k].text == "," and tokens[k + 1].lower == "as"
                   and k + 1 > opening]
    for a in candidates[:2]:
        verb = None
        for k in range(a + 2, min(len(tokens), a + _MAX_AS_CLAUSE)):
            word = tokens[k].lower
            if word in {"put", "puts"} and k + 1 < len(tokens) and tokens[k + 1].lower == "it":
                verb = k
                break
            if lx.SPEECH_CUES.get(word) in lx.PARENTHETICAL_ROLES and word not in lx.AMBIGUOUS_CUES:
                verb = k
                break
            if not (tokens[k - 1].text[:1].isalnum() or tokens[k - 1].text == "'s"):
                break
        if verb is None:
            continue
        first, last = a + 1, verb - 1
        while last > first and (tokens[last].lower in lx.SKIPPABLE or _is_adverb(tokens[last])):
            last -= 1
        if not (_valid_head(tokens[last]) or tokens[last].lower in lx.ALL_PRONOUNS):
            continue
        put = tokens[verb].lower in {"put", "puts"}
        if not put and verb + 1 < len(tokens) and tokens[verb + 1].lower == "it":
            return None, tokens[verb].start  # "As the mayor said it would, …": a prediction come true, no report
        role = "said" if put else lx.SPEECH_CUES[tokens[verb].lower]
        comma = next((k for k in range(verb + 1, len(tokens)) if tokens[k].text == ","), None)
        if a == opening or comma is not None and _words_after(tokens, comma, 1) >= 1:
            # "As X put it, …" and "…, as X put it in an essay, "the operator."": the words after.
            if comma is None:
                continue
            content_start, content_end = tokens[comma].end, _strip_back(text, tokens[comma].end, end)
        else:
            content_start = tokens[opening].start if opening < len(tokens) else tokens[0].start
            content_end = _strip_back(text, content_start, tokens[a - 1].start)
            if verb + 1 < len(tokens) and tokens[verb + 1].text[:1].isalnum() and not put \
                    and tokens[verb + 1].lower not in lx.POSTPOSED_FOLLOWERS:
                continue  # "…, as X said it would": not a credit closing the sentence
        made = _make(text, tokens, first, last, tokens[verb], role, content_start, content_end)
        if made is not None:
            return made, made.cue_start
    return None, None


def _quoted_report(text: str, tokens: list[Token], i: int, start: int, closing: int) -> Attribution | None:
    """"X recalled, "Out of nowhere, he said, 'If we don't act …'"": the quoted speaker quotes
    someone in single quotation marks; that inner report nests under the outer one."""
    role = lx.SPEECH_CUES.get(tokens[i].lower)
    if role not in lx.NESTABLE_ROLES or i < 2 or i + 2 >= len(tokens):
        return None
    subject = tokens[i - 1]
    if tokens[i + 1].text not in {",", ":"} or tokens[i + 2].text != "'" or tokens[i - 2].text != ",":
        return None
    if subject.lower not in lx.PERSON_PRONOUNS and not subject.is_capitalised:
        return None
    content_start = tokens[i + 2].end
    if closing <= i + 2:
        return None  # the last single quotation mark of the sentence closes the inner quotation
    content_end = _strip_back(text, content_start, tokens[closing].start)
    if content_end - content_start < _MIN_CONTENT_CHARS:
        return None
    return Attribution(subject.text, subject.start, subject.end, tokens[i].text, role, tokens[i].start,
                       tokens[i].end, content_start, content_end, quoted=True, resolve_at=start)


#: Words of a headline's subject before its verb ("Former DNC chairman calls for …").
_MAX_HEADLINE_SUBJECT = 5


def headline_report(text: str, start: int, end: int) -> Attribution | None:
    """A headline whose subject reports, in title case or not: "Chris Christie Calls Hillary Clinton
    'A Disgrace'", "Former DNC chairman calls for Clinton contingency plan", "Obama Seeks …"."""
    tokens = tokenize(text, start, end)
    if len(tokens) < 4 or not tokens[0].is_capitalised or tokens[0].lower in lx.ALL_PRONOUNS:
        return None
    colon = next((k for k in range(1, min(len(tokens), _MAX_HEADLINE_LABEL)) if tokens[k].text == ":"), None)
    if colon is not None and all(t.lower in lx.SERIES_LABEL_WORDS for t in tokens[:colon]):
        # "The Latest: Mayor urges residents to …", "Analysis: …": a series label, then the headline itself
        return headline_report(text, tokens[colon].end, end)
    quoted = _headline_quote(text, tokens, end)
    if quoted is not None:
        return quoted
    for k in range(1, min(len(tokens) - 2, _MAX_HEADLINE_SUBJECT + 1)):
        word = tokens[k].lower
        role = lx.SPEECH_CUES.get(word) or lx.BASE_CUES.get(word) if word.endswith("s") else None
        if role is None:
            if not (tokens[k].text.isalpha() or tokens[k].text == "'s") or word in lx.NP_STOP:
                return None  # "A lesson from …": no subject-verb headline
            continue
        if role in lx.COGNITION_CUES or not _valid_head(tokens[k - 1]):
            return None
        content_start = _skip_space(text, tokens[k + 1].start, end)
        content_end = _strip_back(text, content_start, end)
        if sum(1 for t in tokens[k + 1:] if t.text[:1].isalnum()) < 2:
            return None
        return Attribution(text[tokens[0].start:tokens[k - 1].end], tokens[0].start, tokens[k - 1].end,
                           tokens[k].text, role, tokens[k].start, tokens[k].end, content_start, content_end)
    return None


#: Tokens before the colon of a headline's label ("The Latest:").
_MAX_HEADLINE_LABEL = 4
#: Tokens before the colon of a headline that gives a quotation ("Jane Roe on the Budget: '…'").
_MAX_HEADLINE_LEAD = 10


def _headline_quote(text: str, tokens: list[Token], end: int) -> Attribution | None:
    """A headline that quotes a person on a topic: "Jane Roe on the Budget: 'The Cuts Are Reckless.'". The lead
    is a person's name, "on" and the topic; the quotation is the whole rest of the headline ("Police on Alert:
    'Armed' Suspect at Large" quotes no one)."""
    colon = next((k for k in range(2, min(len(tokens) - 1, _MAX_HEADLINE_LEAD)) if tokens[k].text == ":"), None)
    if colon is None or tokens[colon + 1].text not in {'"', "'"}:
        return None
    topic = next((k for k in range(1, colon) if tokens[k].lower == "on"), None)
    if topic is None or not all(tokens[k].is_capitalised and tokens[k].text.isalpha() for k in range(topic)) \
            or tokens[0].lower in lx.NOT_SPEAKERS or classify(text[tokens[0].start:tokens[topic - 1].end]) != "person":
        return None
    if not re.search(r"\b(?:[A-Z][a-z]+|M[rs]s?\.|Dr\.)\s+" + re.escape(tokens[topic - 1].text) + r"\b", text[end:]):
        return None  # the story names the person in full ("Jane Roe", "Mr. Roe"); "Pressure on Banks:" names no one
    content_start = tokens[colon + 1].start
    content_end = _strip_back(text, content_start, end)
    mark = text[content_start]
    words = text[content_start:content_end].rstrip(".!?")
    if len(words) < _MIN_LABELLED_CONTENT_CHARS or not words.endswith(mark) \
            or mark == '"' and words.count('"') != 2:
        return None
    return Attribution(text[tokens[0].start:tokens[topic - 1].end], tokens[0].start, tokens[topic - 1].end, ":",
                       "said", tokens[colon].start, tokens[colon].end, content_start, content_end)


def announced_speaker(text: str, start: int, end: int) -> Attribution | None:
    """"The governor added:" closing a paragraph: its words follow in the next paragraph."""
    stripped_end = end
    while stripped_end > start and text[stripped_end - 1] in " \n":
        stripped_end -= 1
    if stripped_end <= start or text[stripped_end - 1] != ":":
        return None
    tokens = tokenize(text, start, stripped_end - 1)
    if not tokens or tokens[-1].text not in _ALL_CUE_FORMS or len(tokens) < 2:
        return None
    i = len(tokens) - 1
    role = lx.SPEECH_CUES.get(tokens[i].text.lower())
    source = _source_before(tokens, i)
    if role is None or source is None:
        return None
    first, last = source
    return _spoken_by(text, tokens, first, last,
                      tokens[i].text, role, tokens[i].start, tokens[i].end, stripped_end, stripped_end)


# "made the case that …", "made a strong condemnation of …", "made the following comment: …": a
# report made with a noun of speech after "make".
_LIGHT_VERB = re.compile(
    r"\b(?P<verb>made|makes|make|making)\s+(?:(?:a|an|the|his|her|their|its|this|that|these|similar|same|following|"
    r"strong|controversial|new|public|repeated|several|further|brief|\w+ly)\s+){0,3}"
    r"(?P<noun>comments?|remarks?|case|claims?|statements?|arguments?|pledges?|promises?|references?|"
    r"condemnation|accusations?|allegations?|predictions?|announcements?|assurances?|threats?)\b"
    r"(?:\s+(?:that|of|for|about|against|to)\b|\s*:)")


#: "expressed deep concern about", "voiced doubts over", "is raising questions about": a verb of
#: utterance with a noun of attitude; the topic after the preposition (or the "that"-clause) is the content.
_ATTITUDE_VERB = re.compile(
    r"\b(?P<verb>express(?:es|ed)?|voic(?:e|es|ed)|rais(?:e|es|ed|ing)|air(?:s|ed)?)\s+"
    r"(?:(?:\w+ly|deep|serious|grave|strong|growing|new|fresh|some|many|several|their|his|her|its|own|private|"
    r"public|similar|sharp|broad|widespread|continued|such)\s+){0,3}"
    r"(?P<noun>concerns?|misgivings|doubts?|reservations|skepticism|scepticism|outrage|frustration|anger|alarm|"
    r"optimism|confidence|regret|dismay|objections?|fears?|worries|disappointment|displeasure|unease|"
    r"sympathy|opposition|support|questions|criticism|hopes?|interest|surprise)\s+"
    r"(?P<prep>about|over|on|regarding|at|with|for|that|in|to|of)\b")
_BE_HINT = re.compile(r"\b(?:is|are|was|were|am|be|been|isn't|aren't|wasn't|weren't)\s")
_ATTITUDE_HINT = re.compile(r"xpress|oic|rais|aire")
_ATTITUDE_ROLES = {"express": "expressed", "voic": "voiced", "rais": "raised", "air": "aired"}


def _attitude_reports(text: str, tokens: list[Token], index_at: dict[int, int], end: int) -> list[Attribution]:
    """Attitudes voiced by the subject: "Advocates have expressed deep concern about the policy"."""
    found = []
    for match in _ATTITUDE_VERB.finditer(text, tokens[0].start, end):
        at = index_at.get(match.start("verb"))
        if at is None or at == 0 or match.group("verb").endswith("ing") and tokens[at - 1].lower not in \
                lx.PROGRESSIVE_AUXILIARIES:
            continue  # "…, raising questions about": a participle, read by the participle rules if at all
        verb = match.group("verb").lower()
        role = next(r for stem, r in _ATTITUDE_ROLES.items() if verb.startswith(stem))
        report = _noun_cue_report(text, tokens, _source_before(tokens, at) or _opening_subject(tokens, at), at, end,
                                  match, role, via_that=match.group("prep") == "that")
        if report is not None:
            found.append(report)
    return found


#: "Republicans were incensed that …", "she was sure Trump would …", "Graham has been critical of Trump":
#: a form of "be" with an adjective of knowing, feeling or judging, then its complement (a "that"- or
#: "whether"-clause, a preposition's object, "to" + verb, or a bare clause after one of certainty).
_TOPIC_PREPOSITIONS = lx.TOPIC_PREPOSITIONS | {"with", "at"}
_STANCE_ADJECTIVE = re.compile(
    r"\b(?P<be>is|are|was|were|am|be|been|isn't|aren't|wasn't|weren't)\s+"
    r"(?:(?:not|also|still|very|too|so|more|less|quite|increasingly|now|all|both|\w+ly)\s+){0,3}"
    r"(?P<adj>sure|certain|confident|convinced|aware|unaware|concerned|worried|frustrated|angry|upset|critical|"
    r"skeptical|sceptical|optimistic|pessimistic|hopeful|adamant|unsure|uncertain|passionate|"
    r"disappointed|furious|incensed|outraged|supportive|coy|bearish|bullish|afraid|fearful|wary|unhappy|"
    r"proud|vague|emphatic|insistent|dismissive|doubtful|enthusiastic|opposed|against)\b"
    r"(?:\s+(?P<prep>that|about|of|on|over|with|at|whether|if|to|toward|towards)\b)?")
#: Adjectives of certainty, which may take a bare clause ("was sure Trump would win").
_CERTAINTY = frozenset("sure certain confident convinced afraid".split())
#: Adjectives that take their object without a preposition ("is against it").
_BARE_OBJECT_ADJECTIVES = frozenset(["against"])


def _stance_adjectives(text: str, tokens: list[Token], index_at: dict[int, int], end: int) -> list[Attribution]:
    """Knowing, feeling and judging said with "be" and an adjective: the subject holds the complement."""
    found = []
    for match in _STANCE_ADJECTIVE.finditer(text, tokens[0].start, end):
        at = index_at.get(match.start("be"))
        adjective = match.group("adj").lower()
        if at is None or at == 0:
            continue
        if match.group("prep") is None:
            after = index_at.get(_skip_space(text, match.end("adj"), end))
            if not (adjective in _BARE_OBJECT_ADJECTIVES or adjective in _CERTAINTY and after is not None
                    and _clause_follows(tokens, after - 1, "believes")):
                continue
            content_start = _skip_space(text, match.end("adj"), end)
        elif match.group("prep") in {"that", "whether", "if"}:
            content_start = _skip_space(text, match.start("prep"), end)
        else:
            content_start = _skip_space(text, match.end("prep") if match.group("prep") != "to"
                                        else match.start("prep"), end)
        source = _source_before(tokens, at)
        if source is None or tokens[source[1]].lower in {"it", "there", "this", "that", "which"}:
            continue  # "it is clear that …", "which was critical of …" (a thing, or read elsewhere)
        content_end = min(end, _clause_end(tokens, at, end))
        if match.group("prep") in _TOPIC_PREPOSITIONS:
            comma = text.find(",", content_start, content_end)
            content_end = content_end if comma == -1 else comma  # "critical of Trump, since …": the object only
        content_end = _strip_back(text, content_start, content_end)
        if content_end - content_start < _MIN_TOPIC_CHARS:
            continue
        first, last = source
        found.append(_spoken_by(text, tokens, first, last,
                                match.group("adj"), "held", match.start("be"), match.end("adj"),
                                content_start, content_end, via_that=match.group("prep") == "that"))
    return found


def _light_verb_reports(text: str, tokens: list[Token], index_at: dict[int, int], end: int) -> list[Attribution]:
    """Reports made with "make" and a noun of speech, their subject before "make"."""
    found = []
    for match in _LIGHT_VERB.finditer(text, tokens[0].start, end):
        at = index_at.get(match.start("verb"))
        if at is None or at == 0:
            continue
        role = lx.NOMINAL_CUES.get(match.group("noun").lower().rstrip("s"), "said")
        report = _noun_cue_report(text, tokens, _source_before(tokens, at), at, end, match, role,
                                  via_that=match.group().rstrip().endswith("that"))
        if report is not None:
            found.append(report)
    return found


def _noun_cue_report(text: str, tokens: list[Token], source: tuple[int, int] | None, at: int, end: int,
                     match: re.Match[str], role: str, *, via_that: bool) -> Attribution | None:
    """The report of a verb and a noun of speech or attitude (``match``'s "verb" … "noun": "expressed concern",
    "made the case"), by ``source``, of the clause after the match; None without a source or a clause."""
    content = _clause_content(text, tokens, at, match.end(), end) if source is not None else None
    if source is None or content is None:
        return None
    return _spoken_by(text, tokens, *source, match.group("noun"), role, match.start("verb"), match.end("noun"),
                      *content, via_that=via_that)


def _outside(candidates: list[Attribution], quoted: list[tuple[int, int]], found: list[Attribution],
             *, same_cue: bool = False) -> list[Attribution]:
    """The candidates whose cue is neither inside a quotation nor inside the content of a report in ``found``
    (nor, with ``same_cue``, on the cue of one)."""
    return [a for a in candidates
            if not any(q_start < a.cue_start < q_end for q_start, q_end in quoted)
            and not any(b.content_start <= a.cue_start < b.content_end or same_cue and a.cue_start == b.cue_start
                        for b in found)]


def _claim_content(text: str, after: int, end: int, *, adverbial: bool) -> tuple[int, int]:
    """The span of a claim named by a noun, from ``after`` to ``end``; in an adverbial ("despite …",
    "amid …") it ends at the adverbial's comma."""
    content_start = _skip_space(text, after, end)
    content_end = _strip_back(text, content_start, end)
    if adverbial:
        comma = text.find(",", content_start, content_end)
        if comma != -1:
            content_end = _strip_back(text, content_start, comma)
    return content_start, content_end


# "the senator's promise to cut taxes", "her call to reopen the inquiry": a noun of a speech act that commits or
# asks, owned by a name, a person's possessive pronoun or a definite noun for people, names what its owner said
# should be done.
_INTENTION_NOUN = re.compile(
    r"(?<![\w.'-])(?:(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}|[Tt]he\s+(?:[a-z][\w-]*\s+)?(?P<head>[a-z][\w-]*)"
    r"(?='))'s?|(?P<poss>[Hh]is|[Hh]er|[Tt]heir))\s+(?:(?:own|latest|recent|new|repeated|stated|public)\s+)?"
    r"(?P<noun>" + "|".join(lx.INTENTION_NOUNS) + r")\s+to\s+(?=[a-z])")
#: Tokens of an infinitive phrase named by a noun of intention, at most.
_MAX_INTENDED = 25


# "The senator's plan would also cap deductions …", "Under the governor's tax plan, families would pay …": what
# a named owner's proposal does is what its owner proposes; "X's plan would be announced" says what is done
# to the plan, not what it does.
_PROPOSAL = re.compile(
    r"(?<![\w.'-])(?P<under>[Uu]nder\s+)?(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})'s?\s+"
    r"(?:[a-z][\w-]*\s+)?(?P<noun>plans?|proposals?)"
    r"(?:\s+(?P<would>would|will)(?:\s+also)?\s+(?!be\b|have\s+been\b|not\s+be\b)|\s*,\s*)")
#: Words a sentence needs before it is searched for a proposal's owner (the nouns of ``_PROPOSAL``).
_PROPOSAL_NOUNS = ("plan", "proposal")


def _proposals(text: str, tokens: list[Token], index_at: dict[int, int], start: int, end: int) -> list[Attribution]:
    """What a named owner's plan or proposal would do ("X's plan would cap deductions") and the clause under it
    ("Under X's plan, taxpayers would pay …"), as the owner's proposals."""
    found = []
    for match in _PROPOSAL.finditer(text, start, end):
        if bool(match.group("under")) == bool(match.group("would")):
            continue  # "Under X's plan, …" gives the clause after the comma; "X's plan would …" the verb phrase
        if match.group("under") and match.start() > start and text[start:match.start()].strip():
            continue  # "Under …" must open the sentence
        content_start = match.end()
        at = index_at.get(content_start)
        content_end = _strip_back(text, content_start, _clause_end(tokens, at, end) if at is not None else end)
        if content_end - content_start < _MIN_LABELLED_CONTENT_CHARS:
            continue
        found.append(Attribution(match.group("owner"), match.start("owner"), match.end("owner"), match.group("noun"),
                                 "proposed", match.start("noun"), match.end("noun"), content_start, content_end,
                                 nominal=True))
    return found


#: Punctuation that ends an intended action named by a noun.
_INTENDED_STOPS = frozenset({",", ";", ":", '"', "(", ")"})


def _intended_end(tokens: list[Token], at: int) -> int:
    """The token ending the infinitive phrase after the "to" at ``at``: punctuation or the sentence's own
    verb ("his promise to act alone inflamed …"), at most ``_MAX_INTENDED`` tokens on, else the sentence end."""
    limit = min(len(tokens), at + _MAX_INTENDED)
    for k in range(at + 2, limit):
        word = tokens[k].text
        if word in _INTENDED_STOPS:
            return k
        if tokens[k - 1].lower not in lx.ALL_PRONOUNS and (
                tokens[k].lower in _FINITE or tokens[k].lower in _IRREGULAR_PAST
                or word.islower() and word.endswith("ed") and "-" not in word
                and tokens[k - 1].lower not in {"to", "be", "been", "being", "have", "has", "had"}):
            return k
    return limit


def _intention_nouns(text: str, tokens: list[Token], index_at: dict[int, int], end: int) -> list[Attribution]:
    found = []
    for match in _INTENTION_NOUN.finditer(text, tokens[0].start, end):
        at = index_at.get(match.end("noun") + 1)  # the "to"
        if at is None or at + 1 >= len(tokens) or tokens[at + 1].lower in _OBJECT_START \
                or tokens[at + 1].lower in lx.NP_FUNCTION:
            continue  # "raised his push to $20 million", "his commitment to the cause": no verb after "to"
        if match.group("head") and match.group("head") not in _HUMAN_NOUNS:
            continue  # "the firm's offer to buy …" is the firm's; "the plan's call to …" no one's
        stop = _intended_end(tokens, at)
        if stop == at + 2 and stop < len(tokens) and tokens[stop].text not in _INTENDED_STOPS:
            continue  # "Its call to action was clear": a noun after "to", then the sentence's own verb
        content_end = _strip_back(text, tokens[at].start, end if stop >= len(tokens) else tokens[stop].start)
        content_start = tokens[at].start
        if content_end - content_start < _MIN_LABELLED_CONTENT_CHARS:
            continue
        role = lx.INTENTION_NOUNS[match.group("noun").lower()]
        if match.group("poss"):
            found.append(Attribution(_POSSESSIVE_PRONOUNS[match.group("poss").lower()], match.start("poss"),
                                     match.end("poss"), match.group("noun"), role, match.start("noun"),
                                     match.end("noun"), content_start, content_end, nominal=True))
        else:
            found.append(Attribution(match.group("owner"), match.start("owner"), match.end("owner"),
                                     match.group("noun"), role, match.start("noun"), match.end("noun"),
                                     content_start, content_end, nominal=True))
    return found


# "It is obvious that …", "it appeared that …", "By now it should be obvious that …": the writer's judgement of
# evidence, credited to no one named (as "it was reported that" is). Not "it is likely/possible that" (a hedge), nor
# "it is clear that", which stays no report (the rules of the first recall pass decided so).
_EVIDENT = re.compile(
    r"(?<![\w'-])[Ii]t(?:['’]s|\s+(?:is|was|has\s+been|had\s+been|should\s+be|must\s+be|(?P<seems>seems|seemed"
    r"|appears|appeared)|became|becomes))(?:\s+(?:now|already|increasingly|quite|very|abundantly|painfully|also))?"
    r"(?P<adjective>\s+(?:obvious|apparent|evident))?\s+(?P<that>that)\s+(?=\S)")


def _evident_reports(text: str, start: int, end: int) -> list[Attribution]:
    found = []
    for match in _EVIDENT.finditer(text, start, end):
        if not match.group("adjective") and not match.group("seems"):
            continue  # "it is that …", "it was that …" judge nothing
        content_start = match.end()
        content_end = _strip_back(text, content_start, end)
        if content_end - content_start < _MIN_CONTENT_CHARS:
            continue
        cue_start = match.start("adjective") + 1 if match.group("adjective") else match.start() + 3
        cue_end = match.end("adjective") if match.group("adjective") else match.start("that") - 1
        cue = text[cue_start:cue_end].strip()
        found.append(Attribution("", cue_start, cue_start, cue, "judged", cue_start, cue_end, content_start,
                                 content_end, via_that=True, unnamed=True))
    return found


# "Trump has faced questions about his foundation", "the United Nations came under criticism for its failure
# to …", "The clip has faced ridicule online": criticism received names a report by its critics (after "from",
# else no one named). Its content is the topic after "for/about/over" or the "that"-clause, else the subject.
_RECEIVED_HINT = re.compile(r"\b(?:fac|dr[ae]w|under|dogged)")
_RECEIVED = re.compile(
    r"(?<![\w-])(?P<verb>fac(?:e|es|ed|ing)|dr(?:ew|awn|awing|aws|aw)|(?:came|come|comes|coming)\s+under"
    r"|dogged\s+by)\s+(?:(?:a|an|the|some|much|more|new|heavy|sharp|fierce|harsh|intense|growing|mounting"
    r"|withering|widespread|renewed|tough|pointed)\s+){0,2}(?P<noun>" + "|".join(lx.RECEIVED_REPORTS) + r")\b")
#: Tokens of the subject whose treatment is the content, at most (longer ones are clauses of their own).
_MAX_RECEIVED_SUBJECT = 12


def _received_reports(text: str, tokens: list[Token], index_at: dict[int, int], end: int) -> list[Attribution]:
    found = []
    for match in _RECEIVED.finditer(text, tokens[0].start, end):
        verb = index_at.get(match.start("verb"))
        noun = index_at.get(match.start("noun"))
        if verb is None or noun is None:
            continue
        k = noun + 1
        agent: tuple[int, int] | None = None
        if k + 1 < len(tokens) and tokens[k].lower == "from":
            last = _np_right(tokens, k + 1)
            if last is None:
                last = _bare_np_right(tokens, k + 1)  # "from mainstream media outlets and activist reporters"
            if last is None:
                continue
            agent, k = (k + 1, last), last + 1
        while k < len(tokens) and (_is_adverb(tokens[k]) or tokens[k].lower in {"online", "publicly"}):
            k += 1
        if k + 1 < len(tokens) and tokens[k].lower in {"for", "about", "over", "that"}:
            content_start = tokens[k + 1].start
            stop = _clause_end(tokens, k, end)
            comma = next((t.start for t in tokens[k + 1:] if t.text in {",", ";", "("}), end)
            content_end = _strip_back(text, content_start, min(stop, comma))  # "…, particularly after …" is adjunct
        else:
            j = verb
            while j > 0 and tokens[j - 1].lower in lx.SKIPPABLE | lx.PASSIVE_AUXILIARIES:
                j -= 1
            subject = _source_before(tokens, j) if j > 0 else None
            if subject is None or subject[1] - subject[0] >= _MAX_RECEIVED_SUBJECT \
                    or tokens[subject[1]].lower in lx.ALL_PRONOUNS:
                continue
            content_start, content_end = tokens[subject[0]].start, tokens[subject[1]].end
        if content_end - content_start < _MIN_CONTENT_CHARS:
            continue
        role = lx.RECEIVED_REPORTS[match.group("noun")]
        cue = tokens[noun]
        if agent is not None:
            opening, closing = tokens[agent[0]], tokens[agent[1]]
            found.append(Attribution(text[opening.start:closing.end], opening.start, closing.end, cue.text, role,
                                     cue.start, cue.end, content_start, content_end, nominal=True))
        else:
            found.append(Attribution("", cue.start, cue.start, cue.text, role, cue.start, cue.end, content_start,
                                     content_end, nominal=True, unnamed=True))
    return found


def _bare_np_right(tokens: list[Token], j: int) -> int | None:
    """Last token of a plural noun phrase without a determiner starting at ``j`` ("mainstream media outlets",
    "voters and activists"), else None."""
    last = None
    for k in range(j, min(len(tokens), j + _MAX_NP)):
        token = tokens[k]
        if not token.text.isalpha() or token.lower in lx.NP_STOP or token.lower in lx.ALL_PRONOUNS \
                or _is_verbish(token.lower) and token.lower != "and":
            break
        if token.lower != "and" and _valid_head(token) and token.lower.endswith("s"):
            last = k
    return last


def _nominal_role(noun: str) -> str:
    """The role of a noun of report, singular or plural ("claims" -> claimed, "emphasis" -> emphasized)."""
    noun = noun.lower()
    return lx.NOMINAL_CUES.get(noun) or lx.NOMINAL_CUES[noun[:-1]]


def _nominal_attributions(text: str, start: int, end: int) -> list[Attribution]:
    """"Trump's claim that …", "the ministry's statement that …": a report named by a noun."""
    found = []
    for match in _NOMINAL.finditer(text, start, end):
        # "despite Putin's statements that his goals have not changed, he is …": the adverbial ends at its comma.
        adverbial = bool(_ADVERBIAL_BEFORE.search(text, max(start, match.start() - _ADVERBIAL_REACH), match.start()))
        content_start, content_end = _claim_content(text, match.end(), end, adverbial=adverbial)
        if content_end - content_start < _MIN_LABELLED_CONTENT_CHARS:
            continue
        found.append(Attribution(match.group("owner"), match.start("owner"), match.end("owner"), match.group("noun"),
                                 _nominal_role(match.group("noun")), match.start("noun"),
                                 match.end("noun"), content_start, content_end, via_that=True, nominal=True))
    return found


# "Trump's comments on trade", "his attacks on the moderators", "the board's disdain for the nominee": a
# report named by a noun of speech or attitude and its topic, without "that". The owner is a name or a
# definite noun with "'s" (a plural's "'"), or a possessive pronoun; the content is the topic phrase.
_TOPIC_REPORT = re.compile(
    r"(?<![\w.'-])(?:(?P<owner>(?:[Tt]he\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}|[Tt]he\s+(?:[a-z][\w-]*\s+)?"
    r"[a-z][\w-]*(?='))'s?|(?P<poss>[Hh]is|[Hh]er|[Tt]heir|[Ii]ts))\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?P<noun>" + "|".join(sorted(lx.TOPIC_NOUNS, key=len, reverse=True)) + r")"
    r"(?:\s+(?:[A-Z][a-z]+day|last\s+\w+|this\s+\w+|yesterday|today))?\s+(?P<prep>"
    + "|".join(lx.TOPIC_PREPOSITIONS) + r")\s+(?=\S)")
#: Words that end the topic of a report named by a noun: the clause goes on after them.
_TOPIC_ENDS = frozenset(
    """, ; : ( ) " ? ! - -- that which who whom where when while because but although though whether if as
    said says will would is are was were has have had can could should may might must did does do""".split())
_MIN_TOPIC_CHARS = 4
#: Tokens read for the topic of a report named by a noun (the longest of the 26 in the PolNeAR dev texts has 11).
_MAX_TOPIC = 30
_TOPIC_POSSESSIVES = re.compile(r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s")


def _topic_reports(text: str, tokens: list[Token], index_at: dict[int, int], end: int) -> list[Attribution]:
    """Reports named by a noun with their topic: "Clinton's comments on the shooting" (the topic is the content)."""
    found = []
    for match in _TOPIC_REPORT.finditer(text, tokens[0].start, end):
        at = index_at.get(match.end())
        if at is None:
            continue
        stop, limit = at, min(len(tokens), at + _MAX_TOPIC)
        while stop < limit and tokens[stop].lower not in _TOPIC_ENDS and tokens[stop].text not in _CUE_FORMS:
            stop += 1
        if stop == at or tokens[at].lower in lx.WEEKDAYS or tokens[at].lower in _TIME_WORDS:
            continue  # "the convention's speech on Saturday": a time, no topic
        content_start, content_end = tokens[at].start, _strip_back(text, tokens[at].start, tokens[stop - 1].end)
        if content_end - content_start < _MIN_TOPIC_CHARS:
            continue
        noun = match.group("noun")
        poss = index_at.get(match.start("poss")) if match.group("poss") else None
        subject = _clause_subject(tokens, poss) if poss is not None and poss > 0 else None
        if subject is not None and tokens[subject[0]].lower.split("'")[0] not in lx.ALL_PRONOUNS:
            # "Trump continues his adulation of Putin": "his" is the subject of the clause.
            first, last = subject
            source, source_start, source_end = text[tokens[first].start:tokens[last].end], tokens[first].start, \
                tokens[last].end
        elif match.group("poss"):
            source, source_start, source_end = (_POSSESSIVE_PRONOUNS[match.group("poss").lower()],
                                                match.start("poss"), match.end("poss"))
        else:
            source, source_start, source_end = match.group("owner"), match.start("owner"), match.end("owner")
        found.append(Attribution(source, source_start, source_end, noun, lx.TOPIC_NOUNS[noun], match.start("noun"),
                                 match.end("noun"), content_start, content_end, nominal=True))
    return found


# "denied speculation that …", "flatly denied reports by Interfax that …", "amid rumours that …": a
# claim named by a noun without an owner; its source is the one named after "by"/"from"/"in", else
# the noun itself (unnamed). Only after a verb of denial or confirmation or an adverbial
# preposition, where the noun is the object of the answer rather than a subject of its own.
_UNOWNED_CLAIM = re.compile(
    r"\b(?P<lead>(?i:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"disput(?:e|es|ed|ing)|confirm(?:s|ed|ing)?|despite|amid|following|after))\s+(?:(?:the|any|all|these|those|"
    r"recent|earlier|new|widespread|media|press|news|published|persistent|unconfirmed)\s+){0,3}"
    r"(?P<noun>speculation|reports?|rumou?rs?|claims?|allegations?|suggestions?|accusations?|assertions?|"
    r"statements?|charges?)"
    r"(?:\s+(?:by|from|in)\s+(?P<by>(?:the\s+)?[A-Z][\w.'&-]*(?:\s+(?:of\s+)?[A-Z][\w.'&-]*){0,4}))?"
    r"\s+that\b")
_UNOWNED_ROLES = {"speculation": "speculated", "report": "reported", "rumor": "rumoured", "rumour": "rumoured",
                  "claim": "claimed", "allegation": "alleged", "suggestion": "suggested", "accusation": "accused",
                  "assertion": "asserted", "statement": "stated", "charge": "charged"}


# "his claim that …", "Democrats persisted in arguments that …": a claim named by a noun whose owner
# is a possessive pronoun, or, after a preposition, the subject of the clause.
_PRONOUN_CLAIM = re.compile(
    r"\b(?:(?P<poss>[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)|(?P<prep>in|on|by|with))\s+"
    r"(?:(?:recent|earlier|repeated|latest|new|own|persistent|frequent)\s+)?"
    r"(?P<noun>claims?|statements?|arguments?|assertions?|allegations?|insistence|suggestions?|promises?|"
    r"pledges?|warnings?|accusations?)\s+that\b")
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
# "his proclamation that …", "their insistence that …": any noun of report after a possessive pronoun.
_POSSESSED_CLAIM = re.compile(
    r"\b(?P<poss>[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+"
    r"(?:(?:recent|earlier|repeated|latest|new|own|persistent|frequent)\s+)?"
    r"(?P<noun>(?:" + "|".join(lx.NOMINAL_CUES) + r")s?)(?:\s+(?:is|was|remains))?\s+that\b")


def _pronoun_claims(text: str, tokens: list[Token], index_at: dict[int, int], start: int,
                    end: int) -> list[Attribution]:
    found = []
    matches = {m.start(): m for m in _PRONOUN_CLAIM.finditer(text, start, end)}
    matches.update((m.start(), m) for m in _POSSESSED_CLAIM.finditer(text, start, end) if m.start() not in matches)
    for match in sorted(matches.values(), key=lambda m: m.start()):
        content_start = _skip_space(text, match.end(), end)
        content_end = _strip_back(text, content_start, end)
        lead = match.start("poss") if match.group("poss") else match.start("prep")
        if _ADVERBIAL_BEFORE.search(text, max(start, lead - _ADVERBIAL_REACH), lead):
            comma = text.find(",", content_start, content_end)
            if comma != -1:
                content_end = _strip_back(text, content_start, comma)
        if content_end - content_start < _MIN_LABELLED_CONTENT_CHARS:
            continue
        noun = match.group("noun")
        role = lx.NOMINAL_CUES.get(noun.lower()) or lx.NOMINAL_CUES.get(noun.lower()[:-1], "claimed")
        if match.group("poss"):
            pronoun = _POSSESSIVE_PRONOUNS[match.group("poss").lower()]
            found.append(Attribution(pronoun, match.start("poss"), match.end("poss"), noun, role,
                                     match.start("noun"), match.end("noun"), content_start, content_end,
                                     via_that=True, nominal=True))
            continue
        at = index_at.get(match.start("prep"))
        subject = _clause_subject(tokens, at) if at is not None and at > 1 else None
        if subject is None or tokens[subject[1]].end >= match.start("prep"):
            continue
        first, last = subject
        found.append(_spoken_by(text, tokens, first, last,
                                noun, role, match.start("noun"), match.end("noun"), content_start, content_end,
                                via_that=True, nominal=True))
    return found


def _unowned_claims(text: str, start: int, end: int) -> list[Attribution]:
    found = []
    for match in _UNOWNED_CLAIM.finditer(text, start, end):
        adverbial = match.group("lead").lower() in {"despite", "amid", "following", "after"}
        content_start, content_end = _claim_content(text, match.end(), end, adverbial=adverbial)
        if content_end - content_start < _MIN_LABELLED_CONTENT_CHARS:
            continue
        noun = match.group("noun")
        role = _UNOWNED_ROLES[noun.lower().rstrip("s")]
        if match.group("by"):
            source, source_start, source_end = match.group("by"), match.start("by"), match.end("by")
        else:
            source, source_start, source_end = noun, match.start("noun"), match.end("noun")
        found.append(Attribution(source, source_start, source_end, noun, role, match.start("noun"), match.end("noun"),
                                 content_start, content_end, via_that=True, nominal=True))
    return found


def adverbial_start(text: str, start: int, owner_start: int) -> int:
    """Where the adverbial opening a named claim begins ("despite Putin's statements"), else the owner."""
    match = _ADVERBIAL_BEFORE.search(text, max(start, owner_start - _ADVERBIAL_REACH), owner_start)
    return match.start() if match else owner_start


def _speaker_label(text: str, start: int, end: int) -> Attribution | None:
    """"PENCE: Well, look …" and headlines like "Pat Caddell: Democrat Voters Worried …"."""
    match = _SPEAKER_LABEL.match(text, start, end)
    if match is None or match.group("name").split()[0].lower() in lx.NOT_SPEAKERS:
        return None
    content_start = _skip_space(text, match.end(), end)
    content_end = _strip_back(text, content_start, end)
    if content_end - content_start < _MIN_LABELLED_CONTENT_CHARS:
        return None
    return Attribution(match.group("name"), match.start("name"), match.end("name"), ":", "said",
                       match.end("name"), match.end("name") + 1, content_start, content_end)


def _dash_credit(text: str, start: int, end: int) -> Attribution | None:
    """A quotation credited after a dash: "… we can build a wall." - Steve Quinlan."""
    match = _DASH_CREDIT.search(text, start, end)
    if match is None:
        return None
    opening = text.rfind('"', start, match.start())
    if opening == -1 or match.start() - opening < _MIN_CONTENT_CHARS:
        return None
    return Attribution(match.group("name"), match.start("name"), match.end("name"), "-", "said",
                       match.start("dash"), match.end("dash"), opening, match.start() + 1)


# Relays named in a report's frame: "in an interview with X", "in a Bloomberg interview",
# "carried by X", "told the agency". The name is a capitalised run or "the agency"-like noun.
_RELAY_NAME = (r"(?:the\s+)?(?:(?:[A-Z][\w.-]*'s?\s+)?(?:[a-z][\w'-]*\s+){{0,3}}?(?P<{0}>[A-Z][\w.'&-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w.'&-]*){{0,4}})"
               r"|(?P<{0}_noun>agency|newspaper|network|channel|broadcaster|station|magazine|paper|outlet|daily|"
               r"tabloid|website)\b)")
#: What a speaker gives an outlet: "in a Bloomberg interview", "in a Wall Street Journal essay".
_MEDIUM_PIECES = r"(?:interview|op-ed|column|essay|editorial|article|appearance|podcast)\b"
_RELAY = re.compile(
    r"\b(?:[Ii]n|[Dd]uring)\s+(?:an?|his|her|their|its|the|a\s+recent)\s+(?:[\w-]+\s+){0,2}?(?:interview|conversation|"
    r"statement|comments?|remarks|meeting|email|letter|phone\s+call|op-ed|column|post)\s+(?:with|to|for)\s+"
    r"(?:the\s+editorial\s+board\s+of\s+)?" + _RELAY_NAME.format("with")
    + r"|\b(?:carried|published|cited|quoted|relayed|broadcast|aired|reported)\s+by\s+" + _RELAY_NAME.format("by")
    + r"|\b(?:[Ii]n|[Dd]uring)\s+(?:an?|his|her|their|its)\s+(?:recent\s+)?(?P<named>[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*){0,3})\s+"
    + _MEDIUM_PIECES
    # "Mr. Trump's RT appearance, in which he said …": a piece in an outlet, owned by the speaker.
    + r"|(?<![\w.'-])[\w.-]+'s\s+(?P<owned>[A-Z][\w.'&-]*(?:\s+[A-Z][\w.'&-]*){0,3})\s+" + _MEDIUM_PIECES
    + r"|\b(?:told|speaking\s+to|speaking\s+with|talking\s+to)\s+" + _RELAY_NAME.format("told")
)


_RELAY_WORDS = ("nterview", "tatement", "told", "by ", "peaking", "alking", "omments", "emarks", "eeting",
                "mail", "etter", "call", "op-ed", "olumn", "post", "ssay", "ditorial", "rticle", "ppearance",
                "odcast")


@dataclass(slots=True)
class Relay:
    """A relay named in a report's frame ("told the agency", "in an interview with CNN")."""

    phrase: str
    start: int
    end: int
    #: "told" relays only count when they resolve to an outlet ("told reporters" names no relay).
    outlet_only: bool


def relays(text: str, start: int, end: int, report: Attribution) -> list[Relay]:
    """Relays named in the sentence text[start:end] outside the report's content, in text order."""
    found: list[Relay] = []
    sentence = text[start:end]
    if not any(word in sentence for word in _RELAY_WORDS):
        return found  # most sentences name no relay: one cheap pass rules them out
    quoted = quote_regions(text, start, end) if '"' in sentence else []
    # The frame, and the content too when it is not quoted: "X likened RT to the BBC, …, in an
    # interview with The Washington Post" names the relay after the content.
    for low, high in ((start, end),):
        for match in _RELAY.finditer(text, low, high):
            if any(q_start < match.start() < q_end for q_start, q_end in quoted):
                continue
            for group in ("with", "by", "named", "owned", "told", "with_noun", "by_noun", "told_noun"):
                if match.group(group):
                    phrase = match.group(group)
                    found.append(Relay(phrase, match.start(group), match.end(group),
                                       group in {"told", "owned"} or group.endswith("_noun")))
                    break
    return found


def chains(text: str, found: list[Attribution]) -> list[list[Attribution]]:
    """Group the attributions of one sentence into chains, each from originator to publisher.

    Coordinated reports ("Strada accused X and asserted that Y") become separate chains;
    within a chain, an attribution whose source opens the content ("… reported that
    Carlson stated …") is nested inside it, and an "according to X" outside every content
    is the publisher of the whole.
    """
    verbs = [a for a in found if not a.according]
    according = [a for a in found if a.according]
    _answered_claims(verbs)
    _split_coordinated(text, verbs)
    opener = _Openers(verbs, text)
    groups: list[list[Attribution]] = []
    nested: list[list[Attribution]] = []
    unassigned = list(verbs)
    while unassigned:
        links = [max(unassigned, key=lambda a: a.content_end - a.content_start)]
        linked = {id(links[0])}
        while (inner := opener.first_opening(links[-1], linked)) is not None:
            links.append(inner)
            linked.add(id(inner))
        # Verbs inside the reported content are part of what was reported, not new reports;
        # a report named by a noun there ("despite Putin's statements that …") is its own claim,
        # passed on by the outer report.
        for a in unassigned:
            if a.answered_by is not None and id(a.answered_by) not in linked:
                continue  # answered by a report inside this content: part of what was reported
            if a.nominal and id(a) not in linked and links[0].content_start <= a.cue_start < links[0].content_end:
                a.nested_in = links[-1]
                # A claim denied or confirmed is not passed on by the one who answers it.
                nested.append([a] if a.answered_by is not None else links + [a])
        unassigned = [a for a in unassigned if id(a) not in linked and not (
            links[0].content_start <= a.cue_start < links[0].content_end)]
        groups.append(links)
    groups.extend(nested)
    if not groups:
        return [according[:1]] if according else []
    for extra in according:
        host = next((g for g in groups if g[-1].content_start <= extra.cue_start < g[-1].content_end), None)
        if host is not None and _relays(text, extra, host[0]):
            host.insert(0, extra)  # "The mayor said …, according to city officials": they relay the mayor
        elif host is not None:
            host.append(extra)  # "X said that, according to police, …": police is the origin
        elif not any(_inside_any(extra, g) for g in groups):
            groups[0].insert(0, extra)
    for group in groups:
        group.reverse()
    groups.sort(key=lambda g: g[-1].cue_start)
    return groups


def _answered_claims(verbs: list[Attribution]) -> None:
    """Mark the claims a denial or confirmation names: "X denied reports by Z that Y" (the claim's
    noun sits between the verb and its content) and "Z's claim that Y was later denied by X" (the
    claim is the passive's subject, and its content ends there)."""
    answers = sorted((a for a in verbs if not a.nominal and a.role in lx.DENY_ROLES | lx.SUPPORT_ROLES),
                     key=lambda a: a.cue_start)
    if not answers:
        return
    starts = [a.cue_start for a in answers]
    for claim in verbs:
        if not claim.nominal:
            continue
        # Only the nearest answer before the claim's noun and the nearest after it can name it.
        k = bisect.bisect_left(starts, claim.cue_start)
        before = answers[k - 1] if k > 0 else None
        after = answers[k] if k < len(answers) else None
        if before is not None and before.cue_end <= claim.cue_start \
                and claim.content_start <= before.content_start + 1 \
                and claim.cue_start - before.cue_end <= _MAX_ANSWERED_GAP:
            claim.answered_by = before
        elif after is not None and after.content_start <= claim.source_start \
                and claim.content_start < after.content_end < claim.content_end:
            claim.content_end = after.content_end
            claim.answered_by = after


#: Characters between a denial's verb and the noun of the claim it names ("flatly denied the recent reports").
_MAX_ANSWERED_GAP = 40


def _relays(text: str, extra: Attribution, outer: Attribution) -> bool:
    """Whether a trailing "according to Y" passes on the whole report rather than naming its origin.

    "The mayor said the bridge will close, according to city officials": the officials relay
    what the mayor said (originator first: mayor, then officials). When the report is an
    outlet's ("Bloomberg reports that …, according to the Roper Center"), or the phrase opens
    or sits inside the reported clause ("X said that, according to police, …"), Y is where
    the content comes from.
    """
    if not extra.trailing or extra.content_start > outer.cue_start:
        return False
    return outer.role not in _PUBLISHING_ROLES and not _OUTLET_LIKE.search(outer.source)


_PUBLISHING_ROLES = frozenset("reported wrote published".split())
_OUTLET_LIKE = re.compile(r"\b(?:media|press|agency|newspaper|news|times|post|journal|tv|radio|network|channel|"
                          r"magazine|poll|survey|study|report)\b", re.IGNORECASE)


def _split_coordinated(text: str, verbs: list[Attribution]) -> None:
    # "A accused X and asserted that Y": the second verb's subject stands outside the first
    # content, so the first content stops where the second report begins.
    for first in verbs:
        for second in verbs:
            if second is not first and first.content_start < second.cue_start < first.content_end \
                    and second.source_start < first.content_start:
                cut = second.source_start if second.source_start > first.content_start else second.cue_start
                first.content_end = _trim_conjunction(text, first.content_start, cut)
            elif second is not first and first.content_start < second.source_start < first.content_end \
                    and not first.via_that \
                    and _CLAUSE_BREAK.search(text, max(first.content_start, second.source_start - _CLAUSE_BREAK_REACH),
                                             second.source_start):
                # "The mayor said the bridge is safe; the union said that …": a new clause with its
                # own speaker ends the first report.
                first.content_end = _trim_conjunction(text, first.content_start, second.source_start)


def _trim_conjunction(text: str, start: int, cut: int) -> int:
    match = _TRAILING_CONJUNCTION.search(text, start, cut)
    return max(start, match.start() if match else cut)


class _Openers:
    """The verbs of one sentence indexed by where their source starts, so that finding the report
    nested at the opening of a content reads the few verbs starting there, not every verb."""

    def __init__(self, verbs: list[Attribution], text: str | None = None) -> None:
        self._text = text
        self._order = {id(a): k for k, a in enumerate(verbs)}
        self._by_source = sorted(verbs, key=lambda a: a.source_start)
        self._starts = [a.source_start for a in self._by_source]
        self._quoted = [a for a in verbs if a.quoted]

    def first_opening(self, outer: Attribution, linked: set[int]) -> Attribution | None:
        """The first verb, in text order, not yet ``linked`` whose report opens ``outer``'s content."""
        low = bisect.bisect_left(self._starts, outer.content_start)
        high = bisect.bisect_right(self._starts, outer.content_start + _NESTED_SOURCE_OFFSET)
        candidates = [a for a in self._by_source[low:high] if id(a) not in linked and _opens(a, outer)]
        if not candidates:
            candidates = [a for a in self._quoted if id(a) not in linked
                          and outer.content_start <= a.source_start and a.content_end <= outer.content_end]
        if not candidates and self._text is not None:
            reach = bisect.bisect_right(self._starts, outer.content_start + _MAX_APPOSITIVE_LEAD)
            candidates = [a for a in self._by_source[high:reach]
                          if id(a) not in linked and _opens_after_appositive(self._text, a, outer)]
        return min(candidates, key=lambda a: self._order[id(a)], default=None)


def _opens(inner: Attribution, outer: Attribution) -> bool:
    # Only a "that"-clause opened by another speaker and a speech verb nests:
    # "reported that Carlson stated that …", not "says Machado promised …".
    return (
        outer.via_that
        and inner.role in lx.NESTABLE_ROLES
        and outer.content_start <= inner.source_start <= outer.content_start + _NESTED_SOURCE_OFFSET
        and inner.cue_end <= outer.content_end
    )


def _opens_after_appositive(text: str, inner: Attribution, outer: Attribution) -> bool:
    # "reported that the RT editor in chief, Margarita Simonyan, conveyed …": the name of the
    # nested speaker sits inside an appositive that opens the content.
    if not (outer.via_that and inner.role in lx.NESTABLE_ROLES and inner.cue_end <= outer.content_end):
        return False
    lead = text[outer.content_start:inner.source_start]
    return 0 < len(lead) <= _MAX_APPOSITIVE_LEAD and _APPOSITIVE_LEAD.fullmatch(lead) is not None


def _inside_any(extra: Attribution, links: list[Attribution]) -> bool:
    return any(a.content_start <= extra.cue_start < a.content_end for a in links)


def _verb_attribution(text: str, tokens: list[Token], i: int, end: int) -> Attribution | None:
    """The attribution around the reporting verb ``tokens[i]``, or None when it reports nothing."""
    cue = tokens[i]
    word = cue.text.lower() if i > 0 else cue.text
    progressive = word.endswith("ing") and _progressive(tokens, i)
    role = lx.SPEECH_CUES.get(word) or lx.EVIDENCE_CUES.get(word) or lx.BASE_CUES.get(word) \
        or (lx.PROGRESSIVE_CUES.get(word) if progressive or _participle_adjunct(tokens, i)
            or _absolute_subject(tokens, i) is not None else None)
    if role is None:
        return None
    if word in lx.BASE_CUES and word not in lx.SPEECH_CUES and i > 0 and tokens[i - 1].lower in _NOUN_DETERMINERS:
        return None  # "The fear that prices will rise is common", "A reply came": a noun after its determiner
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if i + 2 < len(tokens) and _is_adverb(tokens[i + 1]) and tokens[i + 2].lower in {"that", ":"}:
        after = tokens[i + 2].lower  # "complain bitterly that …": an adverb between the verb and its "that"
    opens_quote = after == "," and i + 2 < len(tokens) and tokens[i + 2].text == '"'
    intends = after == "to" and word in lx.INTENTION_CUES  # "plans to", "hopes to"
    if word in lx.PASSIVE_REPORTS and after in lx.PASSIVE_REPORTS[word] and _is_passive(tokens, i):
        return _passive_report(text, tokens, i, role, end)
    if word in lx.AS_CUES and not _as_follows(tokens, i):
        return None  # "saw a rise in prices" is no report; "sees the deal as a betrayal" is one
    if word in lx.DEPICT_CUES and not _depicts_person(tokens, i):
        return None  # "painted the wall as a favour" is no report; "painted his rival as a crook" is one
    if word in lx.MANNER_CUES and after not in {"that", ":", '"', "'", ","} and not _after_quote(tokens, i):
        return None  # "shouted at volunteers" is no report; "shouted, "Stop!"" and '"…," she shouted' are
    control = _control_verb(tokens, i) if i >= 3 and word not in lx.EVIDENCE_CUES else None
    if control is None and word in lx.BASE_CUES and word not in lx.COGNITION_CUES and word not in lx.INTENTION_CUES \
            and word not in _NO_OBJECT_REPORTS and i >= 2 and _starts_object(tokens, i + 1):
        infinitive = _infinitive_report(text, tokens, i, role, end)
        if infinitive is not None:
            return infinitive
    # "did not respond to …", "went on to discuss …": a verb, not a noun
    plain = word in lx.BASE_CUES and not _after_do(tokens, i) and control is None \
        and not (after in _OBJECT_OPENERS and _after_conjunction(tokens, i) and _coordinated_plain(tokens, i))
    if (word in lx.AMBIGUOUS_CUES or word in lx.COGNITION_CUES or plain) and after not in {"that", ":"} \
            and not (after in _WH_WORDS and word not in lx.AMBIGUOUS_CUES) \
            and not (after in _KNOWING_PREPOSITIONS and lx.COGNITION_CUES_ROLE.get(word) in _KNOWING_ROLES) \
            and not opens_quote and not intends and not _clause_follows(tokens, i, word) \
            and not _closes_after_comma(tokens, i) \
            and not (word not in lx.COGNITION_CUES and _agrees_with_subject(tokens, i, word)):
        return None
    by_gerund = after == "by" and i + 2 < len(tokens) and tokens[i + 2].lower.endswith("ing")
    if _is_passive(tokens, i) or word.endswith("ed") and after == "by" and not by_gerund:
        # "was confirmed", "a view echoed by everyone"; "responded by using …" is no passive
        if role in lx.AGENT_PASSIVE_ROLES and after == "by" and _is_passive(tokens, i):
            return _passive_agent(text, tokens, i, role)
        return None  # "was confirmed", "a view echoed by everyone": no speaker before the verb
    if progressive and not _after_conjunction(tokens, i):
        # "Trump is warning voters that …", "Clinton isn't saying if …": a finite verb, subject before "is".
        source = _source_before(tokens, i)
        if source is not None:
            return _preposed_or_postposed(text, tokens, i, source[0], source[1], role, end)
        return None
    if word.endswith("ing"):
        doer = _absolute_subject(tokens, i)
        if doer is not None:
            content = _content_after(text, tokens, i, end)
            return _make(text, tokens, doer[0], doer[1], cue, role, *content) if content is not None else None
    if word.endswith("ing") or _after_conjunction(tokens, i):
        return _participle_attribution(text, tokens, i, role, end)
    if _inverted_ahead(tokens, i, role):
        return _inverted(text, tokens, i, role, end)
    if control is not None:
        # "The senator continues to insist that …": the subject of the verb before "to" speaks.
        source = _source_before(tokens, control)
        if source is not None and not _inverted_ahead(tokens, control, role):
            return _preposed_or_postposed(text, tokens, i, source[0], source[1], role, end)
        return None
    source = _source_before(tokens, i)
    authored = source is not None and source[0] >= 2 and tokens[source[0] - 1].lower == "by" \
        and tokens[source[0] - 2].lower in lx.EVIDENCE_HEADS  # "A study by professor Jane Roe found": hers
    if word in lx.EVIDENCE_CUES and not authored and (source is None or tokens[source[1]].lower not in lx.EVIDENCE_HEADS):
        # "The average of polls taken over the past two weeks shows …": the document heads its phrase.
        head = next((k for k in range(i - 1, max(-1, i - _EVIDENCE_REACH), -1)
                     if tokens[k].lower in lx.EVIDENCE_HEADS), None)
        if head is not None and not any(t.text in {",", ";", '"', ":"} for t in tokens[head:i]):
            source = (_scan_np_left(tokens, head), head)
    if source is not None:
        first, last = source
        of = next((k for k in range(first - 1, max(1, first - _MAX_DETERMINED_NP), -1)
                   if tokens[k].lower == "of" or not tokens[k].text[:1].isalnum()), None) \
            if word in lx.EVIDENCE_CUES else None
        if of is not None and tokens[of].lower == "of" and tokens[of - 1].lower in lx.EVIDENCE_HEADS:
            first = _scan_np_left(tokens, of - 1)  # "…, a Daily Herald analysis of newly filed reports shows."
        antecedent = _antecedent(tokens, first) if first == last and tokens[first].lower in lx.RELATIVE_PRONOUNS \
            else None
        if antecedent is not None:
            # "The governor, who said last week that taxes would rise, changed course": the governor
            # speaks, and the content ends where the relative clause does.
            made = _preposed_or_postposed(text, tokens, i, first, last, role, end)
            if made is not None:
                made.source = text[tokens[antecedent[0]].start:tokens[antecedent[1]].end]
                made.resolve_at = tokens[antecedent[0]].start
                made.content_end = _relative_clause_end(text, tokens, i, made.content_start, made.content_end)
            return made
        if word in lx.EVIDENCE_CUES and not authored and tokens[last].lower not in lx.EVIDENCE_HEADS and (
            after != "that" or lx.EVIDENCE_CUES[word] == "indicated" and not (
                _person_head(tokens[last]) and (first == 0 or tokens[first - 1].lower not in _OF_PREPOSITIONS))
        ):
            # only records "show"; "the flow of … by the Kremlin indicates" is no speaker, but people may
            # indicate that … ("Twelve percent indicated that they were not sure")
            return None
        return _preposed_or_postposed(text, tokens, i, first, last, role, end)
    inverted = _inverted(text, tokens, i, role, end)
    if inverted is not None or word in lx.EVIDENCE_CUES:
        return inverted
    subject = _opening_subject(tokens, i)
    if subject is None:
        return None
    return _preposed_or_postposed(text, tokens, i, subject[0], subject[1], role, end)


#: Tokens of a clause-opening subject read back from its verb ("Experts on North Korea and nuclear
#: nonproliferation said", "all the experts I interviewed said").
_MAX_OPENING_SUBJECT = 10
#: Words that end a clause-opening subject read back from its verb: what comes before them is another clause.
_SUBJECT_BOUNDARIES = frozenset(
    """, ; : " ( ) - that which who whom whose when while because although though if as but or so than where
    whether since unless until after before said says""".split())
#: Words that cannot open a subject (a preposition or verb left at the clause start names no one).
_NOT_SUBJECT_OPENERS = frozenset(
    """to in on at with from by for of about into over through after before during since is was were are be
    been being has have had it there this these those what why how""".split())
#: Words of a time phrase between a subject and its verb ("Wells Fargo just this month announced").
_TIME_TAIL = frozenset("this last next just month week year day morning night weekend time".split())


def _opening_subject(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """The noun phrase that opens the clause of verb ``i`` when the plain subject scan finds none.

    "Experts on North Korea and nuclear nonproliferation said …", "elected officials from both
    parties say …", "Wells Fargo just this month announced …": the phrase runs from the clause
    start (the sentence start, or the comma closing an opener) to the verb, holds a word that can
    head a source, and ends at its last such word (a time phrase before the verb is left out).
    """
    j = i - 1
    while j >= 0 and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j]) or tokens[j].lower in _TIME_TAIL
                      or tokens[j].lower in lx.WEEKDAYS):
        j -= 1
    if j < 0 or not tokens[j].text[:1].isalnum() or tokens[j].lower in lx.NP_STOP \
            or tokens[j].lower in _SUBJECT_BOUNDARIES:
        return None
    if i + 1 < len(tokens) and (tokens[i + 1].lower in _FINITE or tokens[i + 1].lower in lx.COORDINATORS
                                or tokens[i + 1].lower in {"of", "or", "'s"}):
        return None  # "Voting rights advocates have …": the cue form is a noun here
    first = j
    while first > 0 and tokens[first - 1].lower not in _SUBJECT_BOUNDARIES and j - first < _MAX_OPENING_SUBJECT:
        first -= 1
    if j - first >= _MAX_OPENING_SUBJECT or first > 0 and tokens[first - 1].text not in {",", '"', "'"} \
            and tokens[first - 1].lower not in _SUBORDINATORS and tokens[first - 1].lower != "that":
        return None
    if tokens[first].lower in _NOT_SUBJECT_OPENERS or tokens[first].lower in lx.ALL_PRONOUNS \
            or not tokens[first].text[:1].isalnum() or tokens[j].lower in lx.NP_FUNCTION \
            or tokens[j].lower in lx.DETERMINERS:
        return None
    if any(tokens[k].lower in lx.SKIPPABLE or tokens[k].lower in _FINITE for k in range(first, j + 1)):
        return None  # "Trump did not unveil plans to …": a verb stands between, the cue form is a noun
    if tokens[i].lower.endswith("s") and not tokens[j].is_capitalised:
        return None  # "faced some steep challenges including …": after a lower-case word an "-s" form is a plural
    if j > first and tokens[j - 1].is_capitalised and tokens[j - 1].lower not in lx.ALL_PRONOUNS \
            and not tokens[j].is_capitalised and not _valid_head(tokens[j]) and not tokens[j].lower.endswith("s"):
        return None  # "Maria costa said": one lower-case word after a name is no phrase the rule can read
    if first > 0 and tokens[first - 1].text == "," and not _opener_before(tokens, first - 1):
        return None  # "X, a lawyer, said" is the appositive rule's; only a comma closing an opener counts
    last = next((k for k in range(j, first - 1, -1) if _valid_head(tokens[k]) and tokens[k].lower not in lx.ALL_PRONOUNS
                 and tokens[k].lower not in lx.NP_FUNCTION and tokens[k].lower not in lx.DETERMINERS
                 and not _is_verbish(tokens[k].lower)), None)
    if last is None:
        return None
    return first, last


def _opener_before(tokens: list[Token], comma: int) -> bool:
    """Whether the words before ``comma`` open the sentence as an adverbial ("Although …,", "In X's favor,")."""
    k = 0
    while k < comma and tokens[k].text in {'"', "'"}:
        k += 1
    return k < comma and (tokens[k].lower in lx.OPENERS or tokens[k].lower in _SUBORDINATORS
                          or tokens[k].lower in _OPENING_PREPOSITIONS) \
        and not any(t.text in {",", ";"} for t in tokens[k:comma])


_SUBORDINATORS = frozenset("although though because since while when if whereas as after before unless".split())
#: Prepositions that open an adverbial before the subject ("Along with the dispute, the court …").
_OPENING_PREPOSITIONS = frozenset("along amid following unlike like beyond besides given for from by across among "
                                  "through throughout within against".split())


#: Tokens back from "shows"/"found" within which the document heading its subject is looked for.
_EVIDENCE_REACH = 12
#: Verbs whose subject also does what follows their "to" ("continues to insist", "refused to say").
_TO_VERBS = frozenset(
    """continue continues continued want wants wanted decline declines declined refuse refuses refused vow vows
    vowed seem seems seemed appear appears appeared try tries tried begin begins began need needs needed
    threaten threatens threatened went going got has have had used yet able set stop stops stopped ready seek
    seeks sought plan plans planned decide decides decided agree agrees agreed choose chooses chose manage
    manages managed fail fails failed attempt attempts attempted likely eager willing""".split())
#: Verbs of motion before "on to" ("went on to explain …").
_GO_ON = frozenset("went goes go going gone".split())


#: Verbs whose object is the one who does what the infinitive after it says ("forced the manager to admit …",
#: "led the journalist to fear …", "urged voters to reject …").
_OBJECT_CONTROL = frozenset(
    """force forces forced forcing lead leads led leading urge urges urged urging ask asks asked asking allow
    allows allowed allowing encourage encourages encouraged encouraging push pushes pushed pushing prompt
    prompts prompted prompting persuade persuades persuaded invite invites invited inviting press presses
    pressed pressing get gets got getting want wants wanted expect expects expected""".split())
#: Tokens back from "to" within which the verb of the clause it belongs to is looked for.
_INFINITIVE_REACH = 14


def _starts_object(tokens: list[Token], j: int) -> bool:
    """Whether an object or a clause opens at token ``j`` ("the plan", "Trump", "that …", "what …")."""
    if j >= len(tokens):
        return False
    nxt = tokens[j]
    return nxt.lower in _OBJECT_START or nxt.lower in {"that", ":"} or nxt.lower in _WH_WORDS \
        or nxt.is_capitalised and nxt.text[0].isalpha() or _bare_noun(nxt)


def _infinitive_report(text: str, tokens: list[Token], i: int, role: str, end: int) -> Attribution | None:
    """A reporting verb after "to" whose doer the sentence names: "The mayor took to the radio to accuse …" (the
    clause's subject), "forced the manager to admit that …" (the object of a verb of making), "difficult for Roe
    to attack them" (the phrase after "for"). Anything else ("the authority to call …") is left alone."""
    to = i - 1
    while to > 0 and _is_adverb(tokens[to]):
        to -= 1
    if tokens[to].lower != "to" or to < 1:
        return None
    doer: tuple[int, int] | None = None
    commas = 0
    stopped = False  # a word closed the search before the reach ran out: no subject control
    for m in range(to - 1, max(-1, to - _INFINITIVE_REACH), -1):
        token = tokens[m]
        if token.text in {";", ":", '"', "(", ")"} or token.lower in {"that", "because", "if"}:
            stopped = True
            break
        if token.lower == "for" and m < to - 1:
            last = _np_right(tokens, m + 1)
            if last == to - 1 and (tokens[m + 1].lower in {"him", "her", "them", "us", "me"}
                                   or tokens[m + 1].is_capitalised):
                doer = (m + 1, last)
            stopped = True
            break
        if token.lower in _OBJECT_CONTROL:
            last = _np_right(tokens, m + 1)
            if last is not None and last < to and tokens[m + 1].lower not in {"to", "that"}:
                doer = (m + 1, last)
            stopped = True
            break
        if token.text == ",":
            commas += 1  # "forced the manager, who was under questioning, to admit …"
            if commas > 2:
                stopped = True
                break
    if doer is None and not stopped and commas == 0:
        # Subject control: the infinitive of purpose belongs to the clause that opens the sentence.
        subject = _sentence_subject(tokens)
        if subject is not None and subject[1] + 1 < to and not any(t.text == "," for t in tokens[subject[1] + 1:to]):
            doer = subject
    if doer is None:
        return None
    content = _content_after(text, tokens, i, end)
    if content is None:
        return None
    return _make(text, tokens, doer[0], doer[1], tokens[i], role, *content)


#: Determiners after which a plain form of a reporting verb is a noun ("the fear that", "a reply").
_NOUN_DETERMINERS = frozenset("a an the this every no any another".split())


#: Simple past forms of the common irregular verbs of English, which may follow a subject ("The senator spoke
#: at a rally to …"). Pasts spelled like their plain form ("cut", "put", "set") or like a common noun ("saw",
#: "ground", "wound", "bore") are left out: they are no sign of a verb.
_IRREGULAR_PAST = frozenset(
    """arose awoke became began bent bled blew broke brought built bought caught chose clung came crept dealt dug
    did drew drank drove ate fell fed fought fled flung flew forbade forgot forgave froze got gave went grew hung
    heard hid held kept knelt knew laid led leapt left lent lit lost made meant met paid rode rang rose ran said
    sought sold sent shook shone shot shrank sang sank sat slept slid spoke sped spent spun sprang stood stole
    stuck stung struck swore swept swam swung took taught tore told thought threw understood woke wore wept won
    wrote""".split())


#: Prepositions that make a noun phrase a complement, not a subject ("the flow of proposals by the Kremlin").
_OF_PREPOSITIONS = frozenset("of by from for with in on at to".split())


def _person_head(token: Token) -> bool:
    """Whether a subject's head stands for people: a pronoun, a name, or a noun of people ("percent", "voters")."""
    word = token.lower
    return word in lx.PERSON_PRONOUNS or word in lx.GROUP_PRONOUNS or word in {"i", "we"} \
        or token.is_capitalised and token.text.isalpha() or word in lx.SOURCE_NOUNS \
        or word.endswith("s") and word[:-1] in lx.SOURCE_NOUNS


def _sentence_subject(tokens: list[Token]) -> tuple[int, int] | None:
    """The subject opening the sentence, when a verb follows it: a pronoun, a name, or a determiner and a head
    noun ("The mayor took …", "The Democratic senator also forced …"), else None."""
    first = tokens[0]
    last: int | None = None
    if first.lower in lx.PERSON_PRONOUNS or first.lower in lx.GROUP_PRONOUNS or first.lower in {"i", "we"}:
        last = 0
    elif first.is_capitalised and first.lower not in lx.OPENERS and first.lower not in lx.NP_STOP \
            or first.lower in lx.OPENING_DETERMINERS:
        for k in range(1 if first.lower in lx.OPENING_DETERMINERS else 0, min(len(tokens) - 1, _MAX_DETERMINED_NP)):
            if not _valid_head(tokens[k]) or tokens[k].lower in lx.OPENING_DETERMINERS:
                if k > 0 and tokens[k].is_capitalised:
                    continue  # "The Democratic senator"
                break
            last = k
    if last is None:
        return None
    verb = tokens[last + 1].lower if last + 1 < len(tokens) else ""
    if verb in lx.SKIPPABLE or verb in _FINITE or verb in _IRREGULAR_PAST or verb.endswith("ed"):
        return 0, last
    return None


#: Nouns of recordings whose "of X saying" shows X speaking ("footage of the senator asking, …").
_RECORDINGS = frozenset("footage video videos clip clips audio recording recordings tape tapes".split())


def _absolute_subject(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """The doer of an "-ing" verb in "with X -ing" ("…, with Russia backing the government") or "footage of X
    -ing" ("footage of the senator asking, …"), else None."""
    last = i - 1
    if last < 2 or not _valid_head(tokens[last]) or tokens[last].lower in lx.ALL_PRONOUNS:
        return None
    first = _scan_np_left(tokens, last)
    of = next((k for k in range(last - 1, first, -1) if tokens[k].lower == "of"), None)
    if of is not None and tokens[of - 1].lower in _RECORDINGS:
        return of + 1, last  # "with footage of the mayor saying": the mayor speaks
    while first < last and tokens[first].lower in lx.NP_FUNCTION:
        first += 1
    before = tokens[first - 1].lower if first > 0 else ""
    if first > 0 and tokens[first - 1].lower in lx.OPENING_DETERMINERS and first > 1:
        before = tokens[first - 2].lower  # "with the mayor insisting …"
    if before == "with" or before == "of" and first > 1 and tokens[first - 2].lower in _RECORDINGS:
        return first, last
    return None


def _control_verb(tokens: list[Token], i: int) -> int | None:
    """The verb whose subject speaks through the infinitive ``tokens[i]`` ("continues to insist",
    "went on to discuss", "has yet to explain", "was able to consistently tout"), else None."""
    j = i - 1
    while j > 0 and _is_adverb(tokens[j]):
        j -= 1
    if j < 2 or tokens[j].lower != "to":
        return None
    if tokens[j - 1].lower in _TO_VERBS:
        return j - 1
    if tokens[j - 1].lower == "on" and j >= 3 and tokens[j - 2].lower in _GO_ON:
        return j - 2
    return None


#: Words that open a clause after a verb of thought ("believes his efforts will …", "reports those who …").
_CLAUSE_OPENERS = frozenset("his her their its the a an this these those he she they it we i there".split())
#: Finite verbs that show the words after a verb of thought are a clause, not an object.
_FINITE = frozenset("will would is are was were has have had can could should may might must did does do".split())
#: Tokens after the verb within which that finite verb is looked for.
_CLAUSE_REACH = 10
#: Cue forms that may take a clause without "that" when one follows ("Trump believes his plan will work").
_BARE_CLAUSE_CUES = frozenset("believes believe thinks expects hopes fears worries knows reports writes notes "
                              "claims argues insists knew know feel feels felt understand understood suspect "
                              "suspects realized believed thought think expected expect hoped hope feared fear "
                              "worried worry suspected doubted assumed".split())


#: Forms of "do" that make the plain form after them a finite verb ("did not respond to …").
_DO_FORMS = frozenset("did does do didn't doesn't don't".split())


#: Adverbs that may stand between a subject and its verb ("Democrats also support …").
_SUBJECT_ADVERBS = frozenset("also now still often again then repeatedly already however".split())
#: Words that open the object of a verb ("support the bill", "calls them", "demands more").
_OBJECT_START = frozenset("the a an his her their its our my this these those him them us me it more some any all no "
                          "every each both".split())
#: Cue forms whose object is no report ("continues his tour", "repeats the trip").
_NO_OBJECT_REPORTS = frozenset("continues continue repeats repeat issues issue rates rate votes vote".split())
#: Subjects that agree with a plain form ("they support", "we question").
_PLURAL_PRONOUNS = frozenset("they we i you".split())
#: Subjects that agree with an "-s" form ("she calls").
_SINGULAR_PRONOUNS = frozenset("he she it".split())


#: Words that open an indirect question: "explain why …", "know what …", "asked whether …".
_WH_WORDS = frozenset("why how what whether when where who which if".split())
#: Prepositions after a verb of knowing or believing that open what is known ("knew about the plan",
#: "believes in the voters"), and the roles that take them.
_KNOWING_PREPOSITIONS = frozenset("about in".split())
_KNOWING_ROLES = frozenset("knew believed learned".split())


def _bare_noun(token: Token) -> bool:
    """A lower-case word that may open an object without a determiner ("want policies", "demands accountability"):
    no function word, auxiliary, adverb, participle or cue form."""
    word = token.lower
    return token.text.isalpha() and token.text.islower() and len(word) > 3 and word not in lx.NP_STOP \
        and word not in lx.SKIPPABLE and word not in _FINITE and not word.endswith(("ly", "ed", "ing")) \
        and token.text not in _CUE_FORMS


#: Tokens of an "of" phrase between a subject's head and its verb ("members of the state Senate echo").
_MAX_OF_PHRASE = 4
#: Modals after which a plain form is a verb ("would call", "could offer", "won't support").
_MODALS = frozenset("will would can could may might should must 'll 'd won't wouldn't can't couldn't shouldn't".split())


#: Verbs of saying, calling and arguing that a modal leaves a report ("critics would call them …"); after a
#: modal, verbs of stance and of deciding are predictions ("The bridge will support heavier trucks").
_MODAL_REPORT_ROLES = frozenset("said called argued asked demanded urged described insisted claimed explained".split())
#: Heads that speak: people, their groups and bodies, not the documents and figures of the same list.
_HUMAN_NOUNS = lx.SOURCE_NOUNS - frozenset(
    "report reports study poll survey data statement letter memo book article documents records figures".split())
#: How far back a modal's report looks for a verb or "that" it would be reported under.
_MODAL_REACH = 12


def _modal_report(tokens: list[Token], s: int, word: str) -> bool:
    """Whether the plain form ``word`` after a modal, with its subject at ``s``, is a report: a verb of saying
    or calling with a person for its subject ("critics would call them …", "she will demand more details"),
    not inside what another verb reports ("May said that the country would declare …"). Predictions about
    things and stances are none ("The storm could threaten crops", "Voters will decide the race")."""
    if s < 0 or lx.BASE_CUES.get(word) not in _MODAL_REPORT_ROLES:
        return False
    subject = tokens[s]
    person = subject.lower in lx.PERSON_PRONOUNS | lx.GROUP_PRONOUNS | lx.SPEAKER_PRONOUNS \
        or subject.lower in _HUMAN_NOUNS or subject.is_capitalised and subject.text.isalpha() \
        and (s == 0 or tokens[s - 1].lower not in lx.OPENING_DETERMINERS)
    return person and not any(t.lower == "that" or t.text in _CUE_FORMS for t in tokens[max(0, s - _MODAL_REACH):s])


def _agrees_with_subject(tokens: list[Token], i: int, word: str) -> bool:
    """Whether a cue form that is also a noun is a verb by agreement: its subject right before it and
    its object right after ("China and Russia support the government", "Trump demands accountability",
    "The ad then references FBI criticism"); "the peace talks collapsed" and "voter support is" are nouns."""
    if i + 1 >= len(tokens) or word in _NO_OBJECT_REPORTS or lx.BASE_CUES.get(word, lx.SPEECH_CUES.get(word)) in \
            lx.OBJECT_THAT_ROLES:
        return False  # "The workers warn the neighbours about …": the object is the one addressed, not the content
    nxt = tokens[i + 1]
    if not (nxt.lower in _OBJECT_START or nxt.is_capitalised and nxt.text[0].isalpha() or nxt.text.isdigit()
            or _bare_noun(nxt)):
        return False
    p = i - 1
    while p >= 0 and (tokens[p].lower in _SUBJECT_ADVERBS or _is_adverb(tokens[p])):
        p -= 1
    if p < 0:
        return False
    if p > 0 and not word.endswith("s") and (tokens[p].lower in _MODALS or tokens[p].lower == "not"
                                               and tokens[p - 1].lower in _MODALS):
        return _modal_report(tokens, p - 1 if tokens[p].lower in _MODALS else p - 2, word)
    if tokens[p].text == ",":
        around = _parenthetical_source(tokens, p)  # "Some Democrats, however, question the wisdom of …"
        if around is None:
            return False
        p = around[1]
    subject = tokens[p]
    before = tokens[p - 1].lower if p > 0 else ""
    if before in lx.OPENING_DETERMINERS and p == i - 1 and not subject.is_capitalised and before != "the":
        return False  # "his support", "one plans": a noun phrase, not a clause
    if word.endswith("s"):
        # "-s" form: a singular subject (a pronoun, a name, a noun after "the"), never a plural
        if subject.lower in _SINGULAR_PRONOUNS:
            return True
        if subject.lower.endswith("s") or subject.lower in lx.ALL_PRONOUNS or not subject.text.isalpha():
            return False
        return subject.is_capitalised and before not in lx.OPENING_DETERMINERS and not p == 0 \
            or before == "the" and _valid_head(subject) or subject.is_capitalised and p == 0
    # a plain form: a plural subject (they, a plural noun, "X and Y", "percent")
    if subject.lower in _PLURAL_PRONOUNS or subject.lower == "percent":
        return True
    of = next((k for k in range(p - 1, max(0, p - _MAX_OF_PHRASE) - 1, -1) if tokens[k].lower == "of"), None)
    if of is not None and of > 0 and all(t.text.isalpha() for t in tokens[of + 1:p + 1]):
        subject = tokens[of - 1]  # "members of Congress echo …": the head before "of" agrees with the verb
        before = tokens[of - 2].lower if of > 1 else ""
    if not subject.text.isalpha() or subject.lower in lx.ALL_PRONOUNS:
        return False
    if subject.is_capitalised and before == "and":
        return True  # "China and Russia support"
    return subject.lower.endswith("s") and not subject.lower.endswith("ss") and _valid_head(subject)


def _closes_after_comma(tokens: list[Token], i: int) -> bool:
    """Whether verb ``i`` closes the sentence after its subject, which follows a comma or a quotation
    ("…, The Wall Street Journal reports.", '"…," the mayor notes.'): a verb, whose content comes before."""
    if i + 1 < len(tokens) and tokens[i + 1].text not in {".", "!", "?"} or not tokens[i].text.endswith("s"):
        return False
    for k in range(i - 1, max(0, i - _MAX_NP) - 1, -1):
        if tokens[k].text in {",", '"', "'"}:
            return k < i - 1 and k > 0
        if not (tokens[k].text[:1].isalnum() or tokens[k].text in {"'s", "."}) or tokens[k].lower in lx.NP_STOP:
            return False
    return False


def _after_do(tokens: list[Token], i: int) -> bool:
    """Whether verb ``i`` follows a form of "do" ("did not respond", "does not endorse"): a verb in the
    past or present, not a noun. A modal before it ("would declare") is read with the object, by agreement."""
    j = i - 1
    while j >= 0 and (tokens[j].lower in {"not", "also", "never", "immediately", "still"} or _is_adverb(tokens[j])):
        j -= 1
    return j >= 1 and tokens[j].lower in _DO_FORMS


#: Tokens after a verb of seeing within which its "as" must come ("views the plan as …").
_AS_WINDOW = 8


def _as_follows(tokens: list[Token], i: int) -> bool:
    """Whether an "as" follows verb ``i`` after its object, before any punctuation."""
    for k in range(i + 2, min(len(tokens), i + _AS_WINDOW)):
        if tokens[k].lower == "as":
            return True
        if not tokens[k].text[:1].isalnum():
            return False
    return False


def _depicts_person(tokens: list[Token], i: int) -> bool:
    """Whether verb ``i`` of depicting has a person for its object and a role after "as": "painted his rival as
    a crook" does, "painted the wall as a favour" and "painted the fence as soon as …" do not."""
    k = next((k for k in range(i + 2, min(len(tokens), i + _AS_WINDOW)) if tokens[k].lower == "as"), None)
    if k is None or k + 1 >= len(tokens):
        return False
    role = tokens[k + 1].lower
    if role in lx.AS_NON_ROLES or role in {"a", "an"} and k + 2 < len(tokens) \
            and tokens[k + 2].lower in lx.AS_PURPOSES:
        return False
    return any(t.lower in lx.REFLEXIVES or t.lower in {"him", "her", "them", "us", "me"} or _person_head(t)
               or t.lower + "s" in lx.SOURCE_NOUNS for t in tokens[i + 1:k])  # "his rival" as "rivals"


def _after_quote(tokens: list[Token], i: int) -> bool:
    """Whether a quotation closes shortly before verb ``i`` ('"…," she yelled', '"…" the crowd chanted')."""
    return any(t.text in {'"', "'"} for t in tokens[max(0, i - _MAX_NP):i])


def _clause_follows(tokens: list[Token], i: int, word: str) -> bool:
    """Whether a clause without "that" follows a verb of thought or report: a subject, then a finite verb."""
    if word not in _BARE_CLAUSE_CUES or i + 2 >= len(tokens):
        return False
    opener = tokens[i + 1]
    if not (opener.lower in _CLAUSE_OPENERS or opener.is_capitalised
            or word in lx.COGNITION_CUES and _bare_noun(opener)):  # "believe bigotry is acceptable"
        return False
    for k in range(i + 2, min(len(tokens), i + _CLAUSE_REACH)):
        if tokens[k].text in {",", ";", ".", '"', ":"}:
            return False
        if tokens[k].lower in _FINITE:
            return True
    return False


def _passive_agent(text: str, tokens: list[Token], i: int, role: str) -> Attribution | None:
    """"The union's claim was later denied by the company": the agent after "by" denies (or
    confirms) what the subject names, so the subject is the content."""
    last = _np_right(tokens, i + 2)
    if last is None:
        # "by far fewer publications", "by dozens of papers": a quantity before a head noun of sources
        last = next((k for k in range(i + 2, min(len(tokens), i + 2 + _MAX_DETERMINED_NP))
                     if tokens[k].text.islower() and _valid_head(tokens[k])), None)
        if last is None or any(not t.text.isalpha() for t in tokens[i + 2:last]):
            return None
    j = i - 1
    while j > 0 and (_is_adverb(tokens[j]) or tokens[j].lower in lx.PASSIVE_GAP or tokens[j].lower in lx.SKIPPABLE
                     or tokens[j].lower in lx.PASSIVE_AUXILIARIES):
        j -= 1
    if tokens[j].text == ",":
        around = _parenthetical_source(tokens, j)  # "Jane Roe, meanwhile, is supported by …"
        j = around[1] if around is not None else j
    if j < 0 or j == 0 and tokens[0].lower in lx.ALL_PRONOUNS:
        return None  # "They were praised by Obama": a pronoun alone is no content
    return _make(text, tokens, i + 2, last, tokens[i], role, tokens[0].start, tokens[j].end)


def _inverted_ahead(tokens: list[Token], i: int, role: str) -> bool:
    # "…, said one GOP source in the room." - the phrase after the verb closes the sentence.
    if role not in lx.INVERTED_ROLES or i < 2 or tokens[i - 1].text not in {",", '"', "'"}:
        return False
    if role == "told" and tokens[i - 1].text == "," and _source_before(tokens, i) is not None:
        return False  # "…," Jane Roe, a director, told The Daily Post.": the outlet listens
    if tokens[i - 1].text == "," and tokens[0].is_capitalised:
        before = _source_before(tokens, i)
        if before is not None and before[0] == 0:
            return False  # "Jane Roe, the mayor's daughter, noted the rule": the name opening the sentence speaks
    last = _np_right(tokens, i + 1)
    if last is None or tokens[i + 1].lower in lx.ALL_PRONOUNS:
        return False
    if any(t.lower in _FINITE for t in tokens[i + 2:last + 1]):
        return False  # "…, said the talks had failed": a clause after the verb, not its speaker
    following = tokens[last + 1].text if last + 1 < len(tokens) else "."
    return following in {".", ",", "!", "?", ";", '"'} or tokens[last + 1].lower in {"in", "at", "of", "who", "on"}


def _progressive(tokens: list[Token], i: int) -> bool:
    """Whether the "-ing" verb ``tokens[i]`` follows a form of "be" ("is warning", "was not saying")."""
    j = i - 1
    while j >= 0 and (_is_adverb(tokens[j]) or tokens[j].lower in lx.PASSIVE_GAP
                      or tokens[j].lower in _SUBJECT_ADVERBS):
        j -= 1  # "is once again questioning", "was still insisting"
    return j > 0 and tokens[j].lower in lx.PROGRESSIVE_AUXILIARIES


#: Tokens after a passive verb within which its agent ("by fellow physicians") is looked for.
_AGENT_REACH = 8


def _antecedent(tokens: list[Token], who: int) -> tuple[int, int] | None:
    """The noun phrase before ", who" ("Chris Christie, who …", "The governor, who …"), or None."""
    if who < 2 or tokens[who - 1].text != "," or not _valid_head(tokens[who - 2]):
        return None
    name_end = who - 2
    if not tokens[name_end].is_capitalised:
        return _scan_np_left(tokens, name_end), name_end
    name_start = name_end
    while name_start > 0 and (tokens[name_start - 1].is_capitalised or tokens[name_start - 1].text in {".", "'s"}):
        name_start -= 1
    return name_start, name_end


def _relative_clause_end(text: str, tokens: list[Token], i: int, start: int, end: int) -> int:
    """Where the content of a report inside "X, who said …, verb …" ends: at the comma before the main verb."""
    for k in range(i + 1, len(tokens) - 1):
        if tokens[k].start >= end:
            break
        following = tokens[k + 1].lower
        if tokens[k].text == "," and tokens[k].start > start and (
                following in _FINITE or following in lx.SKIPPABLE or _is_verbish(following)
                or following in lx.SPEECH_CUES):
            return _strip_back(text, start, tokens[k].start)
    return end


def _passive_report(text: str, tokens: list[Token], i: int, role: str, end: int) -> Attribution | None:
    """"The senator was accused of …", "The veto is expected to …", "It was reported that …": a
    report whose speaker is the agent after "by", else no one named. The content is the clause
    with its subject ("the veto … to come before Friday"), or what follows "that" after "it"."""
    j = i - 1
    while j >= 0 and (_is_adverb(tokens[j]) or tokens[j].lower in lx.PASSIVE_GAP):
        j -= 1
    auxiliary = j
    while j > 0 and tokens[j - 1].lower in lx.SKIPPABLE | lx.PASSIVE_AUXILIARIES:
        j -= 1  # "has been", "will be", "is not"
    subject = _source_before(tokens, j) if j > 0 else None
    agent = next((k for k in range(i + 1, min(len(tokens) - 1, i + _AGENT_REACH))
                  if tokens[k].lower == "by" and tokens[k - 1].text != ","), None)
    agent_span: tuple[int, int] | None = None
    if agent is not None:
        agent_last = _np_right(tokens, agent + 1)
        if agent_last is not None and (tokens[agent + 1].is_capitalised or _valid_head(tokens[agent_last])
                                       or tokens[agent + 1].lower in lx.DETERMINERS):
            agent_span = (agent + 1, agent_last)
    if subject is not None and tokens[subject[0]].lower == "it" and subject[0] == subject[1]:
        if i + 1 >= len(tokens) or tokens[i + 1].lower != "that":
            return None  # "it was expected to rain": no report
        content_start, content_end = tokens[i + 1].end, _strip_back(text, tokens[i + 1].end, end)
    else:
        if subject is None and auxiliary > 0:
            return None  # no subject to say what is reported
        opening = subject[0] if subject is not None else 0
        content_start = tokens[opening].start
        stop = tokens[agent_span[0] - 1].start if agent_span is not None and agent_span[1] + 2 >= len(tokens) else end
        content_end = _strip_back(text, content_start, min(stop, _clause_end(tokens, i, end)))
    content_start = _skip_space(text, content_start, content_end)
    if content_end - content_start < _MIN_CONTENT_CHARS:
        return None
    if agent_span is not None:
        first, last = agent_span
        return Attribution(text[tokens[first].start:tokens[last].end], tokens[first].start,
                           tokens[last].end, tokens[i].text, role, tokens[i].start, tokens[i].end,
                           content_start, content_end)
    return Attribution("", tokens[i].start, tokens[i].start, tokens[i].text, role, tokens[i].start, tokens[i].end,
                       content_start, content_end, unnamed=True)


#: Words after a comma that open another clause ("…, but Republicans seem …", "…, reflecting …").
_NEXT_CLAUSE = frozenset("but and while although though whereas yet so which".split())


def _clause_end(tokens: list[Token], i: int, end: int) -> int:
    """Where the clause of verb ``i`` ends: a ";", or a comma before a conjunction, an "-ing" word or a
    subject pronoun."""
    for k in range(i + 1, len(tokens) - 1):
        if tokens[k].text == ";":
            return tokens[k].start
        if tokens[k].text == ",":
            following = tokens[k + 1].lower
            if following in _NEXT_CLAUSE or following.split("'")[0] in _CLAUSE_SUBJECTS \
                    or following.endswith("ing") and len(following) > _MIN_ADVERB_CHARS:
                return tokens[k].start
    return end


def _is_passive(tokens: list[Token], i: int) -> bool:
    if tokens[i].text.endswith("ing"):
        return False  # "is demanding" is progressive, not passive
    j = i - 1
    while j >= 0 and (_is_adverb(tokens[j]) or tokens[j].lower in lx.PASSIVE_GAP):
        j -= 1
    return j >= 0 and tokens[j].lower in lx.PASSIVE_AUXILIARIES


def _coordinated_plain(tokens: list[Token], i: int) -> bool:
    """Whether a plain form after "and"/"or" shares the verb of the clause: "call them … and describe their
    actions", "refuses to release his records or explain how …" (a plain form or "to" + verb before it)."""
    for k in range(i - 2, max(-1, i - _COORDINATION_REACH), -1):
        if tokens[k].text in {";", ".", '"'}:
            return False
        if tokens[k].lower == "to" or tokens[k].text in lx.BASE_CUES and k > 0 and \
                tokens[k - 1].lower not in lx.OPENING_DETERMINERS:
            return True
    return False


#: Tokens back from a coordinated plain form within which the verb it is coordinated with must stand.
_COORDINATION_REACH = 20


def _after_conjunction(tokens: list[Token], i: int) -> bool:
    j = i - 1
    while j >= 0 and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j])):
        j -= 1
    return j > 0 and tokens[j].lower in lx.COORDINATORS


#: Tokens of a participle phrase opening a sentence before its comma ("Citing a report by the agency,").
_MAX_FRONTED_PARTICIPLE = 25


#: Words that may open a sentence before its fronted participle ("After saying …, she …").
_FRONTING_LEADS = frozenset("after before while when since by without upon".split())


def _fronted_participle(text: str, tokens: list[Token], end: int, at: int = 0) -> Attribution | None:
    """"Citing an unfounded theory, the mayor accused …", "After saying her foot was swollen, she was …": the
    subject after the comma does the reporting (the participle is token ``at``)."""
    word = tokens[at].lower
    role = lx.SPEECH_CUES.get(word) or lx.PROGRESSIVE_CUES.get(word)
    if role is None or word in lx.MANNER_CUES or tokens[at + 1].lower in _ADJUNCT_PREPOSITIONS \
            or tokens[at + 1].lower == "for":
        return None  # "Writing for a panel, …" names where, not what
    comma = next((k for k in range(at + 1, min(len(tokens), at + _MAX_FRONTED_PARTICIPLE)) if tokens[k].text == ","),
                 None)
    if comma is None or comma < at + 2 or comma + 1 >= len(tokens):
        return None
    subject = comma + 1
    if tokens[subject].text in {'"', "'"} and subject + 1 < len(tokens):
        subject += 1  # '…, was "so swollen I could barely walk," she said': the quotation closes after the comma
    last = _np_right(tokens, subject)
    if last is None or not (tokens[subject].is_capitalised or tokens[subject].lower in lx.ALL_PRONOUNS
                            or tokens[subject].lower in lx.DETERMINERS):
        return None
    if subject > comma + 1:
        comma += 1
    verb = next((k for k in range(comma + 2, last + 1) if _is_verbish(tokens[k].lower) or tokens[k].lower in
                 lx.SPEECH_CUES or tokens[k].lower in lx.SKIPPABLE or tokens[k].lower in _FINITE
                 or tokens[k].lower in _IRREGULAR_PAST), None)
    if verb is not None:
        last = verb - 1  # "…, the mayor ordered a review": the subject ends before its verb
    if not _speaking_head(tokens, subject, last):
        return None  # "After announcing the deal, the company's shares rose": a dangling participle
    after = at + 1
    while after < comma and tokens[after].lower in {"that", ":"}:
        after += 1
    content_start = tokens[after].start
    content_end = _strip_back(text, content_start, tokens[comma].start) if tokens[comma].text == "," \
        else tokens[comma].end
    if content_end - content_start < _MIN_CONTENT_CHARS:
        return None
    return Attribution(text[tokens[comma + 1].start:tokens[last].end], tokens[comma + 1].start, tokens[last].end,
                       tokens[at].text, role, tokens[at].start, tokens[at].end, content_start, content_end)


def _speaking_head(tokens: list[Token], first: int, last: int) -> bool:
    """Whether the phrase ``first``..``last`` can be the one who speaks: a personal pronoun, a name or a noun for
    people or their bodies, not something they own ("the company's shares") or a thing ("the car")."""
    if last < first or any(t.text in {"'s", "'", "’s"} or t.text.endswith("'s") for t in tokens[first:last + 1]):
        return False
    head = tokens[last]
    return head.lower in lx.PERSON_PRONOUNS | lx.GROUP_PRONOUNS | lx.SPEAKER_PRONOUNS or head.lower in _HUMAN_NOUNS \
        or head.is_capitalised and head.text.isalpha() and head.lower not in lx.OPENING_DETERMINERS


def _participle_attribution(text: str, tokens: list[Token], i: int, role: str, end: int) -> Attribution | None:
    """"Trump tweeted on Friday, saying that …" / "… and said …": the clause subject speaks."""
    if i == 0:
        return None
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if tokens[i].text.endswith("ing") and tokens[i - 1].text != "," and after != "that" \
            and tokens[i - 1].lower not in _PARTICIPLE_LEADS and not _participle_adjunct(tokens, i):
        return None  # "taxpayers reporting capital gains" is no attribution; "began by saying …" is one
    subject = _clause_subject(tokens, i)
    content = _content_after(text, tokens, i, end)
    if subject is None or content is None:
        return None
    return _make(text, tokens, subject[0], subject[1], tokens[i], role, *content)


def _participle_adjunct(tokens: list[Token], i: int) -> bool:
    """Whether the "-ing" form ``i`` opens a participle adjunct of the clause: after a comma ("…, touting their
    experience"), after "each"/"both" there, or after "and" that joins it to such a participle ("…, touting
    their experience and saying …")."""
    if i < 2 or not tokens[i].text.endswith("ing") or not tokens[i].text.islower() \
            or lx.PROGRESSIVE_CUES.get(tokens[i].text) in lx.COGNITION_ROLES:
        return False  # "after assuming his post": a verb of thought reports only with its clause
    before = tokens[i - 1].lower
    if before == "," or before in {"each", "both"} and tokens[i - 2].text == "," or before in _PARTICIPLE_LEADS \
            and before not in {"each", "both"}:
        return True  # "…, touting …", "began by emphasizing …"
    if before in _CATENATIVES:
        # "The senator kept criticizing the mayor", "She began insisting that …"; not "stopped reporting its
        # earnings" (the act did not happen), "kept asking questions" or "began chanting his name" (no claim)
        return i + 1 < len(tokens) and tokens[i + 1].lower == "that" and tokens[i].lower not in lx.MANNER_CUES \
            or lx.PROGRESSIVE_CUES.get(tokens[i].lower, lx.SPEECH_CUES.get(tokens[i].lower)) in _CATENATIVE_ROLES
    if before != "and":
        return False
    for k in range(i - 2, max(0, i - _COORDINATION_REACH), -1):
        if tokens[k].text in {".", ";", '"'}:
            return False
        if tokens[k].text.endswith("ing") and tokens[k].text.islower() and (
                tokens[k - 1].text == "," or tokens[k - 1].lower in {"each", "both"} and tokens[k - 2].text == ","):
            return True
    return False


#: Verbs of aspect whose object is an "-ing" verb sharing their subject and done ("kept criticizing", "began
#: attacking"); verbs of stopping and avoiding say the act did not happen ("stopped reporting", "avoids condemning").
_CATENATIVES = frozenset("keep keeps kept resumed resume resumes started starts begin begins began continue continues "
                         "continued".split())
#: Reports of judging and accusing that such a verb of aspect reads with an object; others need "that".
_CATENATIVE_ROLES = frozenset("criticized attacked praised blamed accused condemned denounced defended mocked slammed "
                              "blasted touted lambasted ridiculed derided urged".split())


#: Words after which an "-ing" reporting verb shares the clause's subject ("began by saying he would …").
_PARTICIPLE_LEADS = frozenset("by after before while when without then each both".split())


def _clause_subject(tokens: list[Token], i: int) -> tuple[int, int] | None:
    # Skip an opening adverbial ("On Thursday, however,") and take the noun phrase that follows.
    j = 0
    for _ in range(_MAX_OPENERS):
        if tokens[j].lower in lx.OPENERS or tokens[j].is_capitalised and tokens[j].lower in lx.WEEKDAYS:
            comma = next((k for k in range(j, min(i, j + _OPENER_WINDOW)) if tokens[k].text == ","), None)
            if comma is None:
                return None
            j = comma + 1
    while j < i and tokens[j].text in {'"', "'", "-"}:
        j += 1
    if j >= i:
        return None
    if tokens[j].lower in lx.ALL_PRONOUNS:
        return (j, j)
    last = j
    if tokens[j].lower in lx.DETERMINERS and j + 1 < i and not tokens[j + 1].is_capitalised:
        # "A reporter for USA Today spotted … and reported …": a noun phrase up to its verb.
        k = j + 1
        while k < i and k - j < _MAX_NP and (
                tokens[k].is_capitalised or tokens[k].lower in {"for", "of", "at"}
                or tokens[k].text.isalpha() and tokens[k].lower not in lx.NP_STOP
                and tokens[k].lower not in lx.SKIPPABLE and not _is_verbish(tokens[k].lower)):
            k += 1
        for end_at in range(k - 1, j, -1):
            if tokens[end_at].is_capitalised or _valid_head(tokens[end_at]):
                return (j, end_at)
        last = j
    while last + 1 < i and _continues_name(tokens, last + 1, i):
        last += 1
    if not tokens[last].is_capitalised:
        return None
    return (j, last)


def _continues_name(tokens: list[Token], k: int, stop: int) -> bool:
    token = tokens[k]
    if token.is_capitalised or token.text in {"'s", "."}:
        return True
    return token.lower in {"of", "and", "for"} and k + 1 < stop and tokens[k + 1].is_capitalised


def _preposed_or_postposed(
    text: str, tokens: list[Token], i: int, first: int, last: int, role: str, end: int
) -> Attribution | None:
    """Decide whether the content precedes the verb ("…, X said") or follows it ("X said that …")."""
    cue = tokens[i]
    before = tokens[first - 1].text if first > 0 else ""
    after_object = _skip_object(tokens, i + 1) if cue.text in lx.TELL_FORMS else i + 1
    following = _first_word_after(tokens, after_object - 1)
    after_quote = before in {'"', "'"} or before == "," and first > 1 and tokens[first - 2].text in {'"', "'"}
    if after_quote and tokens[0].lower in _TITLE_PREPOSITIONS:
        after_quote = False  # 'In an interview on "Face the Nation," the speaker said …': a title, not her words
    trailing = following in lx.POSTPOSED_FOLLOWERS or not following or following[:1].isupper() and after_quote
    # "On Thursday, however, Trump spoke to …": a short opener is an adverbial, not content.
    # At the sentence end ("People like Scott, he said.") or with the clause going on after the
    # verb ("The museum, Mr. Obama said, would make …") a short lead is content all the same.
    closing = _words_after(tokens, i, 1) == 0
    split = following == "," and _words_after(tokens, i, _MIN_WORDS_AFTER_SPLIT) >= _MIN_WORDS_AFTER_SPLIT \
        and i + 2 < len(tokens) and tokens[i + 2].text.islower() and not _according_follows(tokens, i)
    min_before = _MIN_SHORT_LEAD if closing or split else _MIN_POSTPOSED_WORDS
    if first > 1 and before in {",", '"', "'", "-"} and (trailing or after_quote) and not _has_that_soon(tokens, i) \
            and (after_quote or _words_before(tokens, first, min_before) >= min_before
                 and role in lx.PARENTHETICAL_ROLES):
        content_start = tokens[0].start
        resumed = _resumes_after_adjunct(tokens, after_object) if following != "," else None
        if resumed is not None and _words_after(tokens, resumed, _MIN_WORDS_AFTER_SPLIT) >= _MIN_WORDS_AFTER_SPLIT \
                and tokens[resumed + 1].lower not in _NOT_RESUMING:
            # "…, the agency said in a June report, and those in the …": the content goes on after the adjunct.
            return _make(text, tokens, first, last, cue, role, content_start, _strip_back(text, content_start, end))
        if following == "," and _words_after(tokens, i, _MIN_WORDS_AFTER_SPLIT) >= _MIN_WORDS_AFTER_SPLIT \
                and not _according_follows(tokens, i) and _runs_on(tokens, after_object):
            # "…, he said, local officials …": the content runs on both sides of the verb.
            return _make(text, tokens, first, last, cue, role, content_start, _strip_back(text, content_start, end))
        if before in {'"', "'"}:
            content_end = tokens[first - 1].end
        else:
            content_end = _strip_back(text, content_start, tokens[first - 1].start)
        return _make(text, tokens, first, last, cue, role, content_start, content_end)
    content_after = _content_after(text, tokens, i, end)
    if content_after is None:
        return None
    if role in {"spoke", "talked"} and not _SPOKE_ABOUT.match(text, content_after[0], end):
        return None  # "spoke on Monday" says nothing; "spoke about the war" does
    return _make(text, tokens, first, last, cue, role, *content_after)


#: Prepositions opening a sentence whose quotation marks enclose a title ("On "Meet the Press," …").
_TITLE_PREPOSITIONS = frozenset("in on at during".split())
#: Tokens of an adjunct after "…, X said" before the comma that resumes the content ("in a June report").
_MAX_ADJUNCT = 7
_ADJUNCT_OPENERS = frozenset("in on at during after before to while".split())
#: Words after that comma that start something other than more content ("…, adding that …").
_NOT_RESUMING = frozenset("adding saying noting according who which where when as because citing".split())


def _resumes_after_adjunct(tokens: list[Token], j: int) -> int | None:
    """The comma closing a short adjunct right after the verb ("said in a June report,"), else None."""
    j = j if j < len(tokens) else len(tokens) - 1
    if j >= len(tokens) or tokens[j].lower not in _ADJUNCT_OPENERS:
        return None
    for k in range(j + 1, min(len(tokens), j + _MAX_ADJUNCT)):
        if tokens[k].text == ",":
            return k if k + 1 < len(tokens) else None
        if not (tokens[k].text[:1].isalnum() or tokens[k].text in {"'s", "."}):
            return None
    return None


#: Words after "…, X said," that start a clause of the writer's, not more of X's content.
_NOT_RUNNING_ON = _NOT_RESUMING | frozenset("and but so then not even while suggesting explaining arguing insisting "
                                            "warning calling referring pointing".split())


def _runs_on(tokens: list[Token], j: int) -> bool:
    """Whether the words after the comma at or after token ``j`` go on with the content
    ("…, he said, local officials …") rather than the writer's story ("…, she said, and soon …")."""
    while j < len(tokens) and tokens[j].text == ",":
        j += 1
    if j < len(tokens) and tokens[j].lower in {"and", "but"} and any(
            t.text in {'"', "'"} for t in tokens[j + 1:j + 1 + _QUOTE_AFTER_CONJUNCTION]):
        return True  # "…," he said, but "when it comes to …": the quotation goes on
    return j < len(tokens) and tokens[j].lower not in _NOT_RUNNING_ON


#: Tokens after "and"/"but" within which a quotation that goes on with the content opens.
_QUOTE_AFTER_CONJUNCTION = 3


def _according_follows(tokens: list[Token], i: int) -> bool:
    return any(t.lower == "according" for t in tokens[i + 1:i + 1 + _ACCORDING_LOOKAHEAD])


def _words_before(tokens: list[Token], first: int, enough: int) -> int:
    """Words before token ``first``, counted up to ``enough`` (a sentence of many verbs stays linear)."""
    count = 0
    for k in range(first):
        if tokens[k].text[:1].isalnum():
            count += 1
            if count >= enough:
                break
    return count


def _words_after(tokens: list[Token], i: int, enough: int) -> int:
    """Words after token ``i``, counted up to ``enough`` (a sentence of many verbs stays linear)."""
    count = 0
    for k in range(i + 1, len(tokens)):
        if tokens[k].text[:1].isalnum():
            count += 1
            if count >= enough:
                break
    return count


def _inverted(text: str, tokens: list[Token], i: int, role: str, end: int) -> Attribution | None:
    """"…, said Sergei Lavrov" / "…," says FM Lavrov / "Said Ellis: …": the source follows the verb."""
    if role not in lx.INVERTED_ROLES:
        return None
    if i == 0 and tokens[0].is_capitalised:
        return _fronted_inversion(text, tokens, role, end)
    if i < 2 or tokens[i - 1].text not in {",", '"', "'"}:
        return None
    last = _np_right(tokens, i + 1)
    if last is None:
        return None
    content_start = tokens[0].start
    if tokens[i - 1].text in {'"', "'"}:
        content_end = tokens[i - 1].end
    else:
        content_end = _strip_back(text, content_start, tokens[i - 1].start)
    if content_end - content_start < _MIN_CONTENT_CHARS:
        return None
    source = text[tokens[i + 1].start:tokens[last].end]
    return Attribution(source, tokens[i + 1].start, tokens[last].end, tokens[i].text, role,
                       tokens[i].start, tokens[i].end, content_start, content_end)


def _fronted_inversion(text: str, tokens: list[Token], role: str, end: int) -> Attribution | None:
    last = _np_right(tokens, 1)
    if last is None or last + 1 >= len(tokens) or tokens[last + 1].text not in {":", ","}:
        return None
    content_start = tokens[last + 1].end
    return _make(text, tokens, 1, last, tokens[0], role, content_start, _strip_back(text, content_start, end))


def _np_right(tokens: list[Token], j: int) -> int | None:
    """Last token index of a source phrase starting at ``j`` ("Sergei Lavrov", "one GOP source"), or None."""
    if j >= len(tokens):
        return None
    if tokens[j].lower in lx.ALL_PRONOUNS:
        return j
    if tokens[j].lower in lx.WEEKDAYS or tokens[j].lower in _TIME_WORDS:
        return None  # "…, Mitch McConnell said Tuesday": a day, not a speaker
    last = None
    determined = tokens[j].lower in lx.DETERMINERS
    # "…, said 9/11 widow Terry Strada": lower-case descriptors before a capitalised name.
    k = j
    while k < len(tokens) and k - j < _MAX_DESCRIPTORS and not tokens[k].is_capitalised \
            and (tokens[k].text.isalpha() and tokens[k].lower not in lx.NP_STOP and tokens[k].lower not in _NOT_DESCRIPTORS
                 or tokens[k].text[:1].isdigit()):
        k += 1
    if k > j and not determined and k < len(tokens) and tokens[k].is_capitalised \
            and tokens[k].lower not in lx.WEEKDAYS and tokens[k].lower not in _TIME_WORDS:
        determined = True
    for k in range(j, min(len(tokens), j + _MAX_NP)):
        token = tokens[k]
        if k > j and token.lower in lx.ALL_PRONOUNS:
            break  # "by a number of experts I spoke to": the phrase ends before "I"
        if token.is_capitalised or token.text in {"'s"}:
            last = k
        elif token.lower in {"of", "for", "the", "and"} and k + 1 < len(tokens) and tokens[k + 1].is_capitalised:
            continue
        elif determined and (token.text.isalpha() or token.text[:1].isdigit()) and token.lower not in lx.NP_STOP \
                and k - j < _MAX_DETERMINED_NP:
            last = k
        elif token.text == "(" and last is not None:
            closing = next((m for m in range(k, min(len(tokens), k + _MAX_BRACKET_AFTER_NAME))
                            if tokens[m].text == ")"), None)
            if closing is None:
                break
            return closing  # "said Rep. Gwen Moore (D-Wis.)"
        else:
            break
    return last


def _according_attribution(
    text: str, tokens: list[Token], index_at: dict[int, int], match: re.Match[str], end: int
) -> Attribution | None:
    """"According to X, …" (content after) or "…, according to X" (content before)."""
    i = index_at.get(match.start())
    if i is None:
        return None
    j = i + 2
    last = j - 1
    while j < len(tokens) and j - i <= _MAX_NP + 2:  # + the two words of "according to"
        token = tokens[j]
        if token.text in {",", ".", ";", ":", "-", "(", ")", '"'} or token.lower in lx.ACCORDING_STOP:
            break
        last = j
        j += 1
    if last < i + 2:
        return None
    source = text[tokens[i + 2].start:tokens[last].end].rstrip(".")
    source_end = tokens[i + 2].start + len(source)
    at_start = all(t.text in {'"', "'", "("} or t.lower in lx.ACCORDING_OPENERS for t in tokens[:i])
    if at_start:
        comma_follows = last + 1 < len(tokens) and tokens[last + 1].text == ","
        content_start = tokens[last + 1].end if comma_follows else tokens[last].end
        content_end = _strip_back(text, content_start, end)
    else:
        content_start = tokens[0].start
        content_end = _strip_back(text, content_start, tokens[i].start)
    content_start = _skip_space(text, content_start, content_end)
    if content_end - content_start < _MIN_CONTENT_CHARS:
        return None
    trailing = not at_start and all(not t.text[:1].isalnum() for t in tokens[last + 1:])
    return Attribution(source, tokens[i + 2].start, source_end, match.group(), "according to",
                       match.start(), match.end(), content_start, content_end, according=True, trailing=trailing)


def _make(
    text: str, tokens: list[Token], first: int, last: int, cue: Token, role: str,
    content_start: int, content_end: int, via_that: bool = False,
) -> Attribution | None:
    content_start = _skip_space(text, content_start, content_end)
    if content_end - content_start < _MIN_CONTENT_CHARS and not _named_object(text, content_start, content_end):
        return None
    if _TIME_ONLY.fullmatch(text, content_start, content_end):
        return None  # "The court ruled on Friday": when, not what
    return _spoken_by(text, tokens, first, last, cue.text, role, cue.start, cue.end, content_start, content_end,
                      via_that=via_that)


def _spoken_by(text: str, tokens: list[Token], first: int, last: int, cue: str, role: str, cue_start: int,
               cue_end: int, content_start: int, content_end: int, *, via_that: bool = False,
               nominal: bool = False) -> Attribution:
    """The attribution whose source is tokens ``first`` … ``last`` (its words as written and their span)."""
    return Attribution(text[tokens[first].start:tokens[last].end], tokens[first].start, tokens[last].end, cue, role,
                       cue_start, cue_end, content_start, content_end, via_that=via_that, nominal=nominal)


#: A content that only says when ("on Friday", "last week", "earlier this month").
_TIME_ONLY = re.compile(
    r"(?i:(?:on|last|this|earlier|later|early|late|in|at|next)\s+)*(?i:(?:this|last|next)\s+)?"
    r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|week|month|year|"
    r"morning|afternoon|evening|night|weekend)(?:\s+(?i:morning|afternoon|evening|night))?")


#: A short content that is a name: the object of a verb of stance ("Cruz has endorsed Trump").
_NAME_OBJECT = re.compile(r"[A-Z][a-z][\w'-]+(?:\s+[A-Z][\w'-]+)*")


def _named_object(text: str, start: int, end: int) -> bool:
    """A short content that still names what is reported: a name ("Trump") or a determined noun ("a veto")."""
    match = _NAME_OBJECT.fullmatch(text, start, end) or _SHORT_OBJECT.fullmatch(text, start, end)
    return match is not None and match.group().lower() not in lx.WEEKDAYS and match.group().lower() not in _TIME_WORDS


#: A determiner and a noun of three letters or more: a short object that still names what is reported.
_SHORT_OBJECT = re.compile(r"(?:a|an|the|his|her|their|its|this|that)\s+[a-z]{3,}", re.IGNORECASE)


def _source_before(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Return token indices (first, last) of the subject before verb ``i``, or None."""
    j = i - 1
    while j >= 0 and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j])):
        j -= 1
    if j >= 2 and (tokens[j].lower in lx.WEEKDAYS or tokens[j].lower in _TIME_WORDS) \
            and tokens[j - 1].lower in _RELEASE_PARTICIPLES:
        j -= 2  # "The latest poll released Friday shows": the poll, not the day
    elif j >= 2 and (tokens[j].lower in lx.WEEKDAYS or tokens[j].text.isdigit() and len(tokens[j].text) == 4) \
            and tokens[j - 1].lower in {"in", "on", "last", "since"}:
        j -= 2  # "McConnell, who in 2010 said", "Trump on Monday said": a time between subject and verb
        while j >= 0 and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j])):
            j -= 1
    if j < 0:
        return None
    last = j
    head = tokens[last]
    if head.text == ")":
        opening = _matching_paren(tokens, last)
        if opening is None or opening == 0:
            return None
        last = opening - 1  # "Rep. Gwen Moore (D-Wis.) said"
        head = tokens[last]
    if head.lower in lx.ALL_PRONOUNS:
        return (last, last)
    if head.text == ",":
        return _appositive_source(tokens, last)
    if head.text == "-":
        return _dashed_appositive_source(tokens, last)
    first = _scan_np_left(tokens, last)
    if not _valid_head(head) and not _determined(tokens, first, last):
        return None
    if tokens[first].lower in _BACK_POSSESSIVES and first >= 2 and tokens[first - 1].lower == "and" \
            and tokens[first - 2].is_capitalised:
        # "The trust and its supporters say": the one the possessive points back to speaks first.
        return (_scan_np_left(tokens, first - 2), first - 2)
    return (first, last)


_BACK_POSSESSIVES = frozenset({"its", "his", "her", "their"})


#: Participles between a document and its date ("a poll released Friday shows").
_RELEASE_PARTICIPLES = frozenset("released published issued conducted posted unveiled out".split())


def _matching_paren(tokens: list[Token], close: int) -> int | None:
    for j in range(close - 1, max(-1, close - _MAX_BRACKET_BEFORE_VERB), -1):
        if tokens[j].text == "(":
            return j
    return None


def _determined(tokens: list[Token], first: int, last: int) -> bool:
    # "The bank said", "Connecticut's tax commissioner says": a determiner makes any noun a subject.
    if first >= last or not tokens[last].text.isalpha() or tokens[last].lower in lx.NP_STOP:
        return False
    opener = tokens[first]
    return opener.lower in lx.OPENING_DETERMINERS or opener.text.endswith("'s")


def _scan_np_left(tokens: list[Token], last: int) -> int:
    first = last
    lower_words = 0
    j = last - 1
    while j >= 0 and last - j < _MAX_NP:
        token = tokens[j]
        word = token.lower
        if token.text in {"'s", "'"} or token.text.endswith("'s") and (
                token.is_capitalised or token.text[:-2].isalpha()):
            first = j  # "Moody's", "the candidate's former doctor"
        elif token.is_capitalised and word not in lx.NP_STOP and word not in lx.ALL_PRONOUNS:
            first = j
        elif word == "at" and j > 0 and (tokens[j - 1].is_capitalised or _valid_head(tokens[j - 1])) and (
                tokens[j + 1].is_capitalised or tokens[j + 1].lower == "the" and j + 2 <= last):
            pass  # "The Tax Policy Center at the Urban Institute", "an analyst at Goldman Sachs"
        elif word in lx.NAME_CONNECTORS and j > 0 and tokens[j + 1].is_capitalised and (
            tokens[j - 1].is_capitalised or word in {"of", "for", "the"}
        ):
            first = j if word == "the" else first
        elif word in lx.NP_FUNCTION:
            if word in {"and", "of", "for"} and not tokens[j + 1].is_capitalised and word != "of" and not (
                    word == "for" and j > 0 and tokens[j - 1].lower in _ROLE_NOUNS):
                break  # "a spokesperson for the minister said": the role's owner stays in the phrase
            first = j if word not in {"and", "of", "for"} else first
            if word in {"the", "a", "an"} and not tokens[last].is_capitalised \
                    and not (j > 0 and tokens[j - 1].lower in {"for", "of"}):
                break  # "In a Bloomberg interview the senator declared": the phrase starts at its article
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
    """Find the name around an appositive before the verb.

    "The chairman, Phil Lovas, said" -> Phil Lovas; "Jane Doe, a spokeswoman for the
    ministry, said" and "Mr. King, 82, told" -> the name before the first comma.
    """
    inner_last = comma - 1
    if inner_last >= 0 and tokens[inner_last].is_capitalised and _valid_head(tokens[inner_last]):
        inner_first = _scan_np_left(tokens, inner_last)
        if inner_first > 0 and tokens[inner_first - 1].text == "," and all(
            t.is_capitalised or t.lower in {"of", "and", "the"} for t in tokens[inner_first:inner_last + 1]
        ):
            return (inner_first, inner_last)
    commas = 0
    nearest: tuple[int, int] | None = None
    for j in range(comma - 1, max(-1, comma - _APPOSITIVE_WINDOW), -1):
        if tokens[j].text in {".", ";", '"'} and j != comma - 1:
            break
        if tokens[j].text == ",":
            commas += 1
            before = j - 1
            if before > 0 and tokens[before].text == ")":
                opening = _matching_paren(tokens, before)
                before = opening - 1 if opening else before  # "Rep. Jim Jordan (R-Ohio), an …, said"
            if before >= 0 and tokens[before].is_capitalised and _valid_head(tokens[before]):
                found = (_scan_np_left(tokens, before), before)
                if nearest is None:
                    nearest = found
                if found[0] == 0 or tokens[found[0] - 1].text in {",", '"', "'"} and found[0] <= 2:
                    # "Michael Mulgrew, president of the United Federation of Teachers, which …,
                    # said": the name that opens the clause is the speaker, not one inside the appositive.
                    return found
            if commas >= _MAX_APPOSITIVE_COMMAS:
                break
    if nearest is None:
        return _parenthetical_source(tokens, comma)
    return nearest


#: Words that open a parenthetical between a subject and its verb ("The mayor, however, said",
#: "Other unions, including the AFT, have endorsed", "Younger voters, in particular, say").
_PARENTHETICAL_OPENERS = frozenset(
    """however meanwhile too though therefore instead moreover nonetheless nevertheless likewise also
    including like especially particularly notably among in for of at by""".split())
#: Words that open an appositive or a relative clause after a subject ("The chairman, a former banker, said",
#: "The president, who was elected last year, said"); participles and ages open one too.
_APPOSITIVE_OPENERS = frozenset("a an the who which whose".split())
#: Prepositions that open a parenthetical only as a short set phrase ("in particular", "for example").
_PARENTHETICAL_PREPOSITIONS = frozenset("in for of at by".split())
#: Tokens of a parenthetical between two commas before the verb, and of a set phrase among them.
_MAX_PARENTHETICAL = 25
_MAX_SET_PHRASE = 2


def _parenthetical_source(tokens: list[Token], comma: int) -> tuple[int, int] | None:
    """The subject before a parenthetical that closes with the comma before the verb, else None."""
    for k in range(comma - 1, max(0, comma - _MAX_PARENTHETICAL) - 1, -1):
        if tokens[k].text in {".", ";", '"', ":", "(", ")"} \
                or tokens[k].text == "'" and tokens[k].start != tokens[k - 1].end:
            return None  # (a possessive "Americans'" is no quotation mark)
        if tokens[k].text != ",":
            continue
        opener = tokens[k + 1].lower
        if k + 1 >= comma or opener in _PARENTHETICAL_PREPOSITIONS and comma - k - 1 > _MAX_SET_PHRASE \
                or not (opener in _PARENTHETICAL_OPENERS or opener in _APPOSITIVE_OPENERS
                        or opener.endswith(("ing", "ed")) or opener.isdigit()):
            return None
        head = tokens[k - 1] if k > 0 else None
        if head is None or head.lower in lx.ALL_PRONOUNS or not _valid_head(head):
            return None
        first = _scan_np_left(tokens, k - 1)
        opening = first
        while opening > 0 and first - opening < _MAX_DETERMINED_NP + 2 \
                and (tokens[opening - 1].text[:1].isalnum() or tokens[opening - 1].text in {"/", "&", "'s"}) \
                and tokens[opening - 1].lower not in lx.NP_STOP and tokens[opening - 1].lower not in lx.COORDINATORS:
            opening -= 1  # "The State University/Herald tracking poll": modifiers the name scan stops at
        if opening > 0 and tokens[opening - 1].text not in {",", '"', "'"} \
                and tokens[opening - 1].lower not in lx.COORDINATORS:
            return None  # the phrase must open its clause ("But the mayor, however, said")
        if opening < first and tokens[opening].lower not in lx.OPENING_DETERMINERS \
                and not tokens[opening].is_capitalised:
            return None
        return (first if opening == first else opening, k - 1)
    return None


def _dashed_appositive_source(tokens: list[Token], dash: int) -> tuple[int, int] | None:
    # "Kall -- co-editor of a book on the debates -- said": the name before the first dash.
    while dash > 0 and tokens[dash - 1].text == "-":
        dash -= 1  # the closing "--" is two tokens
    for j in range(dash - 1, max(-1, dash - _APPOSITIVE_WINDOW), -1):
        if tokens[j].text == "-" and j > 0 and tokens[j - 1].text != "-":
            before = j - 1
            if tokens[before].is_capitalised and _valid_head(tokens[before]):
                return (_scan_np_left(tokens, before), before)
            return None
        if tokens[j].text in {".", ";", '"'}:
            return None
    return None


def _valid_head(token: Token) -> bool:
    word = token.lower
    if word in lx.NP_STOP or not token.text[:1].isalnum():
        return False
    if token.is_capitalised or word in lx.EVIDENCE_HEADS:
        return True
    if "-" in word:
        word = word.rsplit("-", 1)[1]  # "his ex-wife", "a co-founder": the noun after the last hyphen
    return word in lx.SOURCE_NOUNS or word.endswith(("ers", "ists", "ians", "man", "woman", "person", "ors")) \
        or word.endswith("s") and word[:-1] in lx.SOURCE_NOUNS  # "industry groups", "the states"


def _is_adverb(token: Token) -> bool:
    word = token.lower
    return len(word) >= _MIN_ADVERB_CHARS and word.endswith("ly") and word not in lx.NOT_ADVERBS


def _is_verbish(word: str) -> bool:
    # Crude but cheap: past forms and gerunds rarely belong to a source phrase.
    return word.endswith(("ed", "ing")) and word not in lx.NAME_PARTICIPLES


def _first_word_after(tokens: list[Token], i: int) -> str:
    j = i + 1
    while j < len(tokens) and (tokens[j].lower in lx.SKIPPABLE or _is_adverb(tokens[j])):
        j += 1
    return tokens[j].lower if j < len(tokens) else ""


def _has_that_soon(tokens: list[Token], i: int) -> bool:
    for j in range(i + 1, min(len(tokens), i + _THAT_WINDOW)):
        if tokens[j].lower == "that":
            return not _relative_that(tokens, i, j)
        if tokens[j].text in {",", ";", '"'} or _owns_that(tokens[j]):
            return False
    return False


def _owns_that(token: Token) -> bool:
    """A participle of reporting between a verb and a "that" takes the "that" itself ("said at a news
    conference announcing that …": the content is the quotation before "said", not what was announced)."""
    return token.lower.endswith("ing") and token.text in _CUE_FORMS


#: Prepositions that open an adjunct between a verb and its "that" ("said in a statement that").
_ADJUNCT_PREPOSITIONS = frozenset("in on at during after before at over via through from to with".split())
#: Words of a time phrase that may stand between a verb and its "that" ("said last week that").
_TIME_WORDS_AFTER = frozenset("last this next earlier later week month year weekend morning afternoon evening night "
                              "time today yesterday tonight again".split())


def _opens_noun_phrase(token: Token) -> bool:
    """Whether ``token`` can start the noun phrase of a preposition ("to the press", "to CNN", "to 2020")."""
    return token.lower in lx.NP_FUNCTION or token.lower in lx.DETERMINERS or token.is_capitalised \
        or token.text[:1].isdigit() or token.lower in lx.ALL_PRONOUNS


def _relative_that(tokens: list[Token], i: int, k: int) -> bool:
    """Whether the "that" at ``k`` after verb ``i`` is a relative pronoun, not the content's complementizer.

    "attacked loopholes that benefit others", "called for contestants to wear dresses that showed …":
    an object stands between the verb and "that", so the clause describes the object. Adverbs, time
    words and an adjunct opened by a preposition ("said in a statement on Monday that") do not; verbs
    that take a person and then the content ("told reporters that", "warned Congress that") skip
    that person first.
    """
    if any(tokens[m].lower in lx.CONTENT_NOUNS for m in range(i + 1, k)):
        return False  # "denied speculation that …", "rejected claims by X that …": the noun's own clause
    if k > i + 1 and k + 1 < len(tokens) and tokens[k - 1].text[:1].isalnum() \
            and tokens[k - 1].lower not in _TIME_WORDS_AFTER and tokens[k - 1].lower not in lx.WEEKDAYS \
            and (tokens[k + 1].lower in _FINITE
                 or _is_verbish(tokens[k + 1].lower) and tokens[k + 1].lower.endswith("ed")):
        return True  # "told reporters after the meeting that was held …": "that" is the meeting's
    j = i + 1
    if tokens[i].lower in lx.TELL_FORMS or lx.SPEECH_CUES.get(tokens[i].lower) in lx.OBJECT_THAT_ROLES:
        if k - i <= _MAX_OBJECT:
            return False  # "warned residents that …": the person addressed, then the content
        j = _skip_object(tokens, j)
    in_adjunct = False
    for m in range(j, k):
        token = tokens[m]
        word = token.lower
        if token.text == "," or word in lx.COORDINATORS:
            return False  # "agreed, but also contended that …": the "that" is another verb's
        if word in _ADJUNCT_PREPOSITIONS and not (word == "to" and m + 1 < k and not _opens_noun_phrase(tokens[m + 1])):
            in_adjunct = True  # "said in a statement that …"; "pledged to push for …" opens no adjunct
            continue
        if in_adjunct or not token.text[:1].isalnum() or word in lx.SKIPPABLE or _is_adverb(token) \
                or word in _TIME_WORDS_AFTER or word in lx.WEEKDAYS or word in _TIME_WORDS or word in {"not", "so"}:
            continue
        return True
    return False


def _content_after(text: str, tokens: list[Token], i: int, end: int) -> tuple[int, int, bool] | None:
    """Content of a pre-posed attribution: after "that", after ":" or straight after the verb."""
    j = i + 1
    limit = min(len(tokens), i + _THAT_WINDOW)
    for k in range(j, limit):
        if tokens[k].lower == "that":
            if _relative_that(tokens, i, k):
                break  # "attacked loopholes that benefit others": the content is the object and its clause
            if k + 1 < len(tokens) and tokens[k + 1].lower in _FINITE:
                # "said that was not her view": "that" is the subject of the content, not its complementizer.
                return tokens[k].start, _strip_back(text, tokens[k].start, end), True
            return tokens[k].end, _strip_back(text, tokens[k].end, end), True
        if tokens[k].text in {";", '"'} or tokens[k].text == "," and k > j + 1 or _owns_that(tokens[k]):
            break
        if tokens[k].lower in lx.CLAUSE_STARTERS:
            break  # "says he has fought … initiatives that matter": that "that" is a relative
        if tokens[k].lower in {"so", "such"}:
            break  # "tells so many lies that …": a result clause, not the content
    while j < len(tokens) and tokens[j].text in {":", ",", "-"}:
        j += 1
    if tokens[i].text in lx.TELL_FORMS:
        j = _skip_object(tokens, j)
        if j < len(tokens) and tokens[j].lower in {"so", "such"}:
            return None  # "Trump tells so many lies that …" tells no one anything
    while j + 1 < len(tokens) and (tokens[j].lower in lx.WEEKDAYS or tokens[j].lower in {"yesterday", "today"}):
        j += 1  # "ruled Friday against …": the day is when, not what
    if j >= len(tokens):
        return None
    # A verb that takes a clause ("said the bridge is safe and was …") keeps all of it; one that
    # takes an object ("promised a veto and attempted …") ends where the subject's next predicate begins.
    role = lx.SPEECH_CUES.get(tokens[i].lower) or lx.BASE_CUES.get(tokens[i].lower)
    stop = end if role in lx.PARENTHETICAL_ROLES or role in lx.COGNITION_ROLES else _object_end(tokens, j, end)
    return tokens[j].start, _strip_back(text, tokens[j].start, stop), False


#: Words after "and" that start a second predicate of the subject ("promised a veto and has since …").
_SECOND_PREDICATE = frozenset("has have had was were is are will would also then later still can could did does do "
                               "didn't doesn't never not".split())
#: Words after an "-ed" verb that show it is a verb with its own object ("and attempted to …", "and called the …").
_OBJECT_OPENERS = frozenset("to the a an his her their its this that these those him them it".split())


_CLAUSE_SUBJECTS = frozenset("he she they it we i".split())
#: Conjunctions after a comma that open the writer's next clause ("…, while 5 percent prefer …").
_CLAUSE_CONJUNCTIONS = frozenset("while whereas although though but even unless because with".split())


def _object_end(tokens: list[Token], j: int, end: int) -> int:
    """Where the object of a verb ends: at a ";" or where "and" opens a second predicate of the subject.

    "The administration has promised a veto and attempted to make the case …": the report is the veto.
    """
    quoting = tokens[j].text == '"'
    for k in range(j + 1, len(tokens) - 1):
        token = tokens[k]
        if token.text == '"':
            quoting = not quoting
        if quoting:
            continue  # 'called the town a "good place to live in an era when …"': the quoted words are all reported
        if token.text == ";" or token.text in {",", "-"} and (tokens[k + 1].lower.split("'")[0] in _CLAUSE_SUBJECTS
                                                              or tokens[k + 1].lower in _CLAUSE_CONJUNCTIONS):
            return token.start  # "…, he summoned his adviser": a new clause with its own subject
        if k > j and _circumstance_at(tokens, k) and not (
                tokens[k].lower in {"on", "in"} and any(t.text == '"' for t in tokens[k + 2:k + 4])):
            # (not in 'called his remarks on Saturday "a wake-up call"': the quoted complement follows the day)
            return token.start  # "praised the mayor during a rally": when and where, not what is reported
        if token.lower not in {"and", "but", "yet", "or"}:
            continue
        following = tokens[k + 1]
        if token.lower in {"and", "but"} and _new_subject_reports(tokens, k + 1):
            return token.start  # "prefer Gary Johnson and 1 percent support Jill Stein": another subject reports
        if following.lower in _SECOND_PREDICATE or (following.lower.endswith("ed") or following.text in _CUE_FORMS) \
                and following.lower not in lx.NAME_PARTICIPLES and k + 2 < len(tokens) \
                and (tokens[k + 2].lower in _OBJECT_OPENERS
                     or following.text in _CUE_FORMS and tokens[k + 2].is_capitalised and tokens[k + 2].text.isalpha()):
            # "call them "lone wolves" and describe their actions as crimes": a second predicate
            return token.start
    return end


#: Tokens of a second subject before its reporting verb ("and 1 percent support …", "but the union says …").
_MAX_SECOND_SUBJECT = 4


def _new_subject_reports(tokens: list[Token], k: int) -> bool:
    """Whether a new subject opens at ``k`` and reports within a few words: a name, a number or a
    determiner, then a reporting verb ("and 1 percent support", "but the mayor said")."""
    opener = tokens[k]
    if not (opener.is_capitalised or opener.text[:1].isdigit() or opener.lower in lx.OPENING_DETERMINERS
            or opener.lower in _CLAUSE_SUBJECTS):
        return False
    for m in range(k + 1, min(len(tokens), k + 1 + _MAX_SECOND_SUBJECT)):
        if tokens[m].text in {",", ";", '"', "(", ")"}:
            return False
        if tokens[m].text in _CUE_FORMS and tokens[m].text not in lx.AMBIGUOUS_CUES \
                and tokens[m - 1].lower not in lx.OPENING_DETERMINERS:
            return True  # not "and the demand for …": a noun after its determiner
    return False


#: Words that open an adjunct of time or cause after an object ("since the debate", "during a rally").
#: (Adjuncts of occasion, "in an interview", "at a rally", are left in: the annotation of news often
#: keeps them in what is reported.)
_CIRCUMSTANCE = frozenset("during since while when because".split())


def _circumstance_at(tokens: list[Token], k: int) -> bool:
    """Whether an adjunct of time or cause opens at ``k``: "since the debate", "during the hearing", "on Monday"."""
    word = tokens[k].lower
    if word in _CIRCUMSTANCE:
        return True
    if word not in {"on", "in"} or k + 1 >= len(tokens):
        return False
    return tokens[k + 1].lower in lx.WEEKDAYS or tokens[k + 1].lower in _TIME_WORDS


def _skip_object(tokens: list[Token], j: int) -> int:
    start = j
    while j < len(tokens) and j - start < _MAX_OBJECT and (
            tokens[j].lower in lx.OBJECT_WORDS or tokens[j].is_capitalised):
        j += 1
        if tokens[j - 1].lower in lx.OBJECT_ENDS:
            break
    while j < len(tokens) and tokens[j].text in {",", ":"}:
        j += 1
    return j


def _clause_content(text: str, tokens: list[Token], at: int, start: int, end: int) -> tuple[int, int] | None:
    """The span of the content a cue at token ``at`` reports, from ``start`` to the end of its clause; None when
    it is too short to be a claim."""
    content_start = _skip_space(text, start, end)
    content_end = _strip_back(text, content_start, min(end, _clause_end(tokens, at, end)))
    if content_end - content_start < _MIN_CONTENT_CHARS:
        return None
    return content_start, content_end


def _strip_back(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,.;:-\n":
        end -= 1
    return end


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " ,:-\n":
        start += 1
    return start
