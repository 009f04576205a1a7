"""What a link the desk stores must be: one rule for every place a link comes in (evidence, an article's address,
an imported review's address) and for the backup, which must take back everything they stored.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: The longest link a column holds (``String(2000)``).
MAX_LINK_CHARS = 2000


def link_problem(value: str, *, max_chars: int | None = MAX_LINK_CHARS) -> str | None:
    """Why ``value`` is not a link the desk stores, in words that finish "The link …"; None when it is one:
    http:// or https:// and a site after it, at most ``max_chars`` characters (None: its length is told apart by
    the caller), readable as a link."""
    if max_chars is not None and len(value) > max_chars:
        return f"must be at most {max_chars:,} characters long (it has {len(value):,})"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a link a browser can open"
    if parts.scheme.lower() not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.netloc:
        return "must name a site after http:// or https://"
    return None
