"""The dashboard's figures from the public claim inbox: submissions per day, time from submission to
verdict, and the most requested claims (real tweets from CLEF 2020 sent as readers' claims)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from factcheck.cli.match import read_tsv
from factcheck.domain.workflow import Status
from factcheck.models import CheckItem, ReaderSubmission
from factcheck.queries import dashboard as board
from factcheck.services.submissions import submit_claim
from tests.factories import gen_item, gen_item_in
from tests.helpers import recorded_statements
from tests.integration.test_matching import load_claims

NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)


def test_submissions_are_counted_per_utc_day_over_the_last_two_weeks(session):
    moments = [NOW, NOW - dt.timedelta(hours=14, minutes=59),  # both today (00:01 UTC)
               NOW - dt.timedelta(hours=15, minutes=1),  # yesterday, 23:59 UTC
               NOW - dt.timedelta(days=13), NOW - dt.timedelta(days=14)]  # the first day shown; one day too old
    for n, moment in enumerate(moments):
        submit_claim(session, claim_text=f"Claim number {n} about the harbour crane colour.", now=moment)
    days = board.submissions_per_day(session, NOW)
    assert len(days) == board.SUBMISSION_DAYS == 14
    assert days[-1] == board.Day(dt.date(2026, 11, 30), 2)
    assert days[-2] == board.Day(dt.date(2026, 11, 29), 1)
    assert days[0] == board.Day(dt.date(2026, 11, 17), 1)
    assert sum(d.submissions for d in days) == 4


def test_time_from_submission_to_verdict_is_the_median_of_answered_submissions_not_answered_on_screen(session):
    item = gen_item(session, "The mayor banned bicycles from every bridge in town.")
    for hours in (2, 10, 30):
        done = submit_claim(session, claim_text="The mayor banned bicycles from every bridge in town?",
                            now=NOW - dt.timedelta(hours=hours))
        assert done.item.id == item.id
        done.submission.answered_at = NOW
    submit_claim(session, claim_text="Whales were seen in the harbour of the capital city.")  # not answered yet
    gen_item_in(session, Status.PUBLISHED)
    on_screen = submit_claim(session, claim_text="The sea level rose by 20 cm since 1900, is that so?")
    assert on_screen.submission.answered_on_screen
    session.flush()
    assert board.median_submission_to_verdict(session) == (dt.timedelta(hours=10), 3)


def test_the_time_to_an_answer_covers_the_latest_answered_submissions(session):
    """With a sample of 2, the submission answered first (the slowest, 50 hours) is left out, though it was
    made last (the order of answers is not the order of submissions)."""
    gen_item(session, "The mayor banned bicycles from every bridge in town.")
    for hours, answered in ((4, NOW - dt.timedelta(hours=1)), (8, NOW), (50, NOW - dt.timedelta(days=3))):
        done = submit_claim(session, claim_text="The mayor banned bicycles from every bridge in town?",
                            now=answered - dt.timedelta(hours=hours))
        done.submission.answered_at = answered
    session.flush()
    assert board.median_submission_to_verdict(session, sample=2) == (dt.timedelta(hours=6), 2)
    assert board.median_submission_to_verdict(session) == (dt.timedelta(hours=8), 3)


def test_the_most_requested_claims_from_real_readers_messages_come_first(session, shared_data: Path):
    """CLEF 2020 tweets sent as readers' claims against its 784 Snopes claims, stored as open items.

    Readers paraphrase: a tweet joins a Snopes claim only when it repeats enough of it (``READER_MATCH``,
    chosen for precision: a reader must never be answered about another claim); the others start reader
    items, which later tweets on the same claim join. Every item's readers must be asking about one claim.
    """
    folder = shared_data / "clef2020-claim-retrieval"
    claims = read_tsv(str(folder / "verified_claims.docs.tsv"))
    gold: dict[str, str] = {}
    for line in (folder / "train" / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        tweet, _, claim, _ = line.split()
        gold[tweet] = claim
    tweets = dict(read_tsv(str(folder / "train" / "tweets.queries.tsv")))
    asked = Counter(gold[t] for t in tweets if t in gold)
    popular = [claim for claim, n in asked.most_common() if n >= 3][:10]
    ids = load_claims(session, [text for _, text in claims])
    claim_of = {item_id: claim_id for item_id, (claim_id, _) in zip(ids, claims)}
    sent = [t for t in tweets if gold.get(t) in popular]
    for tweet in sent:
        submit_claim(session, claim_text=tweets[tweet][:2000])

    landed = session.scalars(select(ReaderSubmission.item_id).order_by(ReaderSubmission.id)).all()
    asks: dict[int, list[str]] = {}
    for tweet, item_id in zip(sent, landed):
        asks.setdefault(item_id, []).append(gold[tweet])
    # On a Snopes item, only tweets about that claim; on a reader item, tweets about one claim.
    wrong = sum(1 for item_id, wanted in asks.items() for claim in wanted
                if claim != claim_of.get(item_id, Counter(wanted).most_common(1)[0][0]))
    assert wrong <= len(sent) // 20, (wrong, len(sent), asks)
    grouped = sum(len(wanted) for wanted in asks.values() if len(wanted) > 1)
    assert grouped >= len(sent) // 4, (grouped, len(sent), asks)

    top = board.top_requested(session)
    counts = dict(session.execute(select(CheckItem.id, CheckItem.reader_requests)
                                  .where(CheckItem.reader_requests > 0)).all())
    assert counts == {item_id: len(wanted) for item_id, wanted in asks.items()}
    assert [t.readers for t in top] == sorted(counts.values(), reverse=True)[:board.TOP_REQUESTED]
    assert all(counts[t.item_id] == t.readers for t in top)
    assert top[0].readers == max(len(wanted) for wanted in asks.values()) >= 2


def test_the_readers_figures_take_the_same_statements_whatever_the_number_of_submissions(session):
    def statements() -> int:
        session.flush()
        session.expire_all()
        with recorded_statements(session.get_bind()) as recorded:
            result = board.dashboard(session, NOW)
        assert result.readers.total == len(session.scalars(select(ReaderSubmission.id)).all())
        return len(recorded)

    gen_item(session, "The mayor banned bicycles from every bridge in town.")
    empty = statements()
    for n in range(25):
        submit_claim(session, claim_text=f"Claim {n}: the mayor banned bicycles from every bridge {n}.", now=NOW)
    assert statements() == empty
