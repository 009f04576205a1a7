"""Name keys for matching sources: "Zelensky", "Zelenskyy" and "President Volodymyr Zelenskyy"."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

#: Titles and roles that precede a name and are not part of it.
TITLES = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady president vice prime minister foreign defense defence
    secretary senator sen rep representative gov governor mayor chancellor king queen prince princess
    general gen col colonel admiral chairman chairwoman chair ceo former ex acting deputy spokesman
    spokeswoman spokesperson ambassador pope sheikh judge justice attorney the
    """.split()
)

_NON_WORD = re.compile(r"[^\w\s-]+")
_SPACE = re.compile(r"[\s_-]+")
_REPEAT = re.compile(r"(\w)\1+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.lower().replace("'s ", " ").replace("’s ", " "))
    return _SPACE.sub(" ", text).strip()


def name_key(name: str) -> str:
    """The key two spellings of one name share.

    Doubled letters collapse ("zelenskyy" → "zelensky") because transliterations of the same
    name differ mostly there; a final "y"/"i" after a consonant cluster is kept.
    """
    return _REPEAT.sub(r"\1", fold(name))


def person_tokens(name: str) -> list[str]:
    """The name's tokens without leading titles ("President Volodymyr Zelenskyy" → volodymyr, zelensky)."""
    tokens = name_key(name).split()
    while tokens and tokens[0] in TITLES:
        tokens.pop(0)
    return tokens


def surname_key(name: str) -> str | None:
    """The last token of a person's name, the part that identifies them in running text."""
    tokens = person_tokens(name)
    return tokens[-1] if tokens else None


def domain_key(domain_or_url: str) -> str:
    """A bare lower-case domain: "https://www.Reuters.com/x" → "reuters.com"."""
    value = domain_or_url.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*:/*", "", value)
    value = value.split("/", 1)[0].split(":", 1)[0]
    return value.removeprefix("www.")


#: Hosts whose pages belong to many publishers: a link there says nothing about who published it.
SHARED_HOSTS = frozenset({
    "youtube.com", "youtu.be", "m.youtube.com", "twitter.com", "x.com", "mobile.twitter.com", "facebook.com",
    "m.facebook.com", "fb.watch", "instagram.com", "tiktok.com", "t.me", "telegram.me", "vk.com", "ok.ru",
    "rumble.com", "linkedin.com", "threads.net", "bsky.app", "reddit.com", "medium.com", "substack.com",
    "archive.org", "web.archive.org", "archive.ph", "archive.today", "docs.google.com", "drive.google.com",
    "dropbox.com", "scribd.com", "github.com", "wikipedia.org", "en.wikipedia.org", "bit.ly", "t.co",
})


def publisher_domain(url: str | None) -> str | None:
    """The domain of ``url`` when it names who published the page; None for shared hosts and no link."""
    if not url:
        return None
    key = domain_key(url)
    if not key or "." not in key or key in SHARED_HOSTS or key.endswith((".substack.com", ".medium.com",
                                                                          ".wikipedia.org", ".blogspot.com")):
        return None
    return key


#: How alike two name keys must be (difflib's ratio) to count as a misspelling of each other.
NEAR_RATIO = 0.85
#: Words an acronym skips ("The New York Times" → NYT).
_ACRONYM_SKIPS = frozenset({"the", "of", "and", "for", "a", "an", "de", "la", "le"})


def _core_tokens(key: str) -> list[str]:
    tokens = key.split()
    while tokens and tokens[0] in TITLES:
        tokens.pop(0)
    return tokens


def near_name(typed: str, known: str) -> bool:
    """Whether ``typed`` may be a shortened, longer, abbreviated or misspelt form of the name ``known``
    without being one of its spellings: "Kremlin" and "Kremlin press office", "NYT" and "The New York
    Times", "Zelenksy" and "Zelensky". Names whose keys are equal are not near: they are the same name."""
    a, b = name_key(typed), name_key(known)
    if not a or not b or a == b:
        return False
    ta, tb = _core_tokens(a), _core_tokens(b)
    if not ta or not tb:
        return False
    shorter, longer = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if all(len(t) >= 2 for t in shorter) and set(shorter) <= set(longer):
        return True  # one name is the other with words left out
    for short, long in ((a, tb), (b, ta)):
        initials = "".join(t[0] for t in long if t not in _ACRONYM_SKIPS)
        if len(short) >= 2 and " " not in short and len(initials) >= 2 and short == initials:
            return True
    return SequenceMatcher(None, a, b).ratio() >= NEAR_RATIO
