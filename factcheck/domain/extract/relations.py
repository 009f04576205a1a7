"""Relations between assertions: a denial points at the claim it denies, and so on.

A sentence *denies* when it has a denial verb ("denied", "rejected", "dismissed", "refuted",
"disputed", "flatly denied") or calls something false ("no truth in", "not true", "fake",
"unfounded", "fabricated", "wrong"…) of a claim it points back to; it *supports* with
"confirmed", "agreed", "echoed", "backed up". The claim it answers is found, in this order:

0. in its own sentence: "X denied reports by Z that Y" when Z's report of Y is an assertion of
   its own next to the denial (a report named inside another sentence);
1. by the reported claimant: "reports by X", "reports by the newspaper", "X's claims", "agreed
   with X" → the nearest earlier assertion whose chain names X (the one sharing most content
   words when X made several);
2. by anaphora: "this statement", "the charges", "those reports", "speculation that", "it"
   → the nearest earlier assertion by someone else, or the one among the last few sharing
   content words with the denial ("denied reports that the plant had closed" → "the plant
   has closed");
3. by content alone ("denied that she mishandled …", "agreed with the governor that …",
   "disputed the figure", "denied any contact"): the earlier assertion by someone else sharing
   the most content words, if it shares two (one, among the last few, when the denial itself
   says little: "denied any confession had been made").

Earlier assertions "by someone else" include sentences in the article's own voice that report
a claim without naming who made it ("Democrats persisted in arguments that …"). When the only
earlier claims are the speaker's own, an anaphoric denial ("There is no truth in this") still
answers the claim just before it: a speaker rarely denies what they said, so the speaker was
probably read wrong.

Only earlier assertions within a bounded look-back are read, so time stays linear.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon import DENY_ROLES, SUPPORT_ROLES
from .model import Link, Relation

# Verbs of dismissal beside "dismissed": "scoffed at the notion that …", "waved off the assessment".
_DISMISSAL_VERBS = (r"pooh-pooh(?:s|ed|ing)?|scoff(?:s|ed|ing)?\s+at|derid(?:e|es|ed|ing)|"
                    r"(?:wave[sd]?|waving)\s+(?:off|aside|away)|brush(?:es|ed|ing)?\s+(?:off|aside)")
# "denied this statement", "rejected the claims", "called it false": the object points back.
_ANAPHOR = re.compile(
    r"^\W*(?:(?:this|that|these|those|the|such)\s+(?:\w+\s+)?(?:statements?|claims?|reports?|allegations?|"
    r"assertions?|accusations?|remarks?|comments?|information|story|stories|account|rumou?rs?|suggestions?|idea)"
    r"|it\b|this\b|that\b|any\s+such\s+\w+)",
    re.IGNORECASE,
)
_DENY_VERB = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"disput(?:es|ed|ing)|rebut(?:s|ted|ting)?|contradict(?:s|ed|ing)?|debunk(?:s|ed|ing)?|"
    + _DISMISSAL_VERBS + r")\b",
    re.IGNORECASE,
)
_SUPPORT_VERB = re.compile(
    r"\b(?:confirm(?:s|ed|ing)?|corroborat(?:e|es|ed|ing)|agree(?:s|d)?|echo(?:es|ed)|"
    r"back(?:s|ed)? up|vouch(?:es|ed)? for|endorsed the (?:claim|view|account))\b",
    re.IGNORECASE,
)
# Calling a claim false: a verdict word about something the sentence points back to.
_FALSE_WORDS = re.compile(
    r"\b(?:no truth|not true|untrue|false|fake|baseless|groundless|unfounded|unsubstantiated|fabricated|"
    r"fabrication|nonsense|absurd|ridiculous|lies?|lying|wrong|inaccurate|incorrect|misleading|hypocrisy|"
    r"hold (?:any |much )?(?:weight|water)|no basis|without basis|never (?:said|told|happened)|invented|made up|concocted|"
    r"fictional|fiction|hoax|smear|slander(?:ous)?|libel(?:lous)?|defamatory|disinformation|propaganda)\b",
    re.IGNORECASE,
)
# "No one has ever told …", "There is no truth in this": a flat denial with no object but the past.
# Anywhere in the content: 'said on Thursday: "No one has ever offered us money …"'.
_FLAT_DENIAL = re.compile(
    r"\b(?:there is no truth|there's no truth|that is not true|that's not true|this is not true|"
    r"none of (?:this|that|it) is true|(?:no one|nobody) (?:has |had )?ever)\b", re.IGNORECASE)
_CLAIM_NOUNS = (
    r"(?:statements?|claims?|reports?|reporting|allegations?|assertions?|accusations?|charges?|remarks?|"
    r"comments?|information|story|stories|account|rumou?rs?|suggestions?|idea|argument|arguments|criticism|"
    r"speculation|views?|rationales?|figures?|numbers?|estimates?|assessment|conclusions?|findings|theory|"
    r"notion|characterization|portrayal|version|narrative|accusation|tolls?|tally|tallies|counts?|statistics|"
    r"data|totals?|consensus|finding|ideas|notions)"
)
# A claim noun that stands for a number: "disputed the figure", "rejected the death toll".
_NUMERIC_OBJECT = re.compile(
    r"(?:\b(?:the|this|that|these|those|its|their|his|her)|[\w.-]'s?)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:figures?|numbers?|estimates?|tolls?|tally|tallies|counts?|statistics|data|totals?)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d|\b(?:dozens?|hundreds?|thousands?|millions?|billions?|twice|half|double)\b", re.IGNORECASE)
_POINTER = re.compile(
    r"\b(?:this|that|these|those|the|such|any|his|her|their|its)\s+(?:[\w'-]+\s+){0,2}?" + _CLAIM_NOUNS + r"\b"
    r"|\b(?:it|this|that)\b(?=\s*(?:as|was|is|were|are|had|has)?\s*(?:\w+\s+)?(?:false|untrue|wrong|baseless|"
    r"unfounded|fake|nonsense|a lie|not true|not correct|incorrect|inaccurate|not the case|misleading|fabricated))",
    re.IGNORECASE,
)
# "dismissed those reports": a demonstrative before a claim noun names the claim just written with
# that noun ("… noted published reports alleging that …"), whoever made it.
_DEMONSTRATIVE_CLAIM = re.compile(r"\b(?:this|that|these|those)\s+(?P<noun>" + _CLAIM_NOUNS + r")\b", re.IGNORECASE)
# "reports by X that", "claims from X", "X's claims", "agreed with X": the claimant is named.
_BY_CLAIMANT = re.compile(
    _CLAIM_NOUNS + r"\s+(?:by|from|of|in)\s+(?P<by>(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}"
    r"|the\s+[a-z][\w'-]+(?:\s+(?!that\b|which\b|who\b|about\b|of\b|on\b|in\b)[a-z][\w'-]+)?)"
    r"|(?P<owner>(?:[Tt]he\s+)?[\w.-]+(?:\s+[A-Z][\w.-]*){0,3})'s?\s+(?:\w+\s+){0,2}?" + _CLAIM_NOUNS + r"\b"
    r"|\bagree(?:s|d)?\s+with\s+(?P<with>(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"
)
_STOPWORDS = frozenset(
    """the a an and or but of to in on at for with by from that this these those is are was were be been
    has have had it its he she they his her their will would can could may might not no as said says
    about over into than then there which who what when where also more most some any all one two
    would should very just only such other others because while after before""".split()
)
# Words of stance, reporting and claim nouns, left out when content words are compared.
_CUE_WORD = re.compile(
    r"den(?:y|ies|ied|ial|ials|ying)|reject\w*|dismiss\w*|refut\w*|disput\w*|rebut\w*|contradict\w*|"
    r"confirm\w*|corroborat\w*|agree\w*|saying|tells?|told|report(?:s|ed|ing)?|reportedly|according|stated?|"
    r"claim(?:s|ed|ing)?|alleg\w*|speculation|rumou?rs?|figures?|numbers?|statements?|accusations?|charges?|"
    r"flatly|later|spokes\w*")
_NAME_FILLERS = frozenset({"the", "of", "for", "and", "in"})
_STANCE_ROLES = DENY_ROLES | SUPPORT_ROLES
_ANY_STANCE = re.compile("|".join(f"(?:{p.pattern})" for p in (_DENY_VERB, _SUPPORT_VERB, _FALSE_WORDS)) + r"|\bno one",
                         re.IGNORECASE)
_REPEAT_STOPWORDS = frozenset(
    """the a an and or but of to in on at for with by from that this these those is are was were be been
    has have had it its he she they his her their will would can could may might not no as said says""".split()
)
_WORDS = re.compile(r"[a-z0-9']+")
_STEM = 6  # words compared by their first letters: "retaliation" ~ "retaliatory"
_REPEAT_JACCARD = 0.6
_REPEAT_MIN_WORDS = 5
_REPEAT_LOOKBACK = 50  # keeps long inputs linear; repeats sit close together in news prose
#: Earlier assertions read for the target of a denial or support.
_STANCE_LOOKBACK = 30
#: Stems a denial must share with an earlier assertion to be linked by content alone.
_MIN_SHARED = 2


@dataclass(slots=True)
class Draft:
    """What relation finding needs to know about one assertion."""

    id: str
    chain: tuple[Link, ...]
    content: str
    #: The whole text of the assertion ("X denied reports by Y that …"), where stance cues are read.
    text: str = ""
    stems: frozenset[str] | None = None
    #: Where the assertion is in the article (-1 when unknown): tells which drafts share a sentence.
    start: int = -1
    end: int = -1


def find_relations(drafts: list[Draft], article: str = "") -> list[tuple[Relation, ...]]:
    """Return, for each draft, its relations to earlier drafts (or to one cut from its own sentence).

    ``article`` is the text the drafts' offsets point into; without it no two drafts are taken
    to share a sentence.
    """
    results: list[tuple[Relation, ...]] = []
    # The title holders named in this article, by title: read once per title, kept for this call only.
    holders: dict[str, list[tuple[int, str]]] = {}
    bags = [_content_words(d.content) for d in drafts]
    position = {draft.id: index for index, draft in enumerate(drafts)}
    for index, draft in enumerate(drafts):
        relations: list[Relation] = []
        stance = _stance(draft)
        if stance is not None:
            inner = _same_sentence_claim(drafts, index, draft.text or draft.content, article)
            if inner is not None:
                # "X denied reports by Z that Y": X answers Z's report of Y, cut from the same sentence,
                # and also the earlier assertion of Y the article gave, when there is one.
                relations.append(Relation(stance, inner.id))
                earlier = _earlier_same_claim(drafts, index, inner)
                if earlier is not None:
                    relations.append(Relation(stance, earlier.id))
            else:
                target = _target(drafts, index, stance, article, results, holders)
                if target is not None:
                    if stance == "denies" and (_FLAT_DENIAL.search(draft.content) or _ANAPHOR.match(draft.content)):
                        relations.append(Relation(stance, _answered(target, stance, position, results)))
                    else:
                        relations.append(Relation(stance, target.id))
        repeated = _repeated(bags, index)
        if repeated is not None and all(r.target != drafts[repeated].id for r in relations):
            relations.append(Relation("repeats", drafts[repeated].id))
        results.append(tuple(relations))
    return results


def _answered(target: Draft, stance: str, position: dict[str, int], results: list[tuple[Relation, ...]]) -> str:
    """The claim a flat denial answers: through an earlier denial to what that one denies.

    "The administration denied the report. 'There is no truth in this,' a spokeswoman said":
    the spokeswoman denies the report, not the administration's denial.
    """
    at = position.get(target.id, len(results))
    if at < len(results):
        for relation in results[at]:
            if relation.type == stance:
                return relation.target
    return target.id


def _stance(draft: Draft) -> str | None:
    text = draft.text or draft.content
    roles = {link.role for link in draft.chain[:1]}
    if not roles & _STANCE_ROLES and _ANY_STANCE.search(text) is None:
        return None  # one pass rules out most sentences
    # A verb inside quoted words is the quoted speaker's, not the act this sentence reports.
    unquoted = _QUOTED.sub('""', text) if '"' in text else text
    # "did not deny", "neither confirmed nor denied", "declined to confirm": no stance taken.
    deny_verb = _affirmed(_DENY_VERB, unquoted)
    support_verb = _affirmed(_SUPPORT_VERB, unquoted)
    if deny_verb is False and support_verb is not True:
        return None
    if roles & DENY_ROLES and deny_verb is not False or deny_verb or _FLAT_DENIAL.search(draft.content):
        return "denies"
    if _calls_false(text) and (_POINTER.search(text) or _BY_CLAIMANT.search(text)):
        return "denies"
    if roles & SUPPORT_ROLES and support_verb is not False or support_verb:
        return "supports"
    return None


def _affirmed(verb: re.Pattern[str], text: str) -> bool | None:
    """True when the text has the verb un-negated, False when only negated ("did not deny"), None without it."""
    found: bool | None = None
    for match in verb.finditer(text):
        if _STANCE_NEGATION.search(text, max(0, match.start() - _NEGATION_REACH), match.start()) is None:
            return True
        found = False
    return found


def _calls_false(text: str) -> bool:
    # "called the charges fabricated", but not "I don't think this is a ridiculous idea".
    for match in _FALSE_WORDS.finditer(text):
        word = match.group().lower()
        if word.startswith(("no ", "not ", "never ", "without ")):
            return True
        # "don't hold weight", "does not hold water": the negation right before is the verdict ("the
        # figures hold weight" calls nothing false); elsewhere a negation turns the verdict round.
        hold = word.startswith("hold")
        reach = max(0, match.start() - (_HOLD_REACH if hold else _NEGATION_REACH))
        # A negation counts in the verdict's own sentence only: "… don't hold weight. They are wrong".
        boundary = text.rfind(". ", reach, match.start())
        negation = _NEGATED.search(text, reach if boundary < 0 else boundary + 1, match.start())
        if (negation is not None) == hold:
            return True
    return False


def _earlier_same_claim(drafts: list[Draft], index: int, inner: Draft) -> Draft | None:
    """An earlier assertion of what the denial's own sentence names ("reports by Z that Y"): one by
    someone other than the denier sharing content with Y: any word when Z made it, else as a
    denial with its own content finds its claim (``_by_content``)."""
    draft = drafts[index]
    speaker = draft.chain[0].name if draft.chain else None
    window = [d for d in drafts[max(0, index - _STANCE_LOOKBACK):index] if d is not inner]
    pool = [d for d in window if _by_someone_else(d, speaker)]
    if inner.chain:
        by_claimant = [d for d in pool if d.chain and _same_speaker(d.chain[0].name, inner.chain[0].name)]
        found = _best_overlap(inner, by_claimant)
        if found is not None:
            return found
    return _by_content(inner, pool)


def _target(drafts: list[Draft], index: int, stance: str, article: str = "",
            results: list[tuple[Relation, ...]] | None = None,
            holders: dict[str, list[tuple[int, str]]] | None = None) -> Draft | None:
    """The earlier assertion this stance answers, when nothing in its own sentence names it."""
    draft = drafts[index]
    text = draft.text or draft.content
    speaker = draft.chain[0].name if draft.chain else None
    named_noun = _DEMONSTRATIVE_CLAIM.search(text)
    if named_noun is not None:
        # Even the speaker's own claim as others reported it: "Her filing noted reports alleging
        # that she said …. She dismissed those reports as …" answers the reports.
        stem = named_noun.group("noun").lower()[:_NOUN_STEM]
        for candidate in reversed(drafts[max(0, index - _ANAPHOR_SPAN):index]):
            if stem in (candidate.text or candidate.content).lower():
                return candidate
    window = drafts[max(0, index - _STANCE_LOOKBACK):index]
    earlier = [d for d in window if _by_someone_else(d, speaker)]
    holder = _TITLE_OWNER.search(text) if article and draft.start > 0 else None
    if holder is not None:
        # "the president's claims": claims by the person named as president before, or by the
        # office speaking for the title ("the White House"), not the nearest claim mentioning a
        # president; the title itself is no content to compare.
        title = (holder.group("title") or holder.group("of")).lower()
        # The claimant only: a relay ("told the White House") made no claim.
        by_claimant = [d for d in earlier
                       if d.chain and _holds_title(d.chain[0].name, title, article, draft.start, holders)]
        if by_claimant:
            same = _continued(drafts, index, stance, results, by_claimant, title)
            return same or _best_overlap(draft, by_claimant, ignore=title) or by_claimant[-1]
    named = _BY_CLAIMANT.search(text)
    if named is not None:
        name = named.group("by") or named.group("owner") or named.group("with")
        # "The judge agreed with X" read as X's own words: the named claimant is someone else.
        pool = window if speaker is not None and _same_name(speaker, name) else earlier
        by_claimant = [d for d in pool if any(_same_name(link.name, name) for link in d.chain)]
        if by_claimant:
            # The claimant's claim sharing words with the answer; when the speaker was read as the
            # claimant named, a recent claim sharing words (the claimant may be written as "his
            # ex-wife" there); else the claimant's latest claim.
            found = _best_overlap(draft, by_claimant)
            if found is None and pool is window:
                found = _by_content(draft, pool)
            return found or by_claimant[-1]
    anaphoric = bool(_ANAPHOR.match(draft.content) or _POINTER.search(text) or _FLAT_DENIAL.search(draft.content)
                     or _NUMERIC_OBJECT.search(text))
    if not earlier:
        # Only the speaker's own claims precede: "There is no truth in this" still answers the
        # claim just before it (the speaker was likely read wrong), a denial with content does not.
        return window[-1] if anaphoric and window and _is_claim(window[-1]) else None
    if stance == "supports" and not _has_clause(draft):
        return earlier[-1]  # "His ex-wife agreed, but …": with the claim just made
    if anaphoric:
        recent = earlier[-_ANAPHOR_SPAN:]
        if _NUMERIC_OBJECT.search(text):
            # "The ministry disputed the figure": the nearest claims that give a number.
            numbered = [d for d in earlier if _NUMBER.search(d.content)][-_ANAPHOR_SPAN:]
            recent = numbered or recent
            if numbered and _best_overlap(draft, numbered) is None:
                return numbered[-1]
        found = _best_overlap(draft, recent)
        if found is None and _PLURAL_POINTER.search(text):
            found = _head_of_run(earlier[-_RUN_SPAN:])
        return found or earlier[-1]
    if _STANCE_OBJECT.search(text):
        return _by_content(draft, earlier)
    if draft.chain and _STANCE_VERB_OBJECT.search(text):
        # "confirmed the deaths of twelve soldiers": an object that is no claim noun answers a
        # recent claim only when they share two content words.
        return _best_overlap(draft, earlier[-_OBJECT_SPAN:], minimum=_MIN_SHARED)
    return None


def _holds_title(name: str, title: str, article: str, before: int,
                 holders: dict[str, list[tuple[int, str]]] | None = None) -> bool:
    """Whether a claimant's name stands for the holder of ``title`` ("the president") at ``before``:
    the person last written with that title ("President Obama", "Obama administration"), the
    office that speaks for the title ("White House", "Kremlin"), or the title itself."""
    # Whole words only: "Mayorkas" holds no mayoralty, the "Food and Drug Administration" speaks for
    # no president; "the former president" and "the deputy prime minister" hold no title now.
    lowered = name.lower()
    if any(_has_phrase(lowered, office) for office in _OFFICES.get(title, ())):
        return True
    if _has_phrase(lowered, title) and _FORMER_OR_DEPUTY.search(lowered) is None and not _SURNAME_TITLE.fullmatch(name):
        return True
    # "Obama administration", "the Doe government": through the holder's surname (``_same_name``);
    # a government or administration alone may be any country's or a past one.
    holder = _title_holder(article, title, before, holders)
    return holder is not None and _same_name(name, holder)


def _has_phrase(lowered: str, phrase: str) -> bool:
    at = lowered.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not _WORD_CHAR.match(lowered[at - 1])) and (end == len(lowered)
                                                                     or not _WORD_CHAR.match(lowered[end])):
            return True
        at = lowered.find(phrase, at + 1)
    return False


def _title_holder(article: str, title: str, before: int,
                  holders: dict[str, list[tuple[int, str]]] | None = None) -> str | None:
    # The last "President Obama", "Prime Minister Jane Doe" before the denial: its last name word.
    # The article is read once per title (``holders`` keeps the mentions for one call of
    # ``find_relations``), so many denials stay linear.
    if holders is None:
        mentions = _holder_mentions(article, title)
    elif title in holders:
        mentions = holders[title]
    else:
        mentions = holders[title] = _holder_mentions(article, title)
    at = bisect.bisect_left(mentions, (before, ""))
    return mentions[at - 1][1] if at > 0 else None


def _holder_mentions(article: str, title: str) -> list[tuple[int, str]]:
    # Not "Vice President Mike Pence", "Deputy Prime Minister …": a deputy holds no title of the head.
    # A full stop ends the name except after an initial ("President George W. Bush"): in "President
    # Putin. The Kremlin said" the holder is Putin.
    pattern = re.compile(r"(?<![Vv]ice )(?<![Vv]ice-)(?<![Dd]eputy )\b"
                         + r"\s+".join(word.capitalize() for word in title.split())
                         + r"\s+(?:(?:[A-Z]\.|[A-Z][\w'-]*)\s+){0,2}(?P<name>[A-Z][\w'-]+)")
    return [(match.start(), match.group("name")) for match in pattern.finditer(article)]


def _continued(drafts: list[Draft], index: int, stance: str, results: list[tuple[Relation, ...]] | None,
               candidates: list[Draft], title: str) -> Draft | None:
    """The claim the stance just before answered, when it named the same claimant: "many say the
    president's claims are unfounded. 'The president's rationales don't hold weight,' said a widow"
    goes on answering the claim the first sentence answered."""
    if results is None or index == 0 or len(results) < index:
        return None
    previous = drafts[index - 1]
    holder = _TITLE_OWNER.search(previous.text or previous.content)
    if holder is None or (holder.group("title") or holder.group("of")).lower() != title:
        return None
    targets = {r.target for r in results[index - 1] if r.type == stance}
    return next((d for d in reversed(candidates) if d.id in targets), None)


def _head_of_run(candidates: list[Draft]) -> Draft | None:
    """The first claim of the source that made most of the recent ones ("the charges" after a
    run of claims by show insiders: the first of them states the charge, the rest give detail);
    None when no source made more than one."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        if candidate.chain:
            counts[candidate.chain[0].name] = counts.get(candidate.chain[0].name, 0) + 1
    if not counts or max(counts.values()) < 2:
        return None
    most = max(counts.values())
    # Among sources with as many claims, the one that spoke last.
    source = next(d.chain[0].name for d in reversed(candidates) if d.chain and counts[d.chain[0].name] == most)
    return next(d for d in candidates if d.chain and d.chain[0].name == source)


