"""The rating scale is read once per transaction of a session, and again whenever it may have changed."""

from __future__ import annotations

from factcheck.models import Rating
from factcheck.standings import rating_scale
from tests.helpers import recorded_statements


def _reads(session) -> int:
    """How many statements reading the ratings one more ``rating_scale`` costs."""
    with recorded_statements(session.get_bind()) as statements:
        rating_scale(session)
    return sum(1 for s in statements if "FROM ratings" in s)


def test_the_scale_is_read_once_in_a_transaction_and_in_order(session):
    first = rating_scale(session)
    assert [r.position for r in first] == sorted(r.position for r in first) and len(first) >= 5
    assert _reads(session) == 0
    assert rating_scale(session) is first


def test_a_changed_rating_is_read_again_after_the_flush(session):
    scale = rating_scale(session)
    changed = scale[0]
    changed.label = "Entirely made up"
    session.flush()
    assert _reads(session) == 1
    assert rating_scale(session)[0].label == "Entirely made up"


def test_a_new_rating_joins_the_scale(session):
    rating_scale(session)
    session.add(Rating(key="satire", label="Satire", truth_value=None, colour="#777777", claimreview_value=None,
                       position=99, is_active=True))
    session.flush()
    assert "satire" in [r.key for r in rating_scale(session)]


def test_expired_ratings_are_read_again_in_one_statement_not_one_each(session):
    rating_scale(session)
    session.expire_all()
    assert _reads(session) == 1
    assert _reads(session) == 0


def test_the_next_transaction_reads_the_scale_again(session):
    rating_scale(session)
    nested = session.begin_nested()
    nested.commit()
    assert _reads(session) == 1


def test_the_ratings_as_rows_are_read_once_and_taken_from_the_scale_when_it_is_held(session):
    from factcheck.queries.verdicts import claimreview_scale, rating_views

    with recorded_statements(session.get_bind()) as statements:
        views = rating_views(session)
        assert claimreview_scale(session) == (min(v.claimreview_value for v in views.values()
                                                  if v.claimreview_value is not None),
                                              max(v.claimreview_value for v in views.values()
                                                  if v.claimreview_value is not None))
        assert rating_views(session) is views
    assert sum(1 for s in statements if "FROM ratings" in s) == 1
    nested = session.begin_nested()
    nested.commit()
    scale = rating_scale(session)
    with recorded_statements(session.get_bind()) as statements:
        again = rating_views(session)
    assert statements == [] and [v.key for v in again.values()] == [r.key for r in scale]
