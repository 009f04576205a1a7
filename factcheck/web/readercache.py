"""Readers' pages kept in each worker: a verdict page, a report or the ClaimReview feed made once for every
reader who asks for it until something is committed.

Only requests of somebody not signed in are served from it (staff see drafts and their own name; their
pages are never kept), and only whole 200 answers are kept. Answers that name nobody and hold no form (the
feed, a report as JSON or CSV: ``for_readers_and_staff``) are kept for staff too, one for all of them (they
differ from a reader's only by the drafts staff see), and served to them as private. A page is kept under the database's
``data_version`` read before it is made, which changes with every commit that may change what it shows
(on PostgreSQL the snapshot, on SQLite a count moved by every commit this process makes and every
commit of another it notices), so a kept page is never older than the data a reader would otherwise get.
Each answer carries an ETag from that version: a reader's browser or a crawler asking again with it gets
304 until something changes. The pages kept are those of the latest version seen, bounded by their size (``READER_CACHE_MB`` a worker,
half for readers' pages and half for the desk's; 0 keeps none).

A page is kept only under the address the app itself writes for it (``_own_address``, ``_ReadArgs``): the same
page asked for as ``/verdicts/001``, ``/verdicts/１``, ``?page=02``, ``?page=%202`` or ``?page=2&page=2`` is made
for the request and not kept, so nobody can fill the cache with copies of one page and push out the pages in use.

The desk's pages (``for_desk``, ``for_desk_per_user``) are kept for staff in the same way, with what is the
viewer's own cut out: the page is kept for everybody holding the same roles (``for_desk``: what it shows
depends on nothing else of the viewer) or for the one viewer (``for_desk_per_user``: their work, their
leases), and what names the viewer, their unread count and the forms' CSRF token, is written into the kept
page for each request (``web.viewer``). Those pages show ages ("5 min") and leases that run out, so they are
kept within the minute they were made, as well as within the database's version: they are kept apart from
readers' pages, under the version and the minute, so a new minute frees them and the desk's browsing never
pushes out the pages readers are served.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from cachetools import LRUCache
from flask import Flask, Response, current_app, g, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import BuildError
from markupsafe import Markup

from factcheck.config import setting
from factcheck.db import data_version
from factcheck.domain.permissions import Capability
from factcheck.web import db_session, viewer
from factcheck.web.access import may

F = TypeVar("F", bound=Callable[..., Any])

#: Headers a kept answer carries again (the request hooks add the rest to every answer).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


#: Marks where a kept desk page holds a viewer's part or the CSRF token: a nonce of this process, so no text
#: a page shows (an article's, a note's) can pass for one.
_NONCE = secrets.token_hex(8)
_PART = re.compile("\x00" + _NONCE + r":(\w+)\x00")


def _mark(name: str) -> str:
    return f"\x00{_NONCE}:{name}\x00"


@dataclass(frozen=True, slots=True)
class _Kept:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    #: A desk page: its body split at the viewer's parts (bytes, part's name, bytes, …); ``body`` is then empty.
    parts: tuple[bytes | str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(part) for part in self.parts) + ENTRY_OVERHEAD


#: Bytes a kept answer takes beyond its body's and its key's: the objects that hold it, its headers and its key's
#: four strings, and its place in the cache's dictionaries and order (measured with ``tracemalloc``: about 850).
ENTRY_OVERHEAD = 1_000


@dataclass(frozen=True, slots=True)
class _Entry:
    """A kept answer and what it takes with its key (a key holds the request's path and query, which a visitor
    chooses: a long query string costs as much as the page)."""

    kept: _Kept
    size: int


class ReaderCache:
    """Answers kept by key for the database's latest version seen: a new version drops the others' (they can
    never be served again), and within one the least recently used go first once they pass ``max_bytes``
    (answers and their keys counted)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._kept: LRUCache[tuple[str, ...], _Entry] = LRUCache(maxsize=max(max_bytes, 1),
                                                                 getsizeof=lambda entry: entry.size)
        self._version: str | None = None
        self._lock = threading.Lock()

    def get(self, version: str, key: tuple[str, ...]) -> _Kept | None:
        with self._lock:
            if version != self._version:
                self._kept.clear()
                self._version = version
                return None
            entry = self._kept.get(key)
            return None if entry is None else entry.kept

    def put(self, version: str, key: tuple[str, ...], kept: _Kept) -> None:
        size = kept.size + sum(len(part) for part in key)
        if size > self.max_bytes:
            return  # larger than the whole cache: not kept
        with self._lock:
            if version == self._version:  # else made under a version already gone
                self._kept[key] = _Entry(kept, size)

    @property
    def size(self) -> int:
        """The bytes the kept answers take (as counted for the bound)."""
        with self._lock:
            return int(self._kept.currsize)


def init_app(app: Flask) -> None:
    """Give ``app`` its caches (one each a process: a worker forked after this starts with them empty): readers'
    pages, and the desk's apart (``for_desk``), half of ``READER_CACHE_MB`` each."""
    half = int(setting(app.config, "READER_CACHE_MB")) * 1024 * 1024 // 2
    app.extensions["factcheck.readercache"] = ReaderCache(half)
    app.extensions["factcheck.deskcache"] = ReaderCache(half)