def _by_content(draft: Draft, candidates: list[Draft]) -> Draft | None:
    found = _best_overlap(draft, candidates, minimum=_MIN_SHARED)
    if found is None and len(_stems_of(draft)) <= _FEW_STEMS:
        # "denied any confession had been made": a short denial shares one word at most.
        found = _best_overlap(draft, candidates[-_OBJECT_SPAN:])
    return found


def _by_someone_else(draft: Draft, speaker: str | None) -> bool:
    if draft.chain:
        return speaker is None or not _same_speaker(draft.chain[0].name, speaker)
    return _REPORTED_CLAIM.search(draft.text or draft.content) is not None


def _same_speaker(first: str, second: str) -> bool:
    # "Council leader" and "leader of Northfield council": every word of one is in the other; not
    # "Ukraine's defence ministry" and "Russia's defence ministry".
    if first == second:
        return True
    one = set(_WORDS.findall(first.lower().replace("'s", ""))) - _NAME_FILLERS
    other = set(_WORDS.findall(second.lower().replace("'s", ""))) - _NAME_FILLERS
    return bool(one and other) and (one <= other or other <= one)


def _is_claim(draft: Draft) -> bool:
    return bool(draft.chain) or _REPORTED_CLAIM.search(draft.text or draft.content) is not None


