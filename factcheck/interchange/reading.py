"""Article files read ahead of their writing: decoded and extracted in other processes, in order.

Reading an article (decoding it, extraction) needs no database; writing it does, one article at a time.
``factcheck ingest`` of many files reads the next ones in ``readers`` processes of their own while it
writes one, so on a machine with more than one core the extraction's time is mostly hidden behind the
writing's. Where the system can and this process runs a single thread (as a command does), the
processes are forked: they start at once, with the extractor already loaded (a process started afresh
imports the whole command first, about as long as reading dozens of articles). They only read files
and run the extractor: nothing they inherit, database connections included, is used, and they end
without running this process's exit handlers. A process with other threads (a job worker, a test
runner) starts them afresh instead: a fork copies no thread but the caller, and a lock another thread
held at that moment would stay held in the copy for good.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path

from factcheck.interchange.files import read_bounded
from factcheck.interchange.htmltext import MAX_ARTICLE_BYTES, ArticleInputError, decode_article
from factcheck.services.errors import ServiceError
from factcheck.services.reading import ReadArticle, read_article

#: What reading a file may refuse it for, in plain words (anything else is a fault, and is raised).
REFUSALS = (ArticleInputError, ServiceError)


def read_file(path: Path) -> ReadArticle:
    """The article in ``path`` (.txt or .html), checked and read by the extractor."""
    return read_article(decode_article(file_bytes(path), path.name))


def file_bytes(path: Path) -> bytes:
    """The bytes of an article's file, at most one more than an article may have (``decode_article`` refuses
    more); ``ArticleInputError`` in plain words when it cannot be read."""
    return read_bounded(path, MAX_ARTICLE_BYTES, ArticleInputError, said="{name} cannot be read ({reason}).")


def read_files(paths: Iterable[Path], *, readers: int = 0) -> Iterator[tuple[Path, ReadArticle | Exception]]:
    """Each path with its article, or with what refused it (``REFUSALS``), in the order given.

    ``readers``: how many processes read ahead (0: each file is read here when its turn comes). At most
    ``readers + 1`` files are read ahead of the one being handed out, so memory stays bounded however
    many files there are.
    """
    if readers <= 0:
        for path in paths:
            yield path, _outcome(partial(read_file, path))
        return
    pool = ProcessPoolExecutor(max_workers=readers, mp_context=multiprocessing.get_context(start_method()))
    try:
        waiting = iter(paths)
        pending: deque[tuple[Path, Future[ReadArticle]]] = deque()
        for path in waiting:
            pending.append((path, pool.submit(read_file, path)))
            if len(pending) > readers:
                break
        while pending:
            path, future = pending.popleft()
            following = next(waiting, None)
            if following is not None:
                pending.append((following, pool.submit(read_file, following)))
            yield path, _outcome(future.result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def start_method() -> str:
    """How the readers are started: forked when the system can and this process runs one thread, else afresh."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 else "spawn"


def _outcome(read: Callable[[], ReadArticle]) -> ReadArticle | Exception:
    """What ``read`` returns, or the refusal it raised."""
    try:
        return read()
    except REFUSALS as exc:
        return exc
