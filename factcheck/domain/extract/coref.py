"""Names and coreference: clean source names, expand surnames, resolve "he" and "the agency"."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon as lx
from .model import Source
from .segment import quote_regions
from .sources import OUTLETS, canonical, classify, fits_medium, government_name, is_place, is_title, outlet_name, title_kind

_NAME_WORD = re.compile(r"(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*|[A-Z]\.")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][\w-]*")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)+")
# A surname after a personal title ("Mr. Obama", "President Obama", "Ms. Moore"): a person even
# when the article never gives the full name.
_TITLED_SURNAME = re.compile(
    r"\b(?P<title>Mr|Mrs|Ms|Dr|President|Sen|Senator|Rep|Gov|Governor|Judge|Justice|Secretary|Mayor)\.? "
    r"(?P<name>(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?! [A-Z])"
)
_WORD = re.compile(r"[\w.'&-]+")
# "the Alliance to Reclaim Our Schools (AROS)": an organisation named in full, then its initials.
_ACRONYM_DEFINITION = re.compile(r"\b[A-Z][\w'&-]*(?:[ ][\w'&-]+){1,9}? \((?P<acronym>[A-Z]{2,8})\)")
_CONNECTORS = frozenset("of for and & de del la van von al bin the on in at".split())
_LOCATIVE = re.compile(r"\s+(?:in|at|from)\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*$")
_POSSESSIVE_SOURCES = re.compile(
    r"^(?P<owner>.+?)'s?\s+"
    r"(?P<head>(?:\w+\s+)?(?:sources?|officials?|insiders?|spokes(?:man|woman|person)|aides?|reports?))$"
)
_AT_BODY = re.compile(r"^(?P<head>.+?[A-Z]\w*)\s+at\s+(?:the\s+)?[A-Z]")
_TITLE_MENTION = re.compile(
    r"\b([Tt]he (?:president|senator|governor|minister|mayor|chancellor|premier|secretary|judge|nominee|candidate))"
    r"(?:'s)?\b")
# "a reporter for USA Today", "an analyst at Goldman Sachs": a lower-case role before the body it serves.
_ROLE_OF_BODY = re.compile(
    r"^(?:(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother)\s+)?(?P<role>(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*)\s+(?:for|at|with|of|from)\s+"
    r"(?P<body>(?:the\s+)?[A-Z].*)$")
#: Roles that speak for the body they serve: its words are the body's.
_SPEAKS_FOR = frozenset("spokesman spokeswoman spokesperson spokespeople representative representatives".split())
#: Words for relatives, each with the sex it names (True for a woman).
_KIN_SEX = {
    **dict.fromkeys("wife widow mother daughter sister girlfriend fiancee grandmother aunt niece".split(), True),
    **dict.fromkeys("husband widower father son brother boyfriend fiance grandfather uncle nephew".split(), False),
}
_FEMALE_KIN = frozenset(kin for kin, female in _KIN_SEX.items() if female)
_MALE_KIN = frozenset(kin for kin, female in _KIN_SEX.items() if not female)
_DETERMINER = re.compile(r"^(?:the|a|an|another|one|this|that|these|those|two|three|several|some)\s+", re.IGNORECASE)
_PERSON_TITLE_HEADS = frozenset(
    """president minister leader senator governor mayor secretary spokesman spokeswoman spokesperson host
    anchor chancellor premier candidate nominee chairman chief director ambassador official general
    commander judge lawyer attorney businessman billionaire mogul congressman congresswoman lawmaker
    speaker founder executive ceo dictator king queen pope prince""".split()
)
_TITLE_SYNONYMS = {
    "judge": {"judge", "justice"}, "justice": {"judge", "justice"}, "lawyer": {"lawyer", "attorney"},
    "attorney": {"lawyer", "attorney"}, "senator": {"senator", "sen", "sen."}, "governor": {"governor", "gov"},
    "president": {"president", "then-president", "ex-president"},
}
_HEAD_OF_STATE = frozenset("president prime minister premier chancellor leader king dictator".split())
_NOT_NAMES = frozenset(
    """The This That These Those There Here It He She They We I You But And Or So If When While As After
    Before During Since Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    June July August September October November December Read See Support Mr Mrs Ms Dr What Who Why How
    Where Which Whether Despite Although According Under Over In On At For From With By To A An As Also
    Still Yet Then Now Today Yesterday Last Next Earlier Later Meanwhile However Former New Unlike Like Among
    Amid Without Within Throughout Beyond Until Unless Because Though Once Every Each Many Most Few Several
    Other Another Such No Not Our Their His Her Its My Your Goes""".split()
)
_SENTENCE_OPENERS = frozenset(
    """Even Everything Rather Only Also Just Still Now Then But And Yet So Meanwhile However Today Yesterday
    Instead Perhaps Maybe Both All Some Later Earlier""".split()
)
#: The gazetteer's outlets as written in prose ("RT", "The New York Times"); "Time" is too often a word.
_OUTLET_MENTION = re.compile(
    r"(?<![\w.'-])(?:" + "|".join(sorted(
        (re.escape(name) for name in set(OUTLETS.values()) if name not in {"Time", "The Times", "The Post"}),
        key=len, reverse=True)) + r")(?![\w'-])")
_KIN_WORDS = "|".join(sorted(_KIN_SEX, key=len, reverse=True))
_MY_KIN_WORD = re.compile(r"\b[Mm]y (?:" + _KIN_WORDS + r"|parents)\b")
_MY_KIN = re.compile(r"\b[Mm]y (?P<kin>" + _KIN_WORDS + r")\b")
# "my father, James Roe,", "my late mother Ann Roe", "my parents, James and Olive Roe": relatives named.
_KIN_NAMED = re.compile(
    r"\b[Mm]y (?:late )?(?:(?P<kin>" + _KIN_WORDS + r")|parents),? (?P<first>[A-Z][a-z]+)"
    r"(?: (?P<last>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?! [A-Z])| and (?P<other>[A-Z][a-z]+) (?P<surname>[A-Z][a-z]+))\b")
# "He"/"She" opening a sentence, and the word after it (past one adverb: "She later added").
_OPENING_PRONOUN = re.compile(r"(He|She)\b(?:\s+(?:also|later|then|again|\w+ly)\b)?\s*(?P<next>[\w']*)(?P<rest>\s+that\b|:)?")
# The first names right before a surname: "Ivana Trump", "Donald and Ivana Trump".
_FIRST_NAMES_BEFORE = re.compile(
    r"(?:\b(?P<first>[A-Z][a-z]+) (?:and|&) )?\b(?P<second>[A-Z][a-z]+) $")
#: Characters before a surname read for the first names given with it.
_FIRST_NAMES_REACH = 40
_TIME_HEADS = frozenset("Day Days Eve Night Week Weekend Month Year Season Holiday Holidays".split())
_WINDOW = 6  # sentences to look back for the antecedent of a pronoun
_DESCRIPTION_WINDOW = 60  # and for "the agency", "the minister"


@lru_cache(maxsize=8192)  # pure; source phrases repeat
def clean_name(phrase: str) -> tuple[str, tuple[str, ...]]:
    """Split a source phrase into a clean name and the titles around it.

    "Foreign Minister Sergei Lavrov" -> ("Sergei Lavrov", ("foreign", "minister"));
    a phrase ending in a lower-case noun ("the agency's sources") is returned as it is.
    """
    phrase = phrase.strip().strip(",.;:")
    role = _ROLE_OF_BODY.match(phrase)
    if role is not None:
        if role.group("role").split()[-1] in _SPEAKS_FOR:
            return clean_name(role.group("body"))  # "a spokesman for the Defence Ministry": the ministry speaks
        return _DETERMINER.sub("", phrase), ()  # "A reporter for USA Today" is a reporter, unnamed
    located = _AT_BODY.match(phrase)
    if located and classify(clean_name(located.group("head"))[0]) in {"organisation", "government", "outlet", "person"}:
        phrase = located.group("head")  # "The Tax Policy Center at the Urban Institute" is the center
    bare = _DETERMINER.sub("", phrase)
    known = outlet_name(phrase) or outlet_name(bare) or government_name(phrase) or government_name(bare)
    if known:
        return known, ()
    words = _WORD.findall(phrase)
    if not words or not words[-1][:1].isupper():
        return _DETERMINER.sub("", phrase), ()
    run_start = _capitalised_run_start(words)
    for size in range(min(len(words) - run_start - 1, 4), 0, -1):
        # "the Washington Post Trump said": an outlet's name before a person's is no part of it.
        head = " ".join(words[run_start:run_start + size])
        rest = words[run_start + size:]
        if (outlet_name(head) or outlet_name("the " + head)) and 1 <= len(rest) <= 3 \
                and all(_NAME_WORD.fullmatch(word) for word in rest) and classify(" ".join(rest)) == "person":
            run_start += size
            break
    titles = [w.lower().rstrip(".") for w in words[:run_start] if w.lower() not in _CONNECTORS]
    run = words[run_start:]
    while len(run) > 1 and run[0] in _SENTENCE_OPENERS:
        run.pop(0)  # "Even China said" opens with an adverb, not a name
    # "Defence Ministry" keeps its first word; "Defence Minister Rustem Umerov" loses the title,
    # and so does "Charlotte Mayor Jennifer Roberts" everything up to the last title word.
    if classify(" ".join(run)) != "person":
        # "Manhattan Supreme Court Justice Frank Nervo": a body's name before a title is the
        # person's descriptor when a person's name follows the title.
        last_title = max((k for k, word in enumerate(run[:-1]) if is_title(word)), default=-1)
        rest = run[last_title + 1:]
        if last_title > 0 and 2 <= len(rest) <= 3 and classify(" ".join(rest)) == "person" \
                and all(_NAME_WORD.fullmatch(word) for word in rest):
            titles.extend(word.lower().rstrip(".") for word in run[:last_title + 1] if word.lower() not in _CONNECTORS)
            run = rest
    if classify(" ".join(run)) == "person":
        last_title = max((k for k, word in enumerate(run[:-1]) if is_title(word)), default=-1)
        titles.extend(word.lower().rstrip(".") for word in run[:last_title + 1] if word.lower() not in _CONNECTORS)
        run = run[last_title + 1:]
        while len(run) > 1 and run[0].lower() in _CONNECTORS:
            run.pop(0)
    if len(run) > 1 and run[0] == "The":
        run = run[1:]
    name = " ".join(run)
    if name.endswith("'s"):
        name = name[:-2]
    name = _LOCATIVE.sub("", name) if classify(_LOCATIVE.sub("", name)) in {"organisation", "government"} else name
    gazetteer = outlet_name(name) or outlet_name("the " + name)
    return canonical(gazetteer or name), tuple(titles)


def _capitalised_run_start(words: list[str]) -> int:
    # The name is the last run of capitalised words, which may contain "of", "for", "and".
    i = len(words) - 1
    while i > 0:
        if words[i - 1][:1].isupper():
            i -= 1
        elif words[i - 1].lower() in _CONNECTORS and i > 1 and words[i - 2][:1].isupper():
            i -= 2
        else:
            break
    return i


@dataclass(slots=True)
class Mention:
    """One mention of a source at a character position."""

    position: int
    sentence: int
    source: Source
    titles: tuple[str, ...] = ()


@dataclass(slots=True)
class Tracker:
    """Sources mentioned so far in one article, for resolving pronouns and descriptions."""

    full_names: dict[str, str] = field(default_factory=dict)
    titles_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentions: list[Mention] = field(default_factory=list)
    known_words: frozenset[str] = frozenset()
    acronyms: dict[str, str] = field(default_factory=dict)
    #: Every full person name of the article ("Donald Trump", "Ivana Trump"), for names sharing a surname.
    people: frozenset[str] = frozenset()
    #: The writer's relatives the article names ("my father, James Roe" -> {"father": "James Roe"}).
    kin_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_text(cls, text: str) -> Tracker:
        """Build a tracker knowing every full person name of the article (for surname expansion)."""
        counts: Counter[str] = Counter()
        titles_of: dict[str, set[str]] = defaultdict(set)
        for match in _CAPITALISED_RUN.finditer(text):
            found = _person_name(match.group())
            if found is None:
                continue
            name, inner_titles = found
            counts[name] += 1
            titles_of[name].update(inner_titles)
            titles_of[name].update(_titles_before(text[max(0, match.start() - 40):match.start()]))
        full_names: dict[str, str] = {}
        for name, _count in counts.most_common():
            full_names.setdefault(name.split()[-1].lower(), name)
        for match in _TITLED_SURNAME.finditer(text):
            name = match.group("name")
            if name in _NOT_NAMES or classify(name) != "person" or is_place(name) or outlet_name(name):
                continue
            full_names.setdefault(name.lower(), name)
            titles_of[full_names[name.lower()]].add(match.group("title").lower())
        known_words = frozenset(name.split()[-1] for name in full_names.values())
        acronyms: dict[str, str] = {}
        if " (" in text:
            for match in _ACRONYM_DEFINITION.finditer(text):
                full = _spelled_out(text[max(0, match.start("acronym") - 120):match.start("acronym") - 2],
                                    match.group("acronym"))
                if full is not None:
                    acronyms.setdefault(match.group("acronym"), full)
        kin_names = _named_kin(text) if _MY_KIN_WORD.search(text) else {}
        return cls(full_names=full_names, titles_of=titles_of, known_words=known_words, acronyms=acronyms,
                   people=frozenset(counts), kin_names=kin_names)

    def expand(self, name: str) -> str:
        """Return the full name for a bare surname ("Lavrov" -> "Sergei Lavrov") or defined initials."""
        if name in self.acronyms:
            return self.acronyms[name]
        if " " in name or classify(name) != "person":
            return name
        return self.full_names.get(name.lower(), name)

    def scan(self, text: str, start: int, end: int, sentence: int) -> None:
        """Register the people named in text[start:end], outside quotations.

        A name inside quoted words ("My science adviser, John Holdren, …," he said) is
        spoken about, not speaking, so it is no antecedent for the "he" that follows.
        """
        quoted = quote_regions(text, start, end) if '"' in text[start:end] else []
        if self.kin_names:
            for match in _MY_KIN.finditer(text, start, end):
                # "My mother has softened with age, but she still says …": the relative the article
                # names elsewhere is mentioned here, an antecedent for "she".
                name = self.kin_names.get(match.group("kin").lower())
                if name is not None and not (quoted and any(q < match.start() < e for q, e in quoted)):
                    self.mentions.append(Mention(match.start(), sentence, Source(name, "person"),
                                                 ("mrs",) if match.group("kin").lower() in _FEMALE_KIN else ()))
        opening = _OPENING_PRONOUN.match(text, start, end)
        if opening is not None and not _reports(opening):
            # "She has faced … his wife, Hillary Clinton …. She said …": a sentence opening with
            # "he"/"she" goes on with the same person, who is mentioned there before any name the
            # sentence goes on to give (an apposition deep in it does not take the pronoun over).
            referent = self.pronoun(opening.group(1), start, sentence)
            if referent is not None:
                self.mentions.append(Mention(start, sentence, referent, tuple(self.titles_of.get(referent.name, ()))))
        for match in _OUTLET_MENTION.finditer(text, start, end):
            # "RT had rebuked its host. The network said …": an outlet named anywhere is an antecedent
            # for "the network", not only one that spoke.
            if not (quoted and any(q_start < match.start() < q_end for q_start, q_end in quoted)):
                self.mentions.append(Mention(match.start(), sentence, Source(canonical(match.group()), "outlet")))
        if not self.known_words:
            return
        for match in _CAPITALISED_WORD.finditer(text, start, end):
            if match.group() not in self.known_words:
                continue
            if quoted and any(q_start < match.start() < q_end for q_start, q_end in quoted):
                continue
            name = self.expand(match.group())
            before = _FIRST_NAMES_BEFORE.search(text, max(start, match.start() - _FIRST_NAMES_REACH), match.start())
            if before is not None:
                # "Ivana Trump" is Ivana, whichever Trump the bare surname stands for; "Donald and
                # Ivana Trump" names both, Donald first.
                named = f"{before.group('second')} {match.group()}"
                if named in self.people:
                    name = named
                first = before.group("first")
                if first is not None and f"{first} {match.group()}" in self.people:
                    other = f"{first} {match.group()}"
                    self.mentions.append(Mention(before.start("first"), sentence, Source(other, "person"),
                                                 tuple(self.titles_of.get(other, ()))))
            titles = tuple(self.titles_of.get(name, ()))
            self.mentions.append(Mention(match.start(), sentence, Source(name, "person"), titles))
        for match in _TITLE_MENTION.finditer(text, start, end):
            # "The president's Pacific roots …": a title after "the" mentions the person who holds it.
            if quoted and any(q_start < match.start() < q_end for q_start, q_end in quoted):
                continue
            described = self.description(match.group(1), match.start(), sentence)
            if described is not None and described.kind == "person":
                self.mentions.append(Mention(match.start(), sentence, described,
                                             tuple(self.titles_of.get(described.name, ()))))

    def register(self, source: Source, position: int, sentence: int, titles: tuple[str, ...] = ()) -> None:
        """Record that ``source`` was mentioned at ``position``."""
        self.mentions.append(Mention(position, sentence, source, titles + tuple(self.titles_of.get(source.name, ()))))

    def pronoun(self, word: str, position: int, sentence: int) -> Source | None:
        """Resolve a pronoun subject at ``position`` to an earlier source."""
        word = word.lower()
        earlier = self._recent(position, sentence - _WINDOW)
        if word in lx.PERSON_PRONOUNS:
            return _first_person_of_nearest_sentence(earlier, female=word in {"she", "her"})
        if word in lx.GROUP_PRONOUNS or word in lx.THING_PRONOUNS:
            kinds = {"organisation", "government", "outlet"} | ({"unnamed"} if word in lx.GROUP_PRONOUNS else set())
            return next((m.source for m in reversed(earlier) if m.source.kind in kinds), None)
        if word in lx.RELATIVE_PRONOUNS:
            return earlier[-1].source if earlier and earlier[-1].sentence == sentence else None
        return None

    def last_person_sentence(self, position: int, sentence: int) -> int:
        """The sentence of the last person named before ``position`` (within the window), or -1."""
        earlier = self._recent(position, sentence - _WINDOW)
        return max((m.sentence for m in earlier if m.source.kind == "person"), default=-1)

    def agrees(self, source: Source, word: str) -> bool:
        """Whether a pronoun can stand for ``source``: "he"/"she" a person of that sex, "it"/"they" the others."""
        word = word.lower()
        if word in lx.PERSON_PRONOUNS:
            if source.kind != "person":
                return False
            female = _is_female(Mention(0, 0, source, tuple(self.titles_of.get(source.name, ()))))
            return female == (word in {"she", "her"})
        if word in lx.GROUP_PRONOUNS:
            return source.kind != "person"
        return False

    def _recent(self, position: int, first_sentence: int) -> list[Mention]:
        """Mentions before ``position`` from ``first_sentence`` on, oldest first.

        Scanning back from the end keeps long articles linear: only a window is read.
        """
        recent: list[Mention] = []
        for mention in reversed(self.mentions):
            if mention.sentence < first_sentence:
                break
            if mention.position < position:
                recent.append(mention)
        recent.reverse()
        return recent

    def description(self, phrase: str, position: int, sentence: int = 0) -> Source | None:
        """Resolve "the agency", "the minister", "the Ukrainian leader" to an earlier source."""
        words = phrase.lower().split()
        if not words or phrase.split()[-1][:1].isupper():
            return None
        head = words[-1]
        kin = head.rsplit("-", 1)[-1]
        if len(words) == 2 and words[0] == "my" and kin in self.kin_names:
            # "my father often said": the writer's father, named elsewhere in the article ("my
            # parents, James and Olive Roe"); with no name given the phrase stays as written.
            return Source(self.kin_names[kin], "person")
        if len(words) == 2 and words[0] in {"his", "her"} and kin in _FEMALE_KIN | _MALE_KIN \
                and (words[0] == "his") == (kin in _FEMALE_KIN):
            # "His ex-wife agreed", "her husband said": a relative of the other sex is not the one
            # "his"/"her" points at, so the nearest person of that sex named before is meant.
            female = kin in _FEMALE_KIN
            before = [m for m in self._recent(position, sentence - _WINDOW)
                      if m.source.kind == "person" and _is_female(m) == female]
            return before[-1].source if before else None
        if words[0] not in {"the", "this", "that"} and head not in _PERSON_TITLE_HEADS:
            return None
        earlier = self._recent(position, (self.mentions[-1].sentence if self.mentions else 0) - _DESCRIPTION_WINDOW)
        kind = title_kind(head)
        if kind is not None:
            named = [m for m in earlier if m.source.kind == kind]
            modifiers = [w for w in phrase.split()[1:-1] if w[:1].isupper()]
            if modifiers:
                # "the Trump campaign", "the Russian ministry": a capitalised modifier must be in the
                # name meant; when no earlier body has it, the phrase is a name of its own.
                named = [m for m in named if all(w.lower() in m.source.name.lower() for w in modifiers)]
                if not named:
                    return None
            if kind == "outlet":
                # "the network" is a broadcaster, "the newspaper" a paper, when one of them was named.
                named = [m for m in named if fits_medium(m.source.name, head)] or named
            preferred = [m for m in named if head in m.source.name.lower()]
            pick = (preferred or named)[-1:] if (preferred or named) else []
            return pick[0].source if pick else None
        if head in _PERSON_TITLE_HEADS:
            # Someone introduced with that title first: "the minister" is the minister named before.
            wanted = _HEAD_OF_STATE if head == "leader" else _TITLE_SYNONYMS.get(head, {head})
            titled = [m for m in earlier if m.source.kind == "person" and wanted & set(m.titles)]
            if not titled:
                if words[0] in {"a", "an"}:
                    # "A New York judge has rejected …" before "Justice Frank Nervo" is named: an
                    # indefinite description introduces someone new, the one person of the article
                    # holding that title who has not been mentioned yet.
                    holders = [name for name, titles in self.titles_of.items() if wanted & titles]
                    if len(holders) == 1 and all(m.source.name != holders[0] for m in self.mentions):
                        return Source(holders[0], "person")
                # "The former first lady said", "the New York businessman said": a role noun after
                # "the" stands for the person named nearest before, as "he" or "she" would.
                if words[0] != "the":
                    return None
                before = [m for m in self._recent(position, sentence - _WINDOW) if m.sentence < sentence]
                return _first_person_of_nearest_sentence(before, female=None)
            nearest = max(m.sentence for m in titled)
            return min((m for m in titled if m.sentence == nearest), key=lambda m: m.position).source
        return None


def _titles_before(before: str) -> list[str]:
    # "the Ukrainian leader, Volodymyr Zelensky", "Sen. Gwen Moore": the title words right before a
    # name (the nearest may end with an appositive's comma); "The judge agreed with Ivana Trump"
    # gives her no title.
    titles: list[str] = []
    words = before.split()[-3:]
    if len(words) == 3 and words[1].lower() in {"for", "of", "to"} and words[2].endswith(","):
        words = words[:1]  # "An attorney for Pagliano, Mark MacDougall": the role before its principal
    for k, word in enumerate(reversed(words)):
        if k > 0 and word.endswith(","):
            break
        bare = word.lower().rstrip(".,")
        if not (is_title(word.rstrip(",")) or bare in _PERSON_TITLE_HEADS):
            break
        titles.append(bare)
    return titles


def _spelled_out(before: str, acronym: str) -> str | None:
    # The shortest run of words ending ``before`` that opens with a capital and whose capitalised
    # words give ``acronym`` by their initials: "event organizer Alliance to Reclaim Our Schools"
    # + "AROS" -> "Alliance to Reclaim Our Schools"; lower-case words (to, of, for) may come between.
    words = before.split()
    for size in range(len(acronym), min(len(words), 2 * len(acronym) + 1) + 1):
        run = words[-size:]
        if not run[0][:1].isupper():
            continue
        initials = "".join(w[0] for w in run if w[:1].isupper())
        if initials.upper() == acronym:
            return " ".join(run)
        if len(initials) > len(acronym):
            return None
    return None


def _person_name(run: str) -> tuple[str, tuple[str, ...]] | None:
    # "Foreign Minister Sergei Lavrov's" -> ("Sergei Lavrov", ("foreign", "minister")); anything
    # else that is not two or three name-shaped words ("What Putin", "Black Sea Fleet") is rejected.
    words = run.split(" ")
    titles = []
    while words and (words[0].rstrip(".") in _NOT_NAMES or words[0] in _SENTENCE_OPENERS or is_title(words[0])):
        titles.append(words.pop(0).lower().rstrip("."))
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    last_title = max((k for k, word in enumerate(words[:-2]) if is_title(word)), default=-1)
    if last_title >= 0 and 2 <= len(words) - last_title - 1 <= 3:
        # "Manhattan Supreme Court Justice Frank Nervo": everything up to the last title describes him.
        titles.extend(w.lower().rstrip(".") for w in words[:last_title + 1] if w.lower() not in _CONNECTORS)
        words = words[last_title + 1:]
    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words) or words[-1].endswith(".") \
            or any(w in _NOT_NAMES for w in words):
        return None  # "Gap Goes On" is a subheading, not a name
    name = " ".join(words)
    if words[-1] in _TIME_HEADS:
        return None  # "Election Day", "New Year", "Labor Day Weekend" are dates, not people
    if classify(name) != "person" or outlet_name(name) or outlet_name("the " + name) or is_place(name):
        return None
    return name, tuple(titles)


def _reports(opening: re.Match[str]) -> bool:
    """Whether "He"/"She" opening a sentence is the speaker of a reporting verb ("She said", "He
    added", "She claimed that"): that pronoun is the speaker's, resolved as a claimant is, not a
    mention of its own. A verb that is also a noun speaks only before "that" or ":" ("She notes
    that", not "He plans a trip")."""
    word = opening.group("next").lower()
    if word not in lx.SPEECH_CUES:
        return False
    return word not in lx.AMBIGUOUS_CUES or opening.group("rest") is not None


def _named_kin(text: str) -> dict[str, str]:
    """The writer's relatives named in the article: "my father, James Roe" -> {"father": "James Roe"}.

    For "my parents, James and Olive Roe" the one known as a woman's name is the mother; when
    neither is known, the father is taken to be named first, as in "Mr. and Mrs.". Relatives
    named inside quotation marks are the speaker's, and each quote may be someone else's, so
    only the writer's own words are read.
    """
    named: dict[str, str] = {}
    quoted: list[tuple[int, int]] | None = None
    for match in _KIN_NAMED.finditer(text):
        if quoted is None:
            quoted = quote_regions(text, 0, len(text)) if '"' in text else []
        if any(start < match.start() < end for start, end in quoted):
            continue
        if match.group("kin"):
            if match.group("last"):
                named.setdefault(match.group("kin").lower(), f"{match.group('first')} {match.group('last')}")
            continue
        if not match.group("other"):
            continue
        first, other, surname = match.group("first"), match.group("other"), match.group("surname")
        if first.lower() in lx.FEMALE_FIRST_NAMES and other.lower() not in lx.FEMALE_FIRST_NAMES:
            first, other = other, first
        named.setdefault("father", f"{first} {surname}")
        named.setdefault("mother", f"{other} {surname}")
    return named


def _first_person_of_nearest_sentence(earlier: list[Mention], *, female: bool | None) -> Source | None:
    # "she" prefers a known woman and falls back to anyone; "he" skips known women; a
    # description ("the nominee") takes anyone.
    persons = [m for m in earlier if m.source.kind == "person"]
    if female is None:
        candidates = persons
    elif female:
        candidates = [m for m in persons if _is_female(m)] or persons
    else:
        candidates = [m for m in persons if not _is_female(m)]
    if not candidates:
        return None
    nearest = max(m.sentence for m in candidates)
    return min((m for m in candidates if m.sentence == nearest), key=lambda m: m.position).source


def _is_female(mention: Mention) -> bool:
    words = mention.source.name.split()
    first = words[0].lower()
    # A first name ending in "a" only when there is one: "Obama" alone is a surname.
    return first in lx.FEMALE_FIRST_NAMES or bool({"mrs", "ms"} & set(mention.titles)) \
        or (len(words) > 1 and len(first) > 2 and first.endswith("a") and first not in lx.MALE_FIRST_NAMES_IN_A)


def is_function_word(name: str) -> bool:
    """Whether a cleaned source name is one word that names no one ("The", "Once", "This")."""
    return " " not in name and (name in _NOT_NAMES or name in _SENTENCE_OPENERS) and name not in _NAME_LIKE_OPENERS


#: Words of those lists that also are names of bodies or people ("Support" is no name, "Hope" is).
_NAME_LIKE_OPENERS = frozenset({"Hope", "Will", "May", "June", "April", "August"})


def possessive_sources(phrase: str) -> tuple[str, str] | None:
    """Split "the agency's sources" into ("the agency", "sources"), else None."""
    match = _POSSESSIVE_SOURCES.match(phrase.strip())
    return (match.group("owner"), match.group("head")) if match else None


def strip_determiner(phrase: str) -> str:
    """Drop a leading article or quantifier ("the officials" -> "officials")."""
    return _DETERMINER.sub("", phrase.strip())