def _same_sentence_claim(drafts: list[Draft], index: int, text: str, article: str) -> Draft | None:
    """The assertion next to this one in the same sentence that carries what it denies.

    "X flatly denied reports by Z that Y": when Z's report of Y is an item of its own (cut
    from the denial's sentence), the denial answers it, before anything earlier.
    """
    draft = drafts[index]
    if not article or draft.start < 0:
        return None
    after = index + 1 < len(drafts) and _same_sentence(draft, drafts[index + 1], article)
    if after and (_OBJECT_CLAUSE.search(text) or _OPEN_OBJECT.search(text[-_OPEN_TAIL:])):
        return drafts[index + 1]  # "X denied reports by Z | that Y"
    before = index > 0 and _same_sentence(drafts[index - 1], draft, article)
    if before and (_OBJECT_CLAUSE.search(text) or _PASSIVE_STANCE.match(text)):
        return drafts[index - 1]  # "Reports by Z that Y | were later denied by X"
    return None


def _same_sentence(first: Draft, second: Draft, article: str) -> bool:
    # Adjacent spans with at most a comma or a space between them: no sentence ends between them
    # (nor at the end of the first, which may keep its full stop and closing quote).
    if first.start < 0 or second.start < 0 or not 0 <= second.start - first.end <= _SENTENCE_GAP:
        return False
    return _SENTENCE_BREAK.search(article, max(first.start, first.end - _SENTENCE_GAP), second.start) is None


