"""Throttles: a counter per key and time window in the database, so every process shares it.

Used to slow down password guessing from one client address, and adding articles per user. The
per-account lock lives in ``services.users``; for sign-ins with an email no account has, it keeps
the same count here (``read`` / ``store``), so the answers do not tell which accounts exist.

``RedisCounts`` keeps the same kind of counter in Redis, for the API's requests when Redis is configured:
counted there, a request commits nothing (see its docstring).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from factcheck.models import Throttle, utcnow


def _upsert(session: Session) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT … ON CONFLICT (both SQLite and PostgreSQL have one)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(Throttle)
    return sqlite.insert(Throttle)


_HITS: dict[str, Any] = {}


def _hit_statement(session: Session) -> Any:
    """The dialect's counting upsert, built once per dialect with parameters (building it cost more
    than running it, on every API request)."""
    dialect = session.get_bind().dialect.name
    statement = _HITS.get(dialect)
    if statement is None:
        table = Throttle.__table__
        started, count = table.c["window_start"], table.c["count"]
        expired = started < bindparam("window_began", type_=started.type)
        amount = bindparam("amount", type_=count.type)
        statement = _upsert(session).values(
            key=bindparam("key"), window_start=bindparam("now", type_=started.type), count=amount,
        ).on_conflict_do_update(
            index_elements=[table.c["key"]],
            set_={
                "count": case((expired, amount), else_=count + amount),
                "window_start": case((expired, bindparam("now", type_=started.type)), else_=started),
            },
        ).returning(count)
        _HITS[dialect] = statement
    return statement


def hit(session: Session, key: str, limit: int, window_seconds: int, *, now: dt.datetime | None = None,
        amount: int = 1) -> bool:
    """Count one attempt for ``key`` (``amount``: as many as that, an upload of several articles); True while the
    count in the current window is within ``limit``.

    One atomic INSERT … ON CONFLICT DO UPDATE … RETURNING, so two processes counting at the same
    moment both land: neither reads a stale count and overwrites the other's.
    """
    now = now or utcnow()
    window_began = now - dt.timedelta(seconds=window_seconds)
    attempts: int = session.execute(_hit_statement(session),
                                    {"key": key[:200], "now": now, "window_began": window_began,
                                     "amount": max(1, amount)}).scalar_one()
    session.flush()
    return attempts <= limit


def forget_ended(session: Session, prefix: str, window_seconds: int, *, now: dt.datetime | None = None) -> int:
    """Delete the counts of keys beginning with ``prefix`` whose window ended (they hold nothing any more: keys used
    once, such as an opened form's); how many."""
    now = now or utcnow()
    deleted = session.execute(delete(Throttle).where(
        Throttle.key.startswith(prefix, autoescape=True),
        Throttle.window_start < now - dt.timedelta(seconds=window_seconds)))
    session.flush()
    return int(getattr(deleted, "rowcount", 0) or 0)


def is_blocked(session: Session, key: str, limit: int, window_seconds: int, *,
               now: dt.datetime | None = None) -> bool:
    """True when ``key`` has used up its ``limit`` in the current window (reads only)."""
    now = now or utcnow()
    row = session.execute(
        select(Throttle.count, Throttle.window_start).where(Throttle.key == key[:200])
    ).first()
    if row is None:
        return False
    count, started = row
    return started >= now - dt.timedelta(seconds=window_seconds) and count >= limit


def retry_after(session: Session, key: str, window_seconds: int, *, now: dt.datetime | None = None) -> int:
    """Seconds until ``key``'s current window ends (at least 1)."""
    now = now or utcnow()
    started = session.scalar(select(Throttle.window_start).where(Throttle.key == key[:200]))
    if started is None:
        return 1
    return max(1, int((started + dt.timedelta(seconds=window_seconds) - now).total_seconds()))


def read(session: Session, key: str) -> tuple[dt.datetime, int] | None:
    """The window start and count stored under ``key``, or None."""
    row = session.execute(select(Throttle.window_start, Throttle.count).where(Throttle.key == key[:200])).first()
    return (row[0], row[1]) if row is not None else None


def store(session: Session, key: str, window_start: dt.datetime, count: int) -> None:
    """Set ``key``'s window start and count, inserting the row when there is none."""
    statement = _upsert(session).values(key=key[:200], window_start=window_start, count=count)
    session.execute(statement.on_conflict_do_update(
        index_elements=[Throttle.__table__.c["key"]],
        set_={"window_start": statement.excluded.window_start, "count": statement.excluded.count},
    ))
    session.flush()


#: Redis: count one hit of KEYS[1] and give back the count and the seconds left in its window of ARGV[1] seconds,
#: which starts with its first hit (as the database's does). One script runs whole, so two processes counting at
#: once both land, and no count is ever left without its expiry.
_REDIS_HIT = """
local count = redis.call('INCR', KEYS[1])
local left = redis.call('TTL', KEYS[1])
if left < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
"""


class RedisCounts:
    """Hits counted in Redis, each key in fixed windows that start with their first hit, as ``hit`` counts them in
    the database.

    For the API's per-token counts (``FACTCHECK_REDIS_URL``): counted in the database, every API request
    committed a write, which moves the database's version (``db.data_version``), so every page kept under it
    (``web.readercache``) was made again, in every worker on PostgreSQL. Counted here, a request that writes
    nothing commits nothing. ``client`` is a ``redis.Redis``; its errors reach the caller.
    """

    def __init__(self, client: Any, prefix: str) -> None:
        self._hit = client.register_script(_REDIS_HIT)
        self.prefix = prefix

    def hit(self, key: str, limit: int, window_seconds: int) -> int | None:
        """Count one hit of ``key``: None while its window's count is within ``limit``, else the seconds until
        the window ends (at least 1)."""
        count, left = self._hit(keys=[f"{self.prefix}:{key}"], args=[window_seconds])
        return None if int(count) <= limit else max(1, int(left))
