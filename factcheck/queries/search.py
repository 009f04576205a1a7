"""Search across items (claim, restatement), articles (title, text) and sources (name, aliases).

``search(session, text, filters=…, after=…, limit=…)`` is the one read model behind the search page
and ``GET /api/v1/search``. One statement per page, whatever the number of hits: the best hits of
each kind (FTS5's ``bm25`` on SQLite, ``ts_rank`` on PostgreSQL, lower ``score`` first), merged,
cut to the page and joined with what a hit shows; snippets are made for the page's rows only.

Snippets come back twice: ``snippet_text`` (plain) and ``snippet_html`` (``markupsafe.Markup``: the
stored text escaped, only the matched words wrapped in ``<mark>``), so no stored text can bring
markup into a page. Pages are keyset pages: ``next_cursor`` is an opaque string to pass back as
``after``; a cursor that does not decode starts from the first page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Date, Float, Integer, String, bindparam, text
from sqlalchemy.orm import Session

from factcheck.domain.search import ALL_KINDS, SearchKind, parse_query, to_fts5, to_tsquery
from factcheck.domain.workflow import SourceKind, Status
from factcheck.models import UTCDateTime

#: Hits on a page unless the caller asks for another number.
PAGE_SIZE = 20
#: The most a caller may ask for.
MAX_PAGE_SIZE = 100
#: Of each kind, at most the newest this many hits are ranked: scoring every item a common word finds
#: (all of them, on a desk of a million items) cost a search seconds. The page says when the cut applied.
MAX_RANKED = 2000

#: Markers the database puts around matched words (private-use characters: stored text holding them
#: can at worst mark more words, as ``marked_html`` only ever writes balanced ``<mark>`` elements).
_OPEN, _CLOSE = "\ue000", "\ue001"
_ELLIPSIS = "…"
#: Words of context in a snippet.
_SNIPPET_WORDS = 24
_KIND_ORDER = {SearchKind.ITEM: 0, SearchKind.ARTICLE: 1, SearchKind.SOURCE: 2}
_KIND_BY_ORDER = {order: kind for kind, order in _KIND_ORDER.items()}


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search. ``status``, ``rating`` and ``claimant`` concern items only (they leave
    articles and sources out); ``outlet`` concerns items (their article's outlet) and articles;
    ``since``/``until`` (days, both included) concern every kind: an item's creation, an article's
    publication day (else its creation), a source's creation."""

    kinds: frozenset[SearchKind] = ALL_KINDS
    status: Status | None = None
    #: A rating key ("false", "mostly-true" …): items whose latest verdict has that rating.
    rating: str | None = None
    #: Part of a claimant's name or alias, any case.
    claimant: str | None = None
    #: Part of an outlet's name or alias, any case.
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def effective_kinds(self) -> frozenset[SearchKind]:
        """The kinds these filters can find."""
        kinds = set(self.kinds)
        if self.status is not None or self.rating or self.claimant:
            kinds &= {SearchKind.ITEM}
        if self.outlet:
            kinds -= {SearchKind.SOURCE}
        return frozenset(kinds)

    def as_args(self) -> dict[str, Any]:
        """The filters as query-string arguments (for the next page's link)."""
        args: dict[str, Any] = {
            "kind": sorted(k.value for k in self.kinds) if self.kinds != ALL_KINDS else None,
            "status": self.status.value if self.status else None, "rating": self.rating,
            "claimant": self.claimant, "outlet": self.outlet,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {k: v for k, v in args.items() if v}


@dataclass(frozen=True)
class SearchHit:
    """One hit, as a list of results shows it."""

    kind: SearchKind
    id: int
    #: Lower is better; comparable within one search only.
    score: float
    #: The item's claim, the article's title, the source's name (plain text).
    title: str
    #: ``title`` escaped, with the matched words marked (articles and sources; items show the snippet).
    title_html: Markup
    snippet_text: str
    snippet_html: Markup
    status: Status | None = None
    #: The label of the rating of the item's latest verdict.
    rating: str | None = None
    claimant: str | None = None
    #: The item's article's outlet, or the article's.
    outlet: str | None = None
    #: The item's article title.
    article_title: str | None = None
    article_id: int | None = None
    source_kind: SourceKind | None = None
    #: The item's creation day, the article's publication day (else its creation), the source's creation.
    day: dt.date | None = None


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, and the cursor of the next page (None on the last)."""

    query: str
    hits: list[SearchHit] = field(default_factory=list)
    next_cursor: str | None = None
    #: The words searched for, as read from the query (empty: nothing to search for).
    words: list[str] = field(default_factory=list)
    #: The kinds of which at least ``MAX_RANKED`` hits matched: only their newest ``MAX_RANKED`` were ranked.
    capped: frozenset[SearchKind] = frozenset()
    #: How many of each kind's newest hits were ranked at most (``MAX_RANKED`` when the search ran).
    ranked: int = 0


# --- cursors -----------------------------------------------------------------------------------------------


#: Where each kind's ranked hits begin (by kind order; None: every hit of the kind is ranked).
Floors = tuple[int | None, int | None, int | None]
#: A decoded cursor: the last hit's (score, kind order, id), and the floors its page ranked from (None: a
#: cursor written before floors travelled in it; they are found again).
Cursor = tuple[float, int, int, Floors | None]


def encode_search_cursor(score: float, kind: SearchKind, hit_id: int, floors: Floors = (None, None, None)) -> str:
    """The position after the hit (score, kind, id), and the floors of the search it belongs to (so that its
    next pages rank the same hits, however many match meanwhile), safe in a URL."""
    written = ",".join("" if f is None else str(f) for f in floors)
    raw = f"{score!r}|{_KIND_ORDER[kind]}|{hit_id}|{written}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_search_cursor(value: str | None) -> Cursor | None:
    """(score, kind order, id, floors) of a cursor, or None when it is missing, mangled or impossible."""
    if not value or len(value) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        parts = raw.split("|")
        if len(parts) not in (3, 4):
            return None
        score, kind, hit_id = float(parts[0]), int(parts[1]), int(parts[2])
        floors: Floors | None = None
        if len(parts) == 4:
            written = parts[3].split(",")
            if len(written) != 3:
                return None
            floors = (_floor(written[0]), _floor(written[1]), _floor(written[2]))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
    if not math.isfinite(score) or kind not in _KIND_BY_ORDER or not 0 <= hit_id <= 2**31 - 1:
        return None
    return score, kind, hit_id, floors


def _floor(text: str) -> int | None:
    """A floor written in a cursor: empty for none, else an id (ValueError when it cannot be one)."""
    if not text:
        return None
    value = int(text)
    if not 0 <= value <= 2**31 - 1:
        raise ValueError(text)
    return value


# --- snippets ---------------------------------------------------------------------------------------------


def marked_html(marked: str) -> Markup:
    """Text with the database's match markers as escaped HTML with ``<mark>`` elements, always balanced."""
    out: list[str] = []
    inside = False
    for char in marked:
        if char == _OPEN:
            if not inside:
                out.append("<mark>")
                inside = True
        elif char == _CLOSE:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(str(escape(char)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


def _plain(marked: str) -> str:
    return marked.replace(_OPEN, "").replace(_CLOSE, "")


# --- the statement ----------------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """``value`` as a database can take it: no NUL (PostgreSQL refuses it), no lone surrogate (UTF-8 cannot
    hold one)."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _like(value: str) -> str:
    escaped = clean_text(value).strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _named(column: str, parameter: str) -> str:
    """A condition: ``column`` (a source id) names a source whose name or an alias contains the parameter."""
    return (f"{column} IN (SELECT id FROM sources WHERE lower(name) LIKE :{parameter} ESCAPE '\\' "
            f"UNION SELECT source_id FROM source_aliases WHERE lower(name) LIKE :{parameter} ESCAPE '\\')")


def _after(cursor: Cursor | None, order: int, score: str, id_column: str) -> str:
    """The condition that a row of kind ``order`` comes after ``cursor`` in (score, kind, id)."""
    if cursor is None:
        return ""
    cursor_kind = cursor[1]
    if order < cursor_kind:
        return f" AND {score} > :after_score"
    if order > cursor_kind:
        return f" AND {score} >= :after_score"
    return f" AND ({score} > :after_score OR ({score} = :after_score AND {id_column} > :after_id))"


class _Statement:
    """Builds the one statement of a page for one dialect."""

    def __init__(self, dialect: str, filters: SearchFilters, cursor: Cursor | None) -> None:
        self.sqlite = dialect == "sqlite"
        self.filters = filters
        self.cursor = cursor
        #: The kinds (by order) of which only the hits from ``:floor_<order>`` on are ranked (``floors``).
        self.cut: frozenset[int] = frozenset()

    def match(self, table: str, alias: str) -> str:
        if self.sqlite:
            return f"{table}_fts MATCH :q"
        return f"{alias}.fts_vector @@ to_tsquery('simple', :q)"

    def score(self, table: str, alias: str, weights: str = "") -> str:
        if self.sqlite:
            return f"bm25({table}_fts{weights})"
        return f"(-CAST(ts_rank({alias}.fts_vector, to_tsquery('simple', :q)) AS float8))"

    def source(self, table: str, alias: str) -> str:
        if self.sqlite:
            return f"{table}_fts JOIN {table} AS {alias} ON {alias}.id = {table}_fts.rowid"
        return f"{table} AS {alias}"

    def row_id(self, table: str, alias: str) -> str:
        """The hit's id as the index reads it (FTS5 walks its rowids in order, and takes a range of them)."""
        return f"{table}_fts.rowid" if self.sqlite else f"{alias}.id"

    def days(self, column: str, *, is_day: bool = False) -> str:
        conditions = []
        if self.filters.since is not None:
            conditions.append(f"{column} >= :since_{'day' if is_day else 'at'}")
        if self.filters.until is not None:
            conditions.append(f"{column} < :until_{'day' if is_day else 'at'}")
        return "".join(f" AND {c}" for c in conditions)

    def items(self) -> str:
        return self._kind(0, "check_items", "c", self.score("check_items", "c"), self.items_where())

    def items_where(self) -> str:
        f = self.filters
        where = self.days("c.created_at")
        if f.status is not None:
            where += " AND c.status = :status"
        if f.rating:
            where += (" AND (SELECT r.key FROM verdicts AS v JOIN ratings AS r "
                      "ON r.id = coalesce(v.final_rating_id, v.rating_id) WHERE v.item_id = c.id "
                      "ORDER BY v.id DESC LIMIT 1) = :rating")
        if f.claimant:
            where += " AND " + _named("c.claimant_id", "claimant")
        if f.outlet:
            where += " AND " + _named("(SELECT outlet_id FROM articles WHERE id = c.article_id)", "outlet")
        return where

    def articles(self) -> str:
        return self._kind(1, "articles", "a", self.score("articles", "a", ", 10.0, 1.0"), self.articles_where())

    def articles_where(self) -> str:
        f = self.filters
        where = ""
        if f.since is not None:
            where += " AND (a.published_on >= :since_day OR (a.published_on IS NULL AND a.created_at >= :since_at))"
        if f.until is not None:
            where += " AND (a.published_on < :until_day OR (a.published_on IS NULL AND a.created_at < :until_at))"
        if f.outlet:
            where += " AND " + _named("a.outlet_id", "outlet")
        return where

    def sources(self) -> str:
        return self._kind(2, "sources", "s", self.score("sources", "s", ", 10.0, 5.0"), self.sources_where())

    def sources_where(self) -> str:
        return self.days("s.created_at") + " AND s.merged_into_id IS NULL"

    def _kind(self, order: int, table: str, alias: str, score: str, where: str) -> str:
        """The best hits of one kind after the cursor; of a kind cut, among its newest ``MAX_RANKED`` (ids from
        ``:floor_<order>`` on, the ``floors`` statement's)."""
        id_column = f"{alias}.id"
        after = _after(self.cursor, order, score, id_column)
        newest = f" AND {self.row_id(table, alias)} >= :floor_{order}" if order in self.cut else ""
        return (f"SELECT * FROM (SELECT {order} AS k, {id_column} AS id, {score} AS score "
                f"FROM {self.source(table, alias)} WHERE {self.match(table, alias)}{where}{after}{newest} "
                f"ORDER BY {score}, {id_column} LIMIT :limit) AS hits_{order}")

    def floors(self, kinds: Iterable[SearchKind]) -> str:
        """One row: for each kind, the id of its ``MAX_RANKED``-th newest hit (NULL when fewer match), found
        walking the index from the newest."""
        parts = {SearchKind.ITEM: (0, "check_items", "c", self.items_where),
                 SearchKind.ARTICLE: (1, "articles", "a", self.articles_where),
                 SearchKind.SOURCE: (2, "sources", "s", self.sources_where)}
        columns = []
        for kind in sorted(kinds, key=_KIND_ORDER.__getitem__):
            order, table, alias, where = parts[kind]
            row_id, conditions = self.row_id(table, alias), where()
            # SQLite reads the table only for conditions on it (the index alone holds the ids).
            source = f"{table}_fts" if self.sqlite and f"{alias}." not in conditions else self.source(table, alias)
            columns.append(f"(SELECT {row_id} FROM {source} WHERE {self.match(table, alias)}"
                           f"{conditions} ORDER BY {row_id} DESC LIMIT 1 OFFSET :ranked_offset) AS floor_{order}")
        return "SELECT " + ", ".join(columns)

    def snippet(self, table: str, column: int, text_expression: str, words: int) -> str:
        """The page row's snippet of ``column`` (-1: the best column on SQLite)."""
        if self.sqlite:
            function = (f"snippet({table}_fts, {column}, :mark_open, :mark_close, :ellipsis, {words})" if words
                        else f"highlight({table}_fts, {column}, :mark_open, :mark_close)")
            return f"(SELECT {function} FROM {table}_fts WHERE {table}_fts MATCH :q AND rowid = page.id)"
        options = ":headline_short" if words else ":headline_whole"
        return f"ts_headline('simple', {text_expression}, to_tsquery('simple', :q), {options})"

    def page(self, kinds: Iterable[SearchKind]) -> str:
        parts = {SearchKind.ITEM: self.items, SearchKind.ARTICLE: self.articles, SearchKind.SOURCE: self.sources}
        union = " UNION ALL ".join(parts[k]() for k in sorted(kinds, key=_KIND_ORDER.__getitem__))
        item_text = "c.claim_text || ' ' || coalesce(c.restatement, '')"
        aliases = ("coalesce((SELECT string_agg(name, ' ' ORDER BY id) FROM source_aliases "
                   "WHERE source_id = s.id), '')")
        article_text = "left(a.text, 200000)"
        source_text = f"s.name || ' ' || {aliases}"
        return (
            f"WITH page AS (SELECT * FROM ({union}) AS hits ORDER BY score, k, id LIMIT :limit) "
            "SELECT page.k, page.id, page.score, "
            f"CASE page.k WHEN 0 THEN {self.snippet('check_items', -1, item_text, _SNIPPET_WORDS)} "
            f"WHEN 1 THEN {self.snippet('articles', 1, article_text, _SNIPPET_WORDS)} "
            f"ELSE {self.snippet('sources', -1, source_text, _SNIPPET_WORDS)} "
            "END AS snippet, "
            f"CASE page.k WHEN 1 THEN {self.snippet('articles', 0, 'a.title', 0)} "
            f"WHEN 2 THEN {self.snippet('sources', 0, 's.name', 0)} END AS title_marked, "
            "c.claim_text, c.status, c.created_at AS item_created_at, claimant.name AS claimant, "
            "a.id AS article_id, a.title AS article_title, a.published_on, a.created_at AS article_created_at, "
            "outlet.name AS outlet, s.name AS source_name, s.kind AS source_kind, s.created_at AS source_created_at, "
            "(SELECT r.label FROM verdicts AS v JOIN ratings AS r ON r.id = coalesce(v.final_rating_id, v.rating_id) "
            " WHERE v.item_id = c.id ORDER BY v.id DESC LIMIT 1) AS rating "
            "FROM page "
            "LEFT JOIN check_items AS c ON page.k = 0 AND c.id = page.id "
            "LEFT JOIN sources AS claimant ON claimant.id = c.claimant_id "
            "LEFT JOIN articles AS a ON a.id = CASE page.k WHEN 1 THEN page.id WHEN 0 THEN c.article_id END "
            "LEFT JOIN sources AS outlet ON outlet.id = a.outlet_id "
            "LEFT JOIN sources AS s ON page.k = 2 AND s.id = page.id "
            "ORDER BY page.score, page.k, page.id"
        )


def _headline_options(words: int) -> str:
    common = f'StartSel="{_OPEN}", StopSel="{_CLOSE}", FragmentDelimiter=" {_ELLIPSIS} "'
    if not words:
        return common + ", HighlightAll=true"
    return common + f", MaxWords={words}, MinWords={max(1, words // 2)}, MaxFragments=2"


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def search(session: Session, query: str, *, filters: SearchFilters | None = None, after: str | None = None,
           limit: int = PAGE_SIZE) -> SearchPage:
    """A page of what ``query`` finds, best first, narrowed by ``filters``, after the cursor ``after``.

    Never raises for any ``query`` text (operators, quotes, odd Unicode are read as words; see
    ``factcheck.domain.search``); an empty query, or filters no kind can meet, give an empty page.
    """
    filters = filters or SearchFilters()
    if filters.until == dt.date.max:  # every day is until the last one, and it has no next day to bound by
        filters = replace(filters, until=None)
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    parsed = parse_query(query)
    kinds = filters.effective_kinds()
    if parsed.is_empty or not kinds or (filters.since and filters.until and filters.since > filters.until):
        return SearchPage(query, [], None, parsed.words())
    dialect = session.get_bind().dialect.name
    cursor = decode_search_cursor(after)
    statement = _Statement(dialect, filters, cursor)
    parameters: dict[str, Any] = {
        "q": to_fts5(parsed) if dialect == "sqlite" else to_tsquery(parsed), "limit": limit + 1,
        "mark_open": _OPEN, "mark_close": _CLOSE, "ellipsis": _ELLIPSIS,
        "headline_short": _headline_options(_SNIPPET_WORDS), "headline_whole": _headline_options(0),
        "status": filters.status.value if filters.status else None, "rating": filters.rating,
        "claimant": _like(filters.claimant) if filters.claimant else None,
        "outlet": _like(filters.outlet) if filters.outlet else None,
        "since_day": filters.since, "until_day": filters.until + dt.timedelta(days=1) if filters.until else None,
        "since_at": dt.datetime.combine(filters.since, dt.time(), dt.UTC) if filters.since else None,
        "until_at": (dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC)
                     if filters.until else None),
        "after_score": cursor[0] if cursor else None, "after_id": cursor[2] if cursor else None,
        "ranked_offset": MAX_RANKED - 1,
    }
    if dialect == "postgresql":
        # The same statements serve every query, rare words and words of every item alike; a plan made once
        # for all of them (PostgreSQL's generic plan of a prepared statement) ranked a common word's hits ten
        # times slower than plans made for the words and the floor at hand.
        session.execute(_CUSTOM_PLANS)
    # First where each kind's newest MAX_RANKED hits begin (a next page's cursor brings its first page's); then
    # the page ranks only the hits from there on, the floors bound as values, so that PostgreSQL plans the page
    # knowing how few rows that leaves.
    floors: Floors
    if cursor is not None and cursor[3] is not None:
        floors = cursor[3]
    else:
        found = session.execute(_typed(statement.floors(kinds), parameters)).one()._mapping
        floors = tuple(found.get(f"floor_{order}") for order in range(3))  # type: ignore[assignment]  # three kinds
    parameters.update({f"floor_{order}": int(value) for order, value in enumerate(floors) if value is not None})
    statement.cut = frozenset(order for order, value in enumerate(floors)
                              if value is not None and _KIND_BY_ORDER[order] in kinds)
    rows = session.execute(_typed(statement.page(kinds), parameters)).all()
    hits = [_hit(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit and hits:
        last = hits[-1]
        next_cursor = encode_search_cursor(last.score, last.kind, last.id, floors)
    capped = frozenset(_KIND_BY_ORDER[order] for order in statement.cut)
    return SearchPage(query, hits, next_cursor, parsed.words(), capped, MAX_RANKED)


_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


def _typed(sql: str, parameters: dict[str, Any]) -> Any:
    """``sql`` with the parameters it names bound, each with its type."""
    used = {name: value for name, value in parameters.items() if f":{name}" in sql}
    return text(sql).bindparams(*[bindparam(name, value, type_=_PARAMETER_TYPES.get(name, String()))
                                  for name, value in used.items()])


_PARAMETER_TYPES: dict[str, Any] = {
    "limit": Integer(), "ranked_offset": Integer(), "floor_0": Integer(), "floor_1": Integer(), "floor_2": Integer(),
    "since_day": Date(), "until_day": Date(),
    "since_at": UTCDateTime(), "until_at": UTCDateTime(), "after_score": Float(), "after_id": Integer(),
}


def _hit(row: Any) -> SearchHit:
    kind = _KIND_BY_ORDER[int(row.k)]
    snippet = row.snippet or ""
    marked_title = row.title_marked
    source_created = row.source_created_at
    if kind is SearchKind.ITEM:
        title = row.claim_text
        day = _day(row.item_created_at)
    elif kind is SearchKind.ARTICLE:
        title = row.article_title
        day = _day(row.published_on) or _day(row.article_created_at)
    else:
        title = row.source_name
        day = _day(source_created)
    title_html = marked_html(marked_title) if marked_title else Markup(escape(title))
    return SearchHit(
        kind=kind, id=int(row.id), score=float(row.score), title=title, title_html=title_html,
        snippet_text=_plain(snippet), snippet_html=marked_html(snippet),
        status=Status(row.status) if row.status else None, rating=row.rating, claimant=row.claimant,
        outlet=row.outlet, article_title=row.article_title if kind is SearchKind.ITEM else None,
        article_id=row.article_id, source_kind=SourceKind(row.source_kind) if row.source_kind else None, day=day,
    )