_BARE_SUPPORT = re.compile(r"(?<!was )(?<!were )(?<!been )(?<!is )(?<!be )"
                           r"\b(?:agree[sd]?|confirm(?:s|ed)?|concur(?:s|red)?)\s*(?:[,.;]|$|(?:but|and)\b)",
                           re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE)
# A negation right before a stance verb: "did not deny", "has never confirmed", "declined to confirm
# or deny", "neither confirmed nor denied", "would not comment on or confirm".
_STANCE_NEGATION = re.compile(
    r"(?:\b(?:not|never|neither|nor|no longer)|n't|\b(?:declined|refused|failed|unable|wouldn't)\s+to)"
    r"(?:\s+(?:to|or|nor|and|confirm(?:ed)?|den(?:y|ied)|comment|on|immediately|publicly|directly|explicitly|"
    r"formally|officially|specifically|even|yet|be|been|have|has|had))"
    r"{0,3}\s*$", re.IGNORECASE)
#: Characters between "not"/"n't" and "hold weight" for the two to be one verdict ("doesn't really hold").
_HOLD_REACH = 12
#: Characters before a verdict word in which a negation turns it round.
_NEGATION_REACH = 30
# What a denial or support with its own content answers: "denied that …", "denied any contact",
# "disputed the figure", "agreed with the governor that …" — not "dismissed Estonia as …".
_STANCE_OBJECT = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|disput(?:es|ed|ing)|"
    r"dismiss(?:es|ed|ing)?|rebut(?:s|ted|ting)?|contradict(?:s|ed|ing)?|confirm(?:s|ed|ing)?|"
    r"corroborat(?:e|es|ed|ing)|" + _DISMISSAL_VERBS + r"|agree(?:s|d)?(?:\s+with(?:\s+\S+){1,4}?)?)\s+"
    r"(?:that\b|any\b|ever\b|having\b|(?:(?:the|these|those|such|all|a|an)\s+)?(?:[\w'-]+\s+){0,2}?"
    + _CLAIM_NOUNS + r"\b)",
    re.IGNORECASE,
)
#: An anaphor ("the claims") is looked for among this many earlier claims by others.
_ANAPHOR_SPAN = 3
#: Earlier claims read for the run of claims a plural anaphor ("the charges") answers.
_RUN_SPAN = 6
_PLURAL_POINTER = re.compile(
    r"\b(?:these|those|the|such|their|his|her|its)\s+(?:[\w'-]+\s+){0,2}?(?:claims|reports|allegations|charges|"
    r"accusations|stories|rumou?rs|assertions|remarks|comments|suggestions)\b", re.IGNORECASE)