def for_readers(view: F) -> F:
    """Serve ``view``'s answers to readers (not signed in) from the cache while the database has not changed."""
    return _kept(view, staff=None)


def for_readers_and_staff(view: F) -> F:
    """``for_readers``, and serve staff too, one answer kept for all of them: for views whose answer depends on
    who asks only by whether they see drafts (no name, no form, nothing of their session)."""
    return _kept(view, staff="alike")


def for_desk(view: F) -> F:
    """Keep ``view``'s page for everybody signed in with the same roles, the viewer's own parts written in for
    each request: for pages that show nothing else of who asks (and ``for_readers`` for readers, where they may
    open it)."""
    return _kept(view, staff="roles")


def for_desk_per_user(view: F) -> F:
    """``for_desk``, kept for the one viewer: for pages made of their work (my work, the queue, an item)."""
    return _kept(view, staff="user")


def _minute() -> int:
    """The minute now (desk pages show ages and leases: they are kept within the minute they were made)."""
    return int(time.time() // 60)


def not_kept() -> None:
    """This request's answer is made for it alone (a view calls it): a page any number of which are valid, such as
    the next pages of a list from any cursor, would otherwise fill the cache and push out the pages in use."""
    g._not_kept = True


def _own_site() -> bool:
    """Whether the request reached the desk's own site: any when the app answers only to trusted host names
    (``FACTCHECK_TRUSTED_HOSTS``: Flask refused the others) or knows no address of its own; else the one
    ``FACTCHECK_BASE_URL`` names. Pages are kept per site (they hold absolute links to it), so pages for made-up
    Host headers would otherwise fill the cache."""
    base = str(setting(current_app.config, "BASE_URL"))
    if current_app.config.get("TRUSTED_HOSTS") or not base:
        return True
    return request.url_root.rstrip("/") == base.rstrip("/")


def _viewer(staff: str | None) -> str | None:
    """Whose answers this request's may be shared with, or None when it is kept for nobody."""
    if not current_user.is_authenticated:
        return "reader"
    if staff is None:
        return None
    if staff == "alike":
        return "staff" if may(Capability.SEE_DRAFTS) else "signed in"
    viewer = "desk " + ",".join(sorted(str(role) for role in current_user.roles))
    return f"{viewer} #{current_user.id}" if staff == "user" else viewer


def viewer_part(name: str) -> Markup:
    """The viewer's part ``name`` of the page's frame (``web.viewer.PARTS``); in a desk page being made to be
    kept, the mark where it goes (written in for each request)."""
    return Markup(_mark(name)) if g.get("_desk_page") else viewer.PARTS[name]()


def _desk_answer(kept: _Kept) -> Response:
    """A kept desk page with this viewer's parts and CSRF token written in."""
    fill = {name: part().encode() for name, part in viewer.PARTS.items()}
    fill["csrf"] = generate_csrf().encode()
    body = b"".join(part if isinstance(part, bytes) else fill[part] for part in kept.parts)
    answer = Response(body, headers=list(kept.headers))
    answer.headers["Cache-Control"] = "private, no-store"
    return answer


class _ReadArgs(ImmutableMultiDict[str, str]):
    """A request's query arguments that note which of them the view read (``unread``): an answer is kept only
    when the view read every argument of its address, so made-up arguments (``?x1=…``, ``?x2=…``) make no
    kept pages of their own and cannot push out those in use. Looking at all of them (iterating, copying)
    counts as reading all. An argument given twice but read as one value, or written otherwise than the app
    writes it (``_plain``), counts as unread too: its page is the plain address's."""

    def __init__(self, args: MultiDict[str, str]) -> None:
        super().__init__(args.items(multi=True))
        self.read: set[str] = set()
        self.listed: set[str] = set()
        self.all_read = False

    def __getitem__(self, key: str) -> str:  # (``get`` reads through it)
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, type: Any = None) -> Any:  # noqa: A002 - MultiDict's own name
        self.read.add(key)
        self.listed.add(key)
        return super().getlist(key, type)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)

    @property
    def unread(self) -> bool:
        """Whether the address holds an argument the view never read, one given twice that it read as one
        value, or a value the app would write otherwise (``_plain``)."""
        if any(not _plain(value) for values in dict.values(self) for value in values):  # (not noted as read)
            return True
        return not self.all_read and any(name not in self.read or (len(values) > 1 and name not in self.listed)
                                         for name, values in dict.items(self))


#: A whole number as somebody may write it: signs and any of Unicode's digits (``int`` takes them all).
_NUMBER = re.compile(r"\s*[+-]?\d+\s*")


def _plain(value: str) -> bool:
    """Whether ``value`` is written as the app writes it: no spaces around it, and a whole number without a sign
    (but for a minus), leading zeros or other digits than 0–9 (``0001``, ``+1`` and ``１`` all read as 1)."""
    if value != value.strip():
        return False
    if not _NUMBER.fullmatch(value):
        return True
    try:
        return str(int(value)) == value
    except ValueError:  # (more digits than ``int`` reads from text)
        return False


