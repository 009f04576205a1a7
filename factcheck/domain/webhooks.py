"""Webhooks: the events a desk tells other systems about, how a delivery is signed, when it is retried,
and which addresses a hook may point at. Plain Python; the services store and send.

Signature: ``X-Factcheck-Signature: t=<unix seconds>,v1=<hex>``, where ``hex`` is
HMAC-SHA256 with the hook's secret over ``"<t>." + raw body`` (UTF-8 bytes). A receiver recomputes
it over the body exactly as received, compares in constant time, and refuses a ``t`` too far from
its own clock (``verify_signature``; see docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import string
from enum import StrEnum
from urllib.parse import urlsplit


class EventKind(StrEnum):
    """What happened, as a receiver sees it in ``type`` and ``X-Factcheck-Event``."""

    #: A verdict was approved and published.
    VERDICT_PUBLISHED = "verdict.published"
    #: An editor reopened a published verdict for a correction (tier and public note).
    VERDICT_CORRECTED = "verdict.corrected"
    #: A reader's submission became a check item (emitted by the public inbox).
    ITEM_SUBMITTED = "item.submitted"


class DeliveryState(StrEnum):
    """Where one delivery of one event to one hook stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


#: The header that carries the signature.
SIGNATURE_HEADER = "X-Factcheck-Signature"
#: A receiver should refuse signatures older (or newer) than this.
TOLERANCE_SECONDS = 300
#: Attempts before a delivery is given up (the first one included).
MAX_ATTEMPTS = 8
#: The wait before the second attempt; doubled after each failure, up to MAX_DELAY_SECONDS.
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 6 * 3600


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds of ``now``."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    # As bytes: compare_digest raises on a str with other than ASCII characters (a forged header may hold any).
    return hmac.compare_digest(expected.encode(), parts.get("v1", "").encode())


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min … at most 6 hours."""
    return int(min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** max(0, attempts - 1)))


# --- where a hook may point --------------------------------------------------------------------------------


class UrlRefused(ValueError):
    """A hook URL the desk will not send to; the message says why in plain words."""


def check_url_form(url: str) -> str:
    """``url`` stripped, when it is an absolute http(s) URL with a host and no credentials; else UrlRefused."""
    url = url.strip()
    if len(url) > 2000:
        raise UrlRefused("The URL is longer than 2,000 characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("This is not a URL a webhook can be sent to.") from None
    if parts.scheme not in ("http", "https"):
        raise UrlRefused("A webhook URL must start with https:// (or http://).")
    if not parts.hostname:
        raise UrlRefused("A webhook URL needs a host name, such as https://hooks.example.org/factcheck.")
    if parts.username or parts.password:
        raise UrlRefused("Put no user name or password in the URL; receivers check the signature instead.")
    if port == 0:
        raise UrlRefused("Port 0 is no port a receiver can listen on.")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise UrlRefused("A URL cannot contain spaces or control characters.")
    if not url.isascii():  # (no request could carry it: every attempt would fail)
        raise UrlRefused("Write the URL in ASCII: percent-encode other characters in its path (é as %C3%A9) and "
                         "give a host name in its xn-- form.")
    return url


def destination_key(url: str) -> str:
    """What makes two hook URLs one receiver, as RFC 3986 (section 6.2.2) compares them: scheme and host in
    any case (a trailing dot or not), the default port written or not, an empty path as "/", "." and ".."
    segments resolved, percent-encodings of unreserved characters decoded and the others' hex digits in
    upper case (``/%7Ehook`` is ``/~hook``, ``%2f`` is ``%2F`` but never ``/``), the fragment (never sent)
    left out.

    ``url`` must have passed ``check_url_form``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port
    host = (parts.hostname or "").lower().rstrip(".")  # "example.org." is the fully qualified example.org
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or port == {"http": 80, "https": 443}.get(scheme) else f"{host}:{port}"
    path = _without_dot_segments(_normal_percent(parts.path)) or "/"
    query = _normal_percent(parts.query)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def _normal_percent(part: str) -> str:
    """``part`` with each percent-encoding as RFC 3986 compares it: an unreserved character decoded, any other
    kept encoded with its hex digits in upper case."""
    def one(match: re.Match[str]) -> str:
        character = chr(int(match.group(1), 16))
        return character if character in _UNRESERVED else "%" + match.group(1).upper()
    return _PERCENT.sub(one, part)


def _without_dot_segments(path: str) -> str:
    """``path`` with its "." and ".." segments resolved (RFC 3986, section 5.2.4)."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)


def address_refusal(address: str, *, allow_private: bool) -> str | None:
    """Why the desk will not send to ``address`` (an IP), or None when it may.

    Link-local addresses (cloud metadata services answer at 169.254.169.254), multicast, unspecified
    and reserved ones are always refused. Loopback and private networks are refused unless
    ``allow_private`` (an on-premises desk whose receivers sit on its own network).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an address."
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return f"{ip} is a link-local address (where cloud metadata services answer); webhooks never go there."
    if ip.is_multicast or ip.is_unspecified:
        return f"{ip} is not an address a receiver can have."
    if ip.is_loopback or ip.is_private:
        return None if allow_private else (
            f"{ip} is on a private network or this machine; an admin may allow private addresses "
            "with FACTCHECK_WEBHOOK_ALLOW_PRIVATE=1 for receivers on the desk's own network.")
    if ip.is_reserved or not ip.is_global:
        return f"{ip} is not an address a receiver can have."
    return None
