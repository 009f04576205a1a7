"""Reading an input file at most a limit's worth (a command's argument, an article's file): one home for it."""

from __future__ import annotations

import sys
from pathlib import Path


def read_bounded(path: str | Path, limit: int, error: type[Exception],
                 said: str = "Cannot read {path}: {reason}.") -> bytes:
    """The bytes of ``path`` (``-``: standard input), at most ``limit`` + 1 of them so that the caller
    can tell an input over its limit; ``error`` with a plain message (``said``, given the path, the file's
    name and the reason) when it cannot be read (a folder, no permission, a device that fails)."""
    try:
        if str(path) == "-":
            return sys.stdin.buffer.read(limit + 1)
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise error(said.format(path=path, name=Path(path).name, reason=exc.strerror or exc)) from None
