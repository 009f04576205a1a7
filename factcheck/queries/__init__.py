"""Read models for pages: each function runs a fixed, small number of queries and returns plain data.

Queries never write. Pages call them instead of walking relationships in templates, so the
number of SQL statements a page issues does not grow with the number of rows it shows.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any
from collections.abc import Sequence

from sqlalchemy import BindParameter, Integer, bindparam

__all__ = ["COUNT_CAP", "capped_rows", "capped_total", "decode_cursor", "encode_cursor", "row_limit"]


def row_limit(name: str = "limit") -> BindParameter[int]:
    """A LIMIT given at execution as ``name``: a whole number, which PostgreSQL's statements carry written
    in (``db._write_limits_in``), so it must be typed."""
    return bindparam(name, type_=Integer)

#: Header counts stop here ("200+ waiting"): counting every row of a list thousands long would
#: cost as much as the rest of the page, and past a few hundred the exact number tells nobody anything.
COUNT_CAP = 200


def capped_rows(statement: Any, cap: int = COUNT_CAP) -> Any:
    """The rows of ``statement`` as a subquery, at most ``cap + 1`` of them: enough to count up to
    the cap and to tell whether there are more, without reading the whole list."""
    return statement.limit(cap + 1).subquery()


def capped_total(counted: int, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """The header count shown for ``counted`` rows of :func:`capped_rows`, and whether it is capped
    (shown as "200+")."""
    return (cap, True) if counted > cap else (counted, False)


def encode_cursor(priority: float, changed_at: dt.datetime, item_id: int) -> str:
    """A keyset-pagination cursor for the row (priority, status_changed_at, id), safe in a URL."""
    raw = f"{priority!r}|{changed_at.isoformat()}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> tuple[float, dt.datetime, int] | None:
    """The row a cursor points after, or None when it is missing or was tampered with."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        priority, changed, item_id = raw.split("|")
        changed_at = dt.datetime.fromisoformat(changed)
        if changed_at.tzinfo is None:
            changed_at = changed_at.replace(tzinfo=dt.UTC)
        return float(priority), changed_at, int(item_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None


#: The names ``after_work_position`` binds a cursor's values to.
CURSOR_PARAMETERS = ("after_priority", "after_changed", "after_id")


def after_work_position() -> Any:
    """``after_cursor`` on the work order (priority, status change, id) with the cursor's values bound, for
    statements built once; ``cursor_parameters`` gives the values."""
    from sqlalchemy import bindparam

    from factcheck.models import CheckItem

    return after_cursor((CheckItem.priority, CheckItem.status_changed_at, CheckItem.id),
                        (bindparam("after_priority"), bindparam("after_changed", type_=CheckItem.status_changed_at.type),
                         bindparam("after_id")))


def cursor_parameters(position: tuple[float, dt.datetime, int]) -> dict[str, Any]:
    """A decoded cursor's values for ``after_work_position``."""
    return dict(zip(CURSOR_PARAMETERS, position, strict=True))


def after_cursor(columns: Sequence[Any], cursor: tuple[Any, Any, Any]) -> Any:
    """SQL condition: the row comes after ``cursor`` in (priority DESC, status_changed_at ASC, id ASC)."""
    from sqlalchemy import and_, or_

    priority, changed_at, item_id = columns
    p, c, i = cursor
    return or_(priority < p,
               and_(priority == p, or_(changed_at > c, and_(changed_at == c, item_id > i))))
