"""Addresses of many rows at once: a list page builds each route once and puts each row's number in it.

``url_for`` matches the route and quotes every value on each call: fifty rows with four links each
cost more than the page's statement. ``id_url`` builds the address once around a sentinel number
and returns a function that writes another number in its place, with ``url_for``'s own result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

#: Numbers no route shortens or quotes: where the first appears in the sample address, the row's
#: goes; the second checks that writing a number there gives ``url_for``'s address (a converter
#: that pads or formats numbers would not).
_SENTINEL = 987654321987654321
_CHECK = 7


def id_url(endpoint: str, key: str = "item_id", **values: Any) -> Callable[[int], str]:
    """``lambda n: url_for(endpoint, **{key: n}, **values)``, with the route built once.

    Falls back to ``url_for`` per call when the route writes numbers otherwise than in digits.
    """
    def build(n: int) -> str:
        arguments: dict[str, Any] = {**values, key: n}
        return url_for(endpoint, **arguments)

    sample = build(_SENTINEL)
    head, found, tail = sample.partition(str(_SENTINEL))
    if not found or str(_SENTINEL) in tail or build(_CHECK) != f"{head}{_CHECK}{tail}":
        return build
    return lambda n: f"{head}{n}{tail}"