#: A denial with at most this many content stems may be linked by one shared stem.
_FEW_STEMS = 4
#: Earlier claims read for a denial or confirmation whose object is no claim noun.
_OBJECT_SPAN = 5
#: Characters allowed between two items cut from one sentence.
_SENTENCE_GAP = 3
_SENTENCE_BREAK = re.compile(r"[.!?;:\n]")
# A sentence in the article's own voice that reports someone's claim without naming them
# ("Democrats also persisted in arguments that …", "amid allegations that …"), or whose
# speaker was not read ("Ukrainian intelligence said …").
_REPORTED_CLAIM = re.compile(
    r"\b(?:argu(?:ed|es|ing|ments?)|claim(?:s|ed|ing)?|alleg(?:ed|es|ing|ations?)|accus(?:ed|es|ing|ations?)|"
    r"insist(?:s|ed|ing)?|speculation|reports?|rumou?rs?|suggest(?:s|ed|ing|ions?)|assertions?|contend(?:s|ed|ing)?)"
    r"\s+(?:\w+\s+){0,2}?that\b"
    r"|\b(?:said|says|told|reported|stated|claimed|alleged|according to)\b",
    re.IGNORECASE,
)
# The denied content follows in the same sentence: "denied that", "denied speculation that",
# "rejected claims by the opposition that".
_OBJECT_CLAUSE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"disput(?:e|es|ed|ing)|rebut(?:s|ted|ting)?|confirm(?:s|ed|ing)?|" + _DISMISSAL_VERBS
    + r")\s+(?:[\w'.-]+\s+){0,6}?that\b",
    re.IGNORECASE,
)
# A denial whose object runs on past its end: "… denied reports by the Courier", "… denied speculation".
_OPEN_OBJECT = re.compile(
    r"\b(?:that|" + _CLAIM_NOUNS + r"(?:\s+(?:by|from|of|in)\s+[^,.;:!?]{1,60})?)\W*$", re.IGNORECASE)
