"""The desk's list rows written in Python (my work, the reviewer queue, triage, the source and article
lists, a source's items): escaped, truncated as the templates' filter did, each row's links and forms."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from factcheck.domain.workflow import Status
from factcheck.queries.items import ItemRow, WorkRow
from factcheck.queries.queue import QueueRow
from factcheck.web.rows import queue_rows, triage_rows, work_rows

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


# --- the reviewer queue ----------------------------------------------------------------------------


def _queue_row(**changes) -> QueueRow:
    values = dict(id=9, claim_text="Exports <fell> & rose", priority=0.7, status_changed_at=NOW - dt.timedelta(hours=5),
                  claimant="A <minister>", article_id=3, article_title="Daily & Co", rating_label="Mostly <false>",
                  rating_colour="#ffe08a", summary="The figure is from 2019.", author=None, votes=1,
                  lease_holder=None, lease_expires_at=None, age_class="age-waiting")
    values.update(changes)
    return QueueRow(**values)


def test_a_queue_row_links_to_its_review_escapes_its_texts_and_shows_the_proposed_rating() -> None:
    html = queue_rows([_queue_row()], lambda n: f"/queue/review/{n}", panel=False, now=NOW)
    assert html.startswith('<tr class="age-waiting" data-href="/queue/review/9">')
    assert '<a href="/queue/review/9">Exports &lt;fell&gt; &amp; rose</a>' in html
    assert '<small class="muted">The figure is from 2019. · Daily &amp; Co</small>' in html
    # a light colour gets black ink; the label is escaped
    assert ('<span class="rating" style="--rating-colour: #ffe08a; --rating-ink: #000000">Mostly &lt;false&gt;</span>'
            in html)
    assert '<td data-label="Claimant">A &lt;minister&gt;</td>' in html and '<td data-label="Author">—</td>' in html
    assert '<span class="age age-waiting" title="2026-03-18 07:00 UTC">5 h</span>' in html
    assert "Votes" not in html and "leased" not in html


def test_a_leased_queue_row_says_who_reviews_it_and_a_panel_shows_the_votes() -> None:
    html = queue_rows([_queue_row(lease_holder="a <reviewer>", votes=2)], str, panel=True, now=NOW)
    assert html.startswith('<tr class="age-waiting leased" data-href="9">')
    assert '<br><small class="lease">in review by a &lt;reviewer&gt;</small>' in html
    assert '<td data-label="Votes">2</td>' in html


# --- triage --------------------------------------------------------------------------------------


CSRF = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="token">')


def _triage_row(**changes) -> ItemRow:
    values = dict(id=12, claim_text="Unemployment <halved>", status=Status.CLAIM, priority=0.8125, checkworthiness=0.6,
                  status_changed_at=NOW - dt.timedelta(days=3), claimant=None, article_id=None, article_title=None,
                  hedges=["reportedly", "<maybe>"], version=4, reader_requests=1)
    values.update(changes)
    return ItemRow(**values)


def _triage(rows, **changes) -> Markup:
    links = dict(item_url=lambda n: f"/items/{n}", take_url=lambda n: f"/items/{n}/take",
                 assign_url=lambda n: f"/items/{n}/assign", dismiss_url=lambda n: f"/items/{n}/dismiss",
                 checkers=[(5, "A checker"), (6, "Another <one>")], csrf_field=CSRF, back_to="/triage?after=x&y=1",
                 now=NOW)
    links.update(changes)
    return triage_rows(rows, **links)


def test_a_triage_row_shows_the_claim_its_hedges_readers_priority_and_age() -> None:
    html = _triage([_triage_row()])
    assert '<tr data-href="/items/12"><td data-label="#"><a href="/items/12">#12</a></td>' in html
    assert '<a href="/items/12">Unemployment &lt;halved&gt;</a><br><small class="flag">reportedly · &lt;maybe&gt;</small>' in html
    assert '<small class="readers">asked by 1 reader</small>' in html
    assert '<td data-label="Priority" class="num">0.81</td>' in html
    assert '<td data-label="Waiting" title="2026-03-15 12:00 UTC">3 d</td>' in html
    assert "readers\">asked by 2 readers" in _triage([_triage_row(reader_requests=2)])


def test_each_triage_form_carries_the_token_the_version_and_where_to_return() -> None:
    html = _triage([_triage_row()])
    take = html.split('<form method="post" action="/items/12/take">')[1].split("</form>")[0]
    assert take.startswith(str(CSRF) + '<input type="hidden" name="version" value="4">')
    assert '<input type="hidden" name="next" value="/items/12">' in take
    assign = html.split('<form method="post" action="/items/12/assign" class="inline-form">')[1].split("</form>")[0]
    assert '<input type="hidden" name="next" value="/triage?after=x&amp;y=1">' in assign
    assert '<option value="5">A checker</option><option value="6">Another &lt;one&gt;</option>' in assign
    dismiss = html.split('<form method="post" action="/items/12/dismiss" class="inline-form">')[1].split("</form>")[0]
    assert str(CSRF) in dismiss and 'name="reason" id="reason-12"' in dismiss


def test_triage_offers_only_the_forms_the_viewer_may_use() -> None:
    html = _triage([_triage_row()], take_url=None, dismiss_url=None, checkers=[])
    assert "<form" not in html and "<details" not in html
    html = _triage([_triage_row()], take_url=None, dismiss_url=None)
    assert html.count("<form") == 1 and 'action="/items/12/assign"' in html


# --- the source list -----------------------------------------------------------------------------


def test_a_source_row_links_to_the_source_and_shows_its_record_and_score() -> None:
    from types import SimpleNamespace

    from factcheck.domain.credibility import Prior, score
    from factcheck.domain.workflow import SourceKind
    from factcheck.web.rows import source_rows
    from factcheck.web.templating import score_bar, score_text

    record = score(Prior(1, 1, "domain"), claimant=[(1.0, 3), (0.0, 1)], relay=[(0.5, 2)])
    source = SimpleNamespace(id=4, name="The <Daily>", domain="daily.example", kind=SourceKind.OUTLET)
    row = SimpleNamespace(source=source, score=record, counts={"claimant": {"true": 3, "false": 1}, "relay": {"half": 2}})
    html = source_rows([row], lambda n: f"/sources/{n}")
    assert html.startswith('<tr><td><a href="/sources/4">The &lt;Daily&gt;</a><small>daily.example</small></td>'
                           '<td class="word">outlet</td><td>6 (4 / 2)</td>')
    assert f'<td>{score_text(record)}</td><td>{score_bar(record)}</td><td class="word">domain</td></tr>' in html
    source.domain = None
    assert "<small>" not in source_rows([row], str)


# --- the article list and a source's items -------------------------------------------------------


def test_an_article_row_counts_its_items_by_status_and_in_all() -> None:
    from factcheck.queries.articles import ArticleRow
    from factcheck.web.rows import article_rows

    row = ArticleRow(3, "Talks <resumed> & stalled", None, dt.date(2026, 3, 1), NOW,
                     {Status.CLAIM.value: 2, Status.PUBLISHED.value: 1})
    html = article_rows([row], lambda n: f"/articles/{n}", [Status.CLAIM, Status.EVIDENCE, Status.PUBLISHED])
    assert html.startswith('<tr><td>3</td><td><a href="/articles/3">Talks &lt;resumed&gt; &amp; stalled</a>')
    assert '<small class="muted">added 2026-03-18 12:00 UTC</small>' in html
    assert "<td>—</td><td>2026-03-01</td>" in html
    assert ('<td class="num count-claim">2</td><td class="num count-evidence"></td>'
            '<td class="num count-published">1</td><td class="num"><strong>3</strong></td></tr>') in html


def test_a_source_item_shows_its_role_and_its_rating_or_else_its_status() -> None:
    from factcheck.queries.sources import SourceItem
    from factcheck.web.rows import source_item_rows

    chips = {Status.EVIDENCE: Markup("<b>evidence</b>"), "false": Markup("<b>False</b>")}
    rated = SourceItem(8, "The <port> closed", Status.PUBLISHED, "relay", "false", "a <checker>")
    open_ = SourceItem(9, "word " * 50, Status.EVIDENCE, "claimant", None, None)
    html = source_item_rows([rated, open_], lambda n: f"/items/{n}", chips)
    assert ('<li><a href="/items/8">#8</a> “The &lt;port&gt; closed” <small>(relay)</small> '
            "<b>False</b> <small>rated by a &lt;checker&gt;</small></li>") in html
    second = html.split('<li><a href="/items/9">#9</a> “')[1]
    assert second.endswith("” <small>(claimant)</small> <b>evidence</b></li>") and "..." in second
    assert "rated by" not in source_item_rows([open_], str, chips)
