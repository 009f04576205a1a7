"""The source list sorts by the very means the pages show (one posterior rule, relays and unrated verdicts included)."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.models import Rating, Source, SourceRecord
from factcheck.queries.sources import source_list
from factcheck.services.sources import refresh_standings
from tests.factories import gen_source


def test_the_list_is_sorted_by_the_scores_it_shows(session) -> None:
    ratings = {r.key: r for r in session.scalars(select(Rating))}
    unrated = next(r for r in ratings.values() if r.truth_value is None)
    # (claimant counts, relay counts, editorial prior): relays count half, unrated verdicts not at all.
    records = {
        "Posterior Source Relay Only": ({}, {"false": 6}, None),
        "Posterior Source Mixed": ({"true": 2, "false": 1}, {"true": 4}, None),
        "Posterior Source Unrated": ({unrated.key: 9}, {}, None),
        "Posterior Source Editorial": ({"false": 1}, {}, (8.0, 2.0)),
        "Posterior Source Claimant False": ({"false": 3}, {"true": 1}, None),
    }
    for name, (claimant, relay, prior) in records.items():
        source = gen_source(session, name)
        if prior is not None:
            source.prior_alpha, source.prior_beta = prior
        for capacity, counts in (("claimant", claimant), ("relay", relay)):
            for key, count in counts.items():
                session.add(SourceRecord(source_id=source.id, capacity=capacity, rating_id=ratings[key].id,
                                         count=count))
    session.flush()
    # The rows were written by hand, not by a publication: store the standings as publishing would.
    refresh_standings(session, [s.id for s in session.scalars(select(Source).where(Source.name.like("Posterior%")))])
    best_first = [s for s in source_list(session, sort="score", query="Posterior Source").rows]
    means = [s.score.mean for s in best_first]
    assert means == sorted(means, reverse=True) and len(best_first) == 5
    worst_first = [s.source.name for s in source_list(session, sort="score_asc", query="Posterior Source").rows]
    assert worst_first == [s.source.name for s in reversed(best_first)]
    by_volume = source_list(session, sort="volume", query="Posterior Source").rows
    assert by_volume[0].source.name == "Posterior Source Unrated"  # 9 verdicts, none with a truth value
    unrated_row = by_volume[0]
    assert unrated_row.score.mean == 0.5 and unrated_row.score.n == 0
