"""The rows of "my work", written in Python: escaped, truncated as the template's filter did, grouped facts shown."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from factcheck.domain.workflow import Status
from factcheck.queries.items import WorkRow
from factcheck.web.templating import work_rows

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)
CHIPS = {Status.EVIDENCE: Markup('<span class="chip chip-evidence">evidence</span>')}


def _row(**changes) -> WorkRow:
    values = dict(id=7, claim_text="The <b>harbour</b> & the dock", status=Status.EVIDENCE, priority=0.5,
                  checkworthiness=0.5, status_changed_at=NOW - dt.timedelta(days=2), claimant=None, article_id=None,
                  article_title=None, hedges=[], version=1)
    values.update(changes)
    return WorkRow(**values)


def test_text_is_escaped_and_the_row_links_to_its_item() -> None:
    html = work_rows([_row()], lambda n: f"/items/{n}", CHIPS, "Since", NOW)
    assert isinstance(html, Markup)
    assert '<a href="/items/7">The &lt;b&gt;harbour&lt;/b&gt; &amp; the dock</a>' in html
    assert '<td data-label="Claimant">—</td>' in html and "chip-evidence" in html
    assert '<td data-label="Since" class="age" title="2026-03-16 12:00 UTC">2 d</td>' in html


def test_long_texts_are_cut_at_a_word_and_a_returned_item_shows_its_comment() -> None:
    row = _row(claim_text="word " * 60, article_title="<i>Daily</i>", returned_comment="Check <the> source.",
               returned_by="a reviewer", status=Status.VERDICT)
    html = work_rows([row], str, CHIPS, "Since", NOW)
    claim = html.split('<a href="7">')[2].split("</a>")[0]
    assert claim.endswith("...") and len(claim) <= 163 and not claim.startswith(" ")
    assert '<small class="muted">&lt;i&gt;Daily&lt;/i&gt;</small>' in html
    assert "Comment by a reviewer: </span>Check &lt;the&gt; source." in html
    assert '<span class="chip chip-verdict">verdict</span> <span class="chip chip-returned">returned</span>' in html


def test_a_published_row_shows_when_it_was_published() -> None:
    row = _row(status=Status.PUBLISHED, published_at=NOW - dt.timedelta(hours=3))
    html = work_rows([row], str, CHIPS, "Published", NOW)
    assert '<td data-label="Published" class="age" title="2026-03-18 09:00 UTC">3 h</td>' in html