#: Characters at the end of a denial read for an object running on.
_OPEN_TAIL = 90
_PASSIVE_STANCE = re.compile(
    r"\W*(?:was|were|is|are|has been|have been|had been)\s+(?:\w+\s+)?"
    r"(?:denied|rejected|dismissed|disputed|refuted|confirmed|corroborated)\b", re.IGNORECASE)
# A denial or confirmation verb with any object: "confirmed the deaths of …".
_STANCE_VERB_OBJECT = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing)|disput(?:e|es|ed|ing)|confirm(?:s|ed|ing)?|"
    r"corroborat(?:e|es|ed|ing)|" + _DISMISSAL_VERBS + r")\s+(?:the|a|an|any|all|reports?|claims?)\b",
    re.IGNORECASE,
)
#: Bodies that speak for the holder of a head title: their claims are the title holder's.
_OFFICES = {
    "president": ("white house", "kremlin", "elysee", "élysée", "presidency", "presidential office", "blue house",
                  "presidential palace"),
    "prime minister": ("downing street", "prime minister's office"),
    "premier": ("premier's office",),
    "chancellor": ("chancellery", "chancellor's office"),
    "governor": ("governor's office",),
    "mayor": ("mayor's office", "city hall"),
    "king": ("palace", "royal court"),
    "queen": ("palace", "royal court"),
}
#: Titles of one who heads a state, a government, a region or a city.
_HEAD_TITLES = "|".join(_OFFICES)
# "the president", "the prime minister": a claimant named by the title of the one who made the claim.
_TITLE_OWNER = re.compile(
    r"\b(?:[Tt]he\s+(?P<title>(?i:" + _HEAD_TITLES + r"))'s?\s+(?:[\w'-]+\s+){0,2}?" + _CLAIM_NOUNS
    + r"|" + _CLAIM_NOUNS + r"\s+(?:by|from|of)\s+the\s+(?P<of>(?i:" + _HEAD_TITLES + r")))\b")
