"""Paragraph-level boilerplate: links, appeals, captions, credits, datelines, time stamps."""

from __future__ import annotations

import re

from .lexicon import SERIES_LABEL_WORDS

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

# Whole paragraphs that are navigation, appeals or credits.  Anchored at the start,
# because the same words inside a reported sentence are content.
_LEADING = re.compile(
    r"""^\W{0,3}(?:
        (?:read|see|watch|listen)\s+(?:also|more|next|the\s+rest|the\s+full|the\s+original)\b
      | read\s+the\s+(?:original|full)\s+(?:article|story)\b
      | related(?:\s+(?:articles?|stories|coverage|content|reading))?\s*:
      | (?:more|also)\s+(?:on|from)\s+[^.]{0,60}:
      | recommended\s*:
      | (?:photo|image|picture|video|illustration|graphic|credit|source)s?(?:\s+(?:by|credit))?\s*:
      | (?:click|tap)\s+here\b
      | (?:sign\s+up|subscribe)\b
      | follow\s+(?:us|@|[A-Z][\w ]{0,40}\s+on\s+(?:twitter|facebook|x|instagram))
      | share\s+(?:this|on)\b
      | advertisement\s*$
      | (?:updated|published|posted|last\s+modified)\s*:?\s*(?:on\s+)?[\d:,\s]*
        (?:""" + _MONTH + r"""|\d|today|yesterday)
      | copyright\b | ©
      | all\s+rights\s+reserved
      | this\s+(?:article|story)\s+(?:was\s+)?(?:originally\s+)?(?:appeared|published|first\s+appeared)\b
      | (?:correction|clarification|editor'?s\s+note)\s*:
      | this\s+(?:article|story)\s+has\s+been\s+(?:revised|updated|corrected|amended)\b
      | an\s+earlier\s+version\s+of\s+this\s+(?:article|story|report)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Appeals for money or sign-ups; only short paragraphs, since a long one is a story about donations.
_APPEAL = re.compile(
    r"\b(?:donat(?:e|ion|ions)|become\s+a\s+(?:patron|member|subscriber|supporter)"
    r"|support\s+(?:us|our\s+(?:work|journalism))"
    r"|subscribe\s+(?:to|now|today)|sign\s+up\s+(?:for|to)|newsletter|patreon)\b",
    re.IGNORECASE,
)

# Captions and credits: short lines ending in an agency credit, e.g. "(AP Photo/Evan Vucci)".
_CREDIT = re.compile(
    r"(?:\((?:[A-Z][\w.]*\s+)?(?:photo|image|file\s+photo|pool|video)\b[^)]{0,80}\)\s*$"
    r"|(?:photo|image)\s*(?:by|:|credit:?)\s*[^.]{0,80}$"
    r"|\b(?:getty\s+images|afp\s+via\s+getty|shutterstock|reuters/[\w ]+|ap\s+photo[^.]{0,40})\s*\)?\s*$)",
    re.IGNORECASE,
)

# A paragraph that is only a date, a time, or a dateline ("KYIV, Feb 15 (Reuters) -").
_STAMP = re.compile(
    r"^\s*(?:\w+,\s*)?(?:" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+" + _MONTH
    + r"(?:\s+\d{4})?|\d{4}-\d{2}-\d{2})"
    r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$"
    r"|^\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?\s*$"
    r"|^\s*(?:by\s+)?[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}\s*$",
    re.IGNORECASE,
)

# A dateline opening a paragraph: "WASHINGTON (AP) -", "KYIV, Feb 15 (Reuters) -".
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?(?:,\s*\d{4})?)?\s*(?:\([A-Za-z .]{2,30}\)\s*)?-{1,2}\s+"
)

# Short lines that point at media or credit the reporters: "Check out the full trailer below.",
# "Jane Roe reported from Kyiv, and John Doe from Lviv.", "John Doe contributed reporting."
_POINTER_OR_CREDIT = re.compile(
    r"^(?:(?-i:The\s+Latest(?:\s+on\b|\s*:))"  # the Associated Press's running-story intro
    r"|(?:check\s+out|watch|see|listen\s+to)\b.{0,120}\bbelow\W*$"
    r"|(?-i:[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})\s+(?:reported\s+from|contributed\s+(?:reporting|to\s+this))\b)",
    re.IGNORECASE,
)

#: A headline after a series label and a colon: "The Latest: Mayor urges …", "Live Updates: …".
_LABELLED_HEADLINE = re.compile(r"(?P<label>[A-Z][a-z]*(?:\s+[A-Z][a-z]*){0,2})\s*:\s*\S+\s+\S")

_APPEAL_MAX = 300
_CREDIT_MAX = 200
_CREDIT_LINE_MAX = 250
_BYLINE_MAX = 40


def is_boilerplate(paragraph: str, *, is_first: bool = False) -> bool:
    """Return True when a whole paragraph is navigation, an appeal, a credit or a stamp.

    ``is_first`` protects the headline: a short capitalised first line is a title, not a byline.
    """
    stripped = paragraph.strip()
    if not stripped:
        return False
    if _LEADING.search(stripped) or _LEADING.search(stripped[dateline_length(stripped):]):
        return True
    labelled = _LABELLED_HEADLINE.match(stripped) if is_first else None
    if labelled and all(word.lower() in SERIES_LABEL_WORDS for word in labelled.group("label").split()):
        return False  # "The Latest: Mayor urges residents to …" is the story's headline under a series label
    if len(stripped) <= _CREDIT_LINE_MAX and (_POINTER_OR_CREDIT.search(stripped)
                                              or _POINTER_OR_CREDIT.search(stripped[dateline_length(stripped):])):
        return True
    if len(stripped) <= _APPEAL_MAX and _APPEAL.search(stripped):
        return True
    if len(stripped) <= _CREDIT_MAX and _CREDIT.search(stripped):
        return True
    if is_first or len(stripped) > _BYLINE_MAX:
        return bool(_STAMP.match(stripped)) and _is_pure_stamp(stripped)
    return bool(_STAMP.match(stripped))


# A photo caption names who is shown doing what, in the present tense: "Activist Jane Roe talks to
# the director about …", "The mayor speaks during a rally in Ohio."
_CAPTION = re.compile(
    r"^[^.!?\"]{0,80}?\b(?:talks|speaks|looks|walks|stands|sits|poses|holds|arrives|waves|gestures|listens|"
    r"attends|delivers|addresses|greets|shakes|smiles|laughs|reacts|leaves|departs|performs|campaigns|visits|"
    r"meets|hugs|points|watches|is\s+seen|are\s+seen|pictured)\b[^!?]*$"
)
_CAPTION_MAX = 200


def is_caption(paragraph: str) -> bool:
    """Return True for a short one-sentence photo caption; the caller asks only right after a credit line
    ("Netflix.", "Getty Images"), since the same words elsewhere are a story's sentence."""
    stripped = paragraph.strip()
    if not stripped or len(stripped) > _CAPTION_MAX or re.search(r"[.!?][\"']?\s+[A-Z]", stripped):
        return False
    return _CAPTION.match(stripped) is not None


def is_credit_line(paragraph: str) -> bool:
    """A paragraph that is only a short name, as a photo credit is ("Netflix.", "Getty Images")."""
    stripped = paragraph.strip()
    return 0 < len(stripped) <= _BYLINE_MAX and bool(_STAMP.match(stripped)) and not _is_pure_stamp(stripped)


def _is_pure_stamp(stripped: str) -> bool:
    # The name-only alternative of _STAMP would swallow one-line headlines; only dates count here.
    return any(ch.isdigit() for ch in stripped)


def dateline_length(paragraph: str) -> int:
    """Return how many leading characters of a paragraph are a dateline (0 when none)."""
    match = _DATELINE.match(paragraph)
    return match.end() if match else 0
