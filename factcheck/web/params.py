"""Numbers from URLs: ids in paths and ids, pages and cursors in query strings.

The databases refuse integers their columns cannot hold (SQLite beyond 2**63 − 1 with an
OverflowError; PostgreSQL beyond 2**31 − 1 for our ``integer`` ids, "integer out of range"), and
Python refuses to read more than 4,300 digits. So a number no row can have is answered here, before
any query runs: a path that does not match (404) or a plain 400.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map, ValidationError

from factcheck.models import MAX_ID
from factcheck.queries import decode_cursor

_MAX_DIGITS = len(str(MAX_ID))
#: Timestamps a cursor may carry: the app's rows are all newer than 1970 and older than 9000.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


class IdConverter(IntegerConverter):
    """``<int:…>`` that only matches 0 … MAX_ID, so a bigger number is a 404 on every route."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("0")) > _MAX_DIGITS:  # never hand Python thousands of digits to read
            raise ValidationError()
        return super().to_python(value)


def whole_number(raw: str, name: str, *, low: int = 0, high: int = MAX_ID) -> int:
    """``raw`` as a whole number in [low, high], or a 400 page that says what is wrong."""
    digits = raw.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits.lstrip("0")) > _MAX_DIGITS \
            or not low <= int(digits) <= high:
        abort(400, description=f"The parameter “{name}” must be a whole number from {low:,} to {high:,}.")
    return int(digits)


def int_arg(name: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """The query argument ``name`` as a whole number in [low, high]; None when absent or blank; else 400."""
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return None
    return whole_number(raw, name, low=low, high=high)


def cursor_arg(name: str = "after") -> str | None:
    """A keyset cursor from the query string, checked before it reaches the database.

    A cursor that does not decode starts the list from the top, as before (an old or mangled
    link); one that decodes to a position no row can have (an infinite priority, a year-1
    timestamp, an id beyond MAX_ID) was made by hand and gets a plain 400.
    """
    raw = request.args.get(name)
    if not raw or len(raw) > 200:
        return None
    position = decode_cursor(raw)
    if position is None:
        return None
    priority, changed_at, item_id = position
    try:
        in_range = (math.isfinite(priority) and EARLIEST <= changed_at <= LATEST and 0 <= item_id <= MAX_ID)
    except (OverflowError, ValueError):
        in_range = False
    if not in_range:
        abort(400, description=f"The parameter “{name}” must be a page link from this site; this one "
                               "points at a row that cannot exist. Start from the first page.")
    return raw


#: Query arguments that hold an id, a page or a count on every page that reads them.
NUMBER_ARGUMENTS = ("after", "before", "article", "page", "limit")


def refuse_impossible_numbers() -> None:
    """Before any view: a whole number no id column can hold, in an argument that names one, is a 400.

    Views parse their arguments with ``int_arg`` and ``cursor_arg``; this catches the number in a
    view that reads one another way, before it reaches Python's digit limit or the database.
    """
    for name in NUMBER_ARGUMENTS:
        for raw in request.args.getlist(name):
            digits = raw.strip().lstrip("#")
            if digits.isdigit() and (not digits.isascii() or len(digits.lstrip("0")) > _MAX_DIGITS
                                     or int(digits) > MAX_ID):
                abort(400, description=f"The parameter “{name}” must be a whole number from 0 to {MAX_ID:,}.")
