"""``factcheck checkworthy``: rank the sentences of a transcript by check-worthiness, no database."""

from __future__ import annotations

import re

import click

from factcheck.interchange.files import read_bounded
from factcheck.domain.extract.checkworthy import score_transcript

#: Larger transcripts are refused rather than read into memory.
MAX_TRANSCRIPT_BYTES = 10 * 1024 * 1024
_TSV_LINE = re.compile(r"^\s*(\d+)\t([^\t]*)\t([^\t]*)(?:\t[^\t]*)?$")


class TranscriptError(click.ClickException):
    """An unreadable transcript: printed as 'Error: …' with exit status 2, never a traceback."""

    exit_code = 2


def read_transcript(text: str) -> list[tuple[str, str, str]]:
    """Return ``(line, speaker, sentence)`` for every sentence of a CLEF TSV or a plain text.

    A file whose first non-blank line is ``line<TAB>speaker<TAB>sentence[<TAB>label]`` is
    read as CLEF TSV, every line in that form; otherwise each non-blank line is one sentence,
    numbered by its line in the file, with no speaker. Blank lines are skipped.
    """
    numbered = [(number, raw.rstrip("\r")) for number, raw in enumerate(text.split("\n"), start=1)
                if raw.strip()]
    if not numbered:
        raise TranscriptError("The transcript has no sentences.")
    if not _TSV_LINE.match(numbered[0][1]):
        return [(str(number), "", raw.strip()) for number, raw in numbered]
    lines = []
    for number, raw in numbered:
        match = _TSV_LINE.match(raw)
        if match is None:
            raise TranscriptError(f"Line {number} is not line<TAB>speaker<TAB>sentence[<TAB>label] "
                                  "as the first line is.")
        lines.append((match.group(1), match.group(2).strip(), match.group(3).strip()))
    return lines


@click.command("checkworthy")
@click.argument("path", metavar="FILE")
def checkworthy_command(path: str) -> None:
    """Print line<TAB>score for every sentence of FILE (CLEF TSV or one sentence per line; - for standard input)."""
    lines = read_transcript(_read_text(path))
    scores = score_transcript([(speaker, sentence) for _, speaker, sentence in lines])
    click.echo("\n".join(f"{line}\t{value:.4f}" for (line, _, _), value in zip(lines, scores)))


def _read_text(path: str) -> str:
    data = read_bounded(path, MAX_TRANSCRIPT_BYTES, TranscriptError)
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError(f"{path} is larger than the 10 MB limit for a transcript.")
    if b"\x00" in data:
        raise TranscriptError(f"{path} looks like a binary file, not a transcript.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptError(f"{path} is not UTF-8 text.") from None
