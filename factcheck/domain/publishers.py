"""Fact-checkers an archive names, known by their address or their name: one table for who rated a review
(``archives.publisher_name``) and how to read its numbers (``labels.publisher_scale``).

A publisher is known only by an exact match: its site or a subdomain of it (``www.``), or its name as a whole.
A part of a name or an address is not enough ("Plaza Pública", at plazapublica.com.gt, is not Agência Pública).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.domain.names import domain_key, fold


@dataclass(frozen=True, slots=True)
class Publisher:
    """A fact-checker: its key (``labels.PUBLISHER_SCALES``), its name, its sites and the names it goes by."""

    key: str
    name: str
    #: Hosts whose pages are its own (a subdomain of one counts too).
    hosts: tuple[str, ...]
    #: Its name, and others it is known by, folded (``names.fold``, without spaces).
    names: tuple[str, ...]
    #: Hosts shared with others, with the first part of the path under which its pages are.
    paths: tuple[tuple[str, str], ...] = ()


KNOWN = (
    Publisher("aosfatos", "Aos Fatos", ("aosfatos.org",), ("aosfatos",)),
    Publisher("apublica", "Agência Pública", ("apublica.org",), ("agenciapublica", "apublica")),
    # Lupa is published under piaui.folha.uol.com.br/lupa (FACTCK.BR writes "https:piaui.folha.uol.com.brlupa").
    Publisher("lupa", "Agência Lupa", ("lupa.uol.com.br", "piaui.folha.uol.com.brlupa"), ("agencialupa", "lupa"),
              (("piaui.folha.uol.com.br", "lupa"),)),
    Publisher("politifact", "PolitiFact", ("politifact.com",), ("politifact",)),
)

#: An address: http: or https: (with or without its slashes), or a host name with a dot and perhaps a path.
_ADDRESS = re.compile(r"^(https?:|[a-z0-9-]+(\.[a-z0-9-]+)+(/|$))", re.IGNORECASE)


def is_address(value: str) -> bool:
    """Whether ``value`` is written as an address rather than a name."""
    return bool(_ADDRESS.match(value.strip()))


def known_publisher(value: str | None) -> Publisher | None:
    """The known fact-checker ``value`` (a name or an address) is, or None."""
    if not value or not value.strip():
        return None
    if is_address(value):
        host = domain_key(value)
        path = re.sub(r"^[a-z][a-z0-9+.-]*:/*", "", value.strip().lower()).split("/")[1:2]
        for publisher in KNOWN:
            if any(host == known or host.endswith("." + known) for known in publisher.hosts):
                return publisher
            if any(host == shared and path == [first] for shared, first in publisher.paths):
                return publisher
        return None
    folded = fold(value).replace(" ", "")
    return next((publisher for publisher in KNOWN if folded in publisher.names), None)