_WORD_CHAR = re.compile(r"[\w-]")
# "Stephen King", "Theresa Mayor": a proper name ending in a title word names a person by surname.
_SURNAME_TITLE = re.compile(r"(?!the\b|The\b)(?:[A-Z][\w.'-]*\s+)+[A-Z][\w'-]*")
_FORMER_OR_DEPUTY = re.compile(r"\b(?:former|ex|vice|deputy|late|then)\b")
#: Letters of a claim noun compared with an earlier claim's words ("reports" ~ "reported").
_NOUN_STEM = 5


def _has_clause(draft: Draft) -> bool:
    # "agreed that …" states its own content; a bare "agreed," ("His ex-wife agreed, but …")
    # or "agreed." points back.
    return _BARE_SUPPORT.search(draft.text or draft.content) is None


def _best_overlap(draft: Draft, candidates: list[Draft], minimum: int = 1, ignore: str = "") -> Draft | None:
    best, best_shared = None, minimum - 1
    stems = _stems_of(draft) - _stems(ignore) if ignore else _stems_of(draft)
    for candidate in candidates:  # oldest first: a later candidate wins ties
        shared = len(stems & _stems_of(candidate))
        if shared > best_shared or shared == best_shared and best is not None:
            best, best_shared = candidate, shared
    return best if best_shared >= minimum else None


