"""Where to go after an action: only paths on this site are followed (no open redirects)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def is_same_site_path(target: str | None) -> bool:
    """True when ``target`` is a path on this site, such as ``/items/12?tab=evidence``.

    Refused: anything not starting with exactly one ``/`` ("//evil.example" is another host to a
    browser), a backslash anywhere (browsers read "/\\evil.example" as "//evil.example"), control
    and other invisible characters (browsers drop tabs and line breaks, so "/\\t/evil.example" would
    become "//evil.example"), and anything with a scheme or a host ("/https://…" is a path and is
    allowed; "https://…" is not).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target:
        return False
    if any(unicodedata.category(char)[0] in "CZ" and char != " " for char in target):
        return False  # control (Cc), format (Cf), unassigned and odd space characters
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default``."""
    return target if target is not None and is_same_site_path(target) else default
