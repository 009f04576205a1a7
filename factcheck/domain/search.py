"""Search: what a person types in the search box, read into a query the full-text indexes can run.

The box takes words, ``"quoted phrases"``, a trailing ``*`` for a prefix (``releas*``), ``OR``
between two terms, ``-word`` or ``NOT word`` to leave out and ``AND`` (which changes nothing: every
term must match); everything else — ``NEAR``, parentheses,
colons, quotes left open, punctuation, emoji, control characters, lone surrogates — is read as
plain text, so no input can make the database's query parser fail. The query is written out as an
FTS5 expression (SQLite) or a ``to_tsquery`` expression (PostgreSQL) from words made only of
letters, digits and marks, each quoted for its syntax.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class SearchKind(StrEnum):
    """What a search finds."""

    ITEM = "item"
    ARTICLE = "article"
    SOURCE = "source"


ALL_KINDS: frozenset[SearchKind] = frozenset(SearchKind)

#: Longest query read; the rest is ignored (a search box, not a document).
MAX_QUERY_CHARS = 500
#: Most terms a query keeps (each one costs the index a lookup).
MAX_TERMS = 16
#: Longest word kept (longer ones are cut: no index token is that long).
MAX_WORD_CHARS = 60


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase, searched as written or, with ``prefix``, as the start of its last word."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """Terms that must all match (each a choice of alternatives joined by OR), and terms that must not."""

    required: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing is asked for (a query of only exclusions finds nothing either)."""
        return not self.required

    def words(self) -> list[str]:
        """Every word asked for, for showing what was searched."""
        return [w for group in self.required for term in group for w in term.words]


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def _words(text: str) -> list[str]:
    """Words of letters, digits and marks (a mark alone is no word); case-folded and cut to length."""
    words, current = [], []
    for char in text:
        if _is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [w.casefold()[:MAX_WORD_CHARS] for w in words if any(unicodedata.category(c)[0] in "LN" for c in w)]


def _tokens(text: str) -> list[tuple[str, str]]:
    """The input as (kind, text) pairs: ``phrase``, ``word`` (with its trailing * and leading -), ``or``,
    ``and``, ``not``."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            end = len(text) if end < 0 else end
            star = end + 1 < len(text) and text[end + 1] == "*"
            tokens.append(("phrase", text[position + 1:end] + ("*" if star else "")))
            position = end + (2 if star else 1)
        elif char.isspace():
            position += 1
        else:
            end = position
            while end < len(text) and not text[end].isspace() and text[end] != '"':
                end += 1
            chunk = text[position:end]
            tokens.append((chunk.lower(), chunk) if chunk in ("OR", "AND", "NOT") else ("word", chunk))
            position = end
    return tokens


def parse_query(text: str) -> Query:
    """The query in ``text`` (never raises: anything it cannot read as syntax it reads as words)."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS].encode("utf-8", "replace").decode("utf-8"))
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = negate_next = False
    for kind, chunk in _tokens(text):
        if kind in ("or", "and", "not"):
            join_next = kind == "or" and bool(groups)
            negate_next = kind == "not"
            continue
        negated = negate_next or (kind == "word" and chunk.startswith("-") and len(chunk) > 1)
        negate_next = False
        prefix = chunk.endswith("*")
        words = _words(chunk)
        if not words:
            continue
        # A phrase, or a word written with punctuation ("covid-19", "U.S."), is a phrase of its parts.
        terms = [Term(tuple(words), prefix)]
        if negated:
            excluded.extend(terms)
            join_next = False
            continue
        if join_next and groups:
            groups[-1].extend(terms)
        else:
            groups.append(list(terms))
        join_next = False
    groups = groups[:MAX_TERMS]
    return Query(tuple(tuple(g) for g in groups), tuple(excluded[:MAX_TERMS]))


# --- writing a query out for each database ----------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    # Words hold only letters, digits and marks: no double quote to escape inside the string.
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def to_fts5(query: Query) -> str:
    """The FTS5 MATCH expression of ``query`` ("" when it is empty)."""
    if query.is_empty:
        return ""
    parts = []
    for group in query.required:
        alternatives = [_fts5_term(t) for t in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(parts)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_term(term)}"
    return expression


def _tsquery_lexeme(word: str, prefix: bool) -> str:
    escaped = word.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if prefix else "")


def _tsquery_term(term: Term) -> str:
    lexemes = [_tsquery_lexeme(w, term.prefix and n == len(term.words) - 1) for n, w in enumerate(term.words)]
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def to_tsquery(query: Query) -> str:
    """The ``to_tsquery('simple', …)`` text of ``query`` ("" when it is empty)."""
    if query.is_empty:
        return ""
    parts = []
    for group in query.required:
        alternatives = [_tsquery_term(t) for t in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
    expression = " & ".join(parts)
    for term in query.excluded:
        expression = f"{expression} & !{_tsquery_term(term)}"
    return expression