def _same_name(name: str, mention: str) -> bool:
    words = _WORDS.findall(name.lower().replace("'s", ""))
    said = _WORDS.findall(mention.lower().replace("'s", ""))
    return bool(words and said) and (words[-1] in said or said[-1] in words)


def _stems_of(draft: Draft) -> frozenset[str]:
    # Computed once, and only for the few drafts a stance is compared with.
    if draft.stems is None:
        draft.stems = _stems(draft.content)
    return draft.stems


def _stems(content: str) -> frozenset[str]:
    # The words of denying and reporting ("disputes", "figure", "claims", "saying") are no content:
    # a headline "Ukraine says it downed 30 drones; Moscow disputes figure" shares them with any denial.
    return frozenset(w[:_STEM] for w in _WORDS.findall(content.lower())
                     if len(w) > 3 and w not in _STOPWORDS and _CUE_WORD.fullmatch(w) is None)


def _content_words(content: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(content.lower()) if w not in _REPEAT_STOPWORDS)


def _repeated(bags: list[frozenset[str]], index: int) -> int | None:
    bag = bags[index]
    if len(bag) < _REPEAT_MIN_WORDS:
        return None
    for earlier in range(index - 1, max(-1, index - 1 - _REPEAT_LOOKBACK), -1):
        other = bags[earlier]
        if len(other) >= _REPEAT_MIN_WORDS and len(bag & other) / len(bag | other) >= _REPEAT_JACCARD:
            return earlier
    return None
