"""Google's ClaimReview rules: each rule accepts good markup and names the problem in bad markup."""

from __future__ import annotations

import copy

import pytest

from factcheck.domain import claimreview_rules as rules


def good() -> dict:
    """A ClaimReview that meets every rule."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://desk.example.org/verdicts/7",
        "claimReviewed": "Putin is ready for a significant compromise on Ukraine",
        "datePublished": "2026-02-14",
        "author": {"@type": "Organization", "name": "The desk", "url": "https://desk.example.org/"},
        "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 2,
                         "bestRating": 6, "worstRating": 1},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Vladimir Putin"},
            "appearance": [{"@type": "CreativeWork", "url": "https://outlet.example.com/story"}],
        },
    }


def changed(path: str, value: object) -> dict:
    """The good markup with one property (dotted path) replaced; value ``...`` deletes it."""
    doc = copy.deepcopy(good())
    *parents, last = path.split(".")
    target = doc
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return doc


def test_the_good_markup_has_no_problems():
    assert rules.validate(good()) == []


def test_markup_of_another_type_is_refused():
    assert rules.validate(changed("@type", "Review")) == ["The markup is not a ClaimReview."]


# Each rule: (rule, a breaking change, words the problem must contain).
CASES = [
    (rules.claim_reviewed_present, ("claimReviewed", ...), "claimReviewed is missing"),
    (rules.claim_reviewed_present, ("claimReviewed", "   "), "claimReviewed is missing"),
    (rules.claim_reviewed_short, ("claimReviewed", "x" * 75), "75 characters"),
    (rules.claim_reviewed_without_rating, ("claimReviewed", "It is false that prices rose"), "contains the rating"),
    (rules.rating_has_alternate_name, ("reviewRating.alternateName", ...), "alternateName is missing"),
    (rules.rating_scale_valid, ("reviewRating.worstRating", 0), "worstRating must be"),
    (rules.rating_scale_valid, ("reviewRating.bestRating", 1), "bestRating must be"),
    (rules.rating_value_in_scale, ("reviewRating.ratingValue", 7), "outside the scale 1–6"),
    (rules.rating_value_in_scale, ("reviewRating.ratingValue", ...), "no place on the numeric scale"),
    (rules.claim_author_named, ("itemReviewed.author.name", ""), "itemReviewed.author.name is missing"),
    (rules.claim_author_named, ("itemReviewed.author", ...), "itemReviewed.author.name is missing"),
    (rules.appearance_has_url, ("itemReviewed.appearance", [{"@type": "CreativeWork"}]), "absolute http(s) URL"),
    (rules.appearance_has_url, ("itemReviewed.firstAppearance", {"url": "/relative"}), "absolute http(s) URL"),
    (rules.review_url_absolute, ("url", "/verdicts/7"), "absolute address"),
    (rules.review_url_absolute, ("url", ...), "absolute address"),
    (rules.publisher_named, ("author.name", " "), "author.name is missing"),
    (rules.date_published_iso, ("datePublished", "14/02/2026"), "ISO 8601"),
    (rules.date_published_iso, ("datePublished", "2026-02-14T10:00:00"), "ISO 8601"),
]


@pytest.mark.parametrize(("rule", "change", "words"), CASES,
                         ids=[f"{c[0].__name__}-{c[1][0]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule_passes_good_markup_and_names_the_problem_in_bad_markup(rule, change, words):
    assert rule(good()) == []
    problems = rule(changed(*change))
    assert problems and words in " ".join(problems)
    assert any(words in p for p in rules.validate(changed(*change)))


def test_a_rating_label_inside_a_longer_word_is_not_taken_for_the_rating():
    doc = changed("claimReviewed", "Falsely accused officials resigned")
    assert rules.claim_reviewed_without_rating(doc) == []


def test_numeric_strings_and_date_times_with_a_zone_are_accepted():
    doc = changed("reviewRating.ratingValue", "2")
    doc["datePublished"] = "2026-02-14T10:00:00+00:00"
    assert rules.validate(doc) == []


def test_a_claim_without_any_appearance_is_accepted_because_it_is_not_always_known():
    assert rules.appearance_has_url(changed("itemReviewed.appearance", ...)) == []


def test_a_long_claim_is_shortened_at_a_word_boundary_with_an_ellipsis():
    text = ("Russian media reported that Putin told a talk show host off the record that he was ready "
            "for a significant compromise")
    short = rules.shorten_claim(text)
    assert len(short) < rules.CLAIM_REVIEWED_MAX and short.endswith("…")
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "


def test_a_short_claim_is_kept_whole_on_one_line():
    assert rules.shorten_claim("Prices rose\n by 20%  in 2025.") == "Prices rose by 20% in 2025."


def test_a_claim_without_spaces_is_cut_hard_and_still_fits():
    short = rules.shorten_claim("x" * 200)
    assert len(short) == rules.CLAIM_REVIEWED_MAX - 1 and short.endswith("…")
