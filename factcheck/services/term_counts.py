"""Stored term counts: the texts queued by ``check_items``' triggers folded into ``check_items_fts_counts``.

Claim matching reads how many items have each word or prefix from ``check_items_fts_counts``; triggers
queue every text written to ``check_items`` in ``check_items_fts_pending`` (see the migration
b8e4f1a2c3d5), and a write transaction folds them in here: an ingest after writing its article's items,
and every service that writes an item's claim or restatement (``fold_pending_term_counts``). Until then
matching counts in the index. Each fold that counted a text gives ``check_items_fts_stamp`` a new random
stamp: while nothing is queued, the stamp names the items' texts, and what matching found for a text is
kept under it (``factcheck.facts.rank_items``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from uuid import uuid4

from sqlalchemy import text
from sqlalchemy.orm import Session

_MIN_PREFIX, _MAX_PREFIX = 4, 40

#: SQLite: the pending texts' words, one row per text (its column says whether it was added or taken away):
#: the vocabulary table lists every occurrence of every word, which SQLite gathers faster than Python reads rows.
_SQLITE_TAKE = text("SELECT col, group_concat(term, ' ') FROM check_items_fts_pending_words GROUP BY doc, col "
                    "ORDER BY doc, col")
_SQLITE_ADD = text(
    "INSERT INTO check_items_fts_counts(token, documents) SELECT key, value FROM json_each(:deltas) WHERE true "
    "ON CONFLICT (token) DO UPDATE SET documents = check_items_fts_counts.documents + excluded.documents")
#: PostgreSQL: the pending vectors' words, taken out (keys are made in Python on both databases: a
#: set-returning function per word misleads PostgreSQL's planner into compiling the statement, which costs more).
_POSTGRESQL_TAKE = text("DELETE FROM check_items_fts_pending RETURNING sign, tsvector_to_array(vector)")
_POSTGRESQL_ADD = text(
    "INSERT INTO check_items_fts_counts(token, documents) "
    "SELECT * FROM unnest(CAST(:tokens AS text[]), CAST(:counts AS integer[])) ORDER BY 1 "
    "ON CONFLICT (token) DO UPDATE SET documents = check_items_fts_counts.documents + excluded.documents")
#: A new stamp once texts were counted (the table holds one row; see migration e2b7c4f9a6d3).
_NEW_STAMP = text("UPDATE check_items_fts_stamp SET stamp = :stamp")
_KEY_RUN = re.compile(r"[a-z0-9]*")
#: PostgreSQL: one transaction at a time folds (an advisory lock held to its end), so two never wait on
#: each other's counts; one that cannot take it leaves its texts pending, and its matching counts in the index.
FOLD_LOCK = 0x66637463


@dataclass(frozen=True, slots=True)
class Folded:
    """What a fold counted: how many texts were added and taken away, and each key's change."""

    added: int
    removed: int
    changes: dict[str, int]
    #: The new stamp (None if nothing was folded).
    stamp: str | None = None
    #: SQLite: each added text's keys, in the order the texts were written (the rows of one INSERT in order).
    added_keys: tuple[frozenset[str], ...] = ()


def fold_pending_term_counts(session: Session, *, locked: bool = False) -> Folded:
    """Fold the texts waiting in ``check_items_fts_pending`` into ``check_items_fts_counts`` (in the caller's
    transaction): afterwards claim matching reads its counts from the table. ``locked``: the transaction
    holds the fold's lock already (PostgreSQL)."""
    deltas: dict[str, int] = {}
    signs: list[int] = []
    added: list[frozenset[str]] = []
    if session.get_bind().dialect.name == "sqlite":
        # The tokenizer's words never hold a space (unicode61 splits at every separator and space). The queue's
        # rows are numbered as they were written (its own rowids), so the added texts come in that order.
        texts = session.execute(_SQLITE_TAKE).all()
        for column, words in texts:
            signs.append(1 if column == "added" else -1)
            keys = term_keys(words.split(" "))
            if column == "added":
                added.append(frozenset(keys))
            for key in keys:
                deltas[key] = deltas.get(key, 0) + signs[-1]
        if texts:
            session.execute(text("INSERT INTO check_items_fts_pending(check_items_fts_pending) VALUES ('delete-all')"))
        changed = {key: delta for key, delta in deltas.items() if delta}
        if changed:
            session.execute(_SQLITE_ADD, {"deltas": json.dumps(changed)})
    elif locked or session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": FOLD_LOCK}):
        for sign, words in session.execute(_POSTGRESQL_TAKE):
            signs.append(sign)
            for key in term_keys(words):
                deltas[key] = deltas.get(key, 0) + sign
        changed = {key: delta for key, delta in deltas.items() if delta}
        if changed:
            session.execute(_POSTGRESQL_ADD, {"tokens": list(changed), "counts": list(changed.values())})
    else:
        changed = {}
    stamp = None
    if signs:  # the items' texts are others now (even where their keys' counts came out the same)
        stamp = uuid4().hex
        session.execute(_NEW_STAMP, {"stamp": stamp})
    return Folded(signs.count(1), signs.count(-1), changed, stamp, tuple(added))


def term_keys(words: list[str]) -> set[str]:
    """The keys of one text's words, as the migration's statements make them: each word of ASCII letters
    and digits (at most 40), and each prefix of 4 to 40 of such letters and digits a word begins with, with "*"."""
    keys: set[str] = set()
    for word in words:
        keys.update(_word_keys(word))
    return keys


@lru_cache(maxsize=50_000)
def _word_keys(word: str) -> tuple[str, ...]:
    run = _KEY_RUN.match(word).end()  # type: ignore[union-attr]  # "*" always matches
    prefixes = tuple(word[:n] + "*" for n in range(_MIN_PREFIX, min(run, _MAX_PREFIX) + 1))
    return (word, *prefixes) if run == len(word) and run <= _MAX_PREFIX else prefixes