def _own_address() -> bool:
    """Whether the request's path is the one the app writes for its view and the view's arguments
    (``/verdicts/1``, not ``/verdicts/001`` or ``/verdicts/１``, which reach the same view)."""
    try:
        own = url_for(request.endpoint or "", **(request.view_args or {}))
    except (BuildError, ValueError, TypeError):
        return False
    return bool(request.endpoint) and own == request.script_root + request.path


def _reading_all(name: str) -> Callable[..., Any]:
    """``MultiDict``'s method ``name``, noting that it looks at every argument."""
    def method(self: _ReadArgs, *args: Any, **kwargs: Any) -> Any:
        self.all_read = True
        return getattr(super(_ReadArgs, self), name)(*args, **kwargs)
    return method


for _name in ("__iter__", "keys", "items", "values", "lists", "listvalues", "to_dict", "copy"):
    setattr(_ReadArgs, _name, _reading_all(_name))


def _watch_args() -> _ReadArgs:
    """This request's query arguments, watched for which the view reads (``_ReadArgs``)."""
    watched = _ReadArgs(request.args)
    request.args = watched  # (werkzeug's cached property takes the value)
    return watched


def _desk_page(view: F, cache: ReaderCache, version: str, key: tuple[str, ...], args: Any, kwargs: Any) -> Any:
    """A desk page: kept, or made with marks for the viewer's parts, kept when nothing of this viewer's went
    into it but those, and answered with them written in."""
    kept = cache.get(version, key)
    if kept is not None:
        return _desk_answer(kept)
    token = generate_csrf()  # before the view: its forms write this one, and the session holds it already
    before = dict(session)
    watched = _watch_args()
    g._desk_page = True
    try:
        response = current_app.make_response(view(*args, **kwargs))
    finally:
        g._desk_page = False
    if response.direct_passthrough:
        return response
    text = response.get_data(as_text=True).replace(token, _mark("csrf"))
    parts = tuple(part if n % 2 else part.encode() for n, part in enumerate(_PART.split(text)))
    kept = _Kept(b"", tuple((name, value) for name in _KEPT_HEADERS if (value := response.headers.get(name)) is not None),
                 "", parts)
    # Nothing of this viewer's may be kept beyond the parts written in: not a change to their session.
    if (response.status_code == 200 and not response.headers.get("Set-Cookie") and dict(session) == before
            and not watched.unread and _own_address() and not g.get("_not_kept") and _own_site()):
        cache.put(version, key, kept)
    answer = _desk_answer(kept)
    answer.status_code = response.status_code
    for name, value in response.headers.items():
        if name not in answer.headers and name != "Content-Length":
            answer.headers.add(name, value)
    return answer


def _kept(view: F, *, staff: str | None) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        cache: ReaderCache = current_app.extensions["factcheck.readercache"]
        viewer = _viewer(staff)
        if (cache.max_bytes <= 0 or request.method not in ("GET", "HEAD") or viewer is None
                or "_flashes" in session):  # a message for this visitor is shown on the page
            return view(*args, **kwargs)
        version = data_version(db_session().connection())
        if version is None:  # no version names what this request reads (see ``db.data_version``)
            return view(*args, **kwargs)
        if viewer.startswith("desk "):
            # Kept apart, within the minute too (a new one frees them: they show ages and leases).
            key = (viewer, request.endpoint or "", request.url_root, request.full_path)
            return _desk_page(view, current_app.extensions["factcheck.deskcache"], f"{version} {_minute()}", key,
                              args, kwargs)
        # The site's address is part of the key: the pages hold absolute links to it.
        key = (viewer, request.endpoint or "", request.url_root, request.full_path)
        kept = cache.get(version, key)
        if kept is None:
            watched = _watch_args()
            response = current_app.make_response(view(*args, **kwargs))
            # Nothing of this visitor's may be kept for others: a form's token, a change to their session; nor
            # an answer for an address with arguments the view did not read (see ``_ReadArgs``).
            if (response.status_code != 200 or response.direct_passthrough or response.headers.get("Set-Cookie")
                    or session.modified or "csrf_token" in g or watched.unread or not _own_address()
                    or g.get("_not_kept") or not _own_site()):
                return response
            body = response.get_data()
            # From the answer alone: a commit that changes nothing on this page keeps its ETag (304 still).
            etag = hashlib.blake2b(repr(key).encode() + body, digest_size=16).hexdigest()
            kept = _Kept(body, tuple((name, value) for name in _KEPT_HEADERS
                                     if (value := response.headers.get(name)) is not None), etag)
            cache.put(version, key, kept)
        answer = Response(kept.body, headers=list(kept.headers))
        answer.set_etag(kept.etag)
        # A reader's browser or a crawler may keep it, asking again each time (304 while the ETag holds); what
        # somebody signed in is served may hold drafts, and no shared cache keeps it.
        answer.headers["Cache-Control"] = "no-cache" if viewer == "reader" else "private, no-store"
        return cast(Response, answer.make_conditional(request))

    return cast(F, wrapped)
