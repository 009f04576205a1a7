"""The seed article (seeds/000_…) is extracted the way a fact-checker would read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.domain.extract import Extraction, extract

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_577d28931b450a74.txt"


@pytest.fixture(scope="module")
def text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(text: str) -> Extraction:
    return extract(text)


def find(result: Extraction, opening: str):
    matches = [a for a in result.assertions if a.text.startswith(opening)]
    assert matches, f"no assertion starts with {opening!r}"
    return matches[0]


def chain_of(assertion) -> list[tuple[str, str, str]]:
    return [(link.name, link.kind, link.role) for link in assertion.chain]


def test_every_span_is_the_exact_text_of_the_original(result: Extraction, text: str):
    for assertion in result.assertions:
        assert text[assertion.start:assertion.end] == assertion.text
    for item in result.dropped:
        assert text[item.start:item.end] == item.text


def test_ids_run_a1_a2_in_text_order(result: Extraction):
    assert [a.id for a in result.assertions] == [f"a{n}" for n in range(1, len(result.assertions) + 1)]
    assert [a.start for a in result.assertions] == sorted(a.start for a in result.assertions)


def test_the_headline_says_form_is_attributed_to_lavrov_by_his_full_name(result: Extraction):
    headline = find(result, "Russia now seeking")
    assert chain_of(headline) == [("Sergei Lavrov", "person", "said")]


def test_lavrov_said_according_to_russian_media_is_a_two_link_chain_hedged_allegedly(result: Extraction):
    lead = find(result, "Moscow is allegedly ready")
    assert chain_of(lead) == [("Sergei Lavrov", "person", "said"), ("Russian media", "unnamed", "reported")]
    assert lead.claimant.name == "Sergei Lavrov"
    assert lead.hedges == ("allegedly",)
    assert lead.dates == ("Feb. 14",)


def test_the_he_said_quote_resolves_to_lavrov(result: Extraction):
    quote = find(result, '"Given the current position')
    assert chain_of(quote) == [("Sergei Lavrov", "person", "said")]


def test_reuters_is_the_claimant_of_what_it_wrote_about_putins_offer(result: Extraction):
    # "Putin had offered" reports an action, not a statement: the checkable claim is Reuters'.
    reuters = find(result, "Reuters earlier wrote")
    assert chain_of(reuters) == [("Reuters", "outlet", "wrote")]


def test_zelenskyy_is_named_without_his_title(result: Extraction):
    assert chain_of(find(result, "President Volodymyr Zelenskyy")) == [("Volodymyr Zelenskyy", "person", "said")]


def test_the_carlson_report_is_a_three_link_chain_from_putin_to_russian_media(result: Extraction):
    carlson = find(result, "Russian media previously reported")
    assert chain_of(carlson) == [
        ("Vladimir Putin", "person", "told"),
        ("Tucker Carlson", "person", "stated"),
        ("Russian media", "unnamed", "reported"),
    ]
    assert carlson.hedges == ("off the record",)
    assert carlson.to_dict()["claimant"] == {"name": "Vladimir Putin", "kind": "person"}


def test_the_centers_denial_points_at_the_carlson_claim(result: Extraction):
    carlson = find(result, "Russian media previously reported")
    denial = find(result, "The Center for Strategic Communication")
    assert chain_of(denial) == [
        ("Center for Strategic Communication and Information Security", "organisation", "denied")
    ]
    assert [(r.type, r.target) for r in denial.relations] == [("denies", carlson.id)]


def test_the_denial_and_what_the_center_called_it_are_one_item_for_the_whole_sentence(result: Extraction):
    centre = [a for a in result.assertions if a.text.startswith("The Center for Strategic Communication")]
    assert [a.text for a in centre] == [
        'The Center for Strategic Communication and Information Security in Kyiv denied this statement '
        'and called it another "dump."'
    ]


def test_no_two_assertions_of_the_seed_article_overlap(result: Extraction):
    spans = sorted((a.start, a.end) for a in result.assertions)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start, f"spans overlap: {spans}"


def test_bloomberg_and_its_anonymous_sources_are_separate_hedged_claims(result: Extraction):
    bloomberg = find(result, "Bloomberg reported on Jan. 25")
    assert chain_of(bloomberg) == [("Bloomberg", "outlet", "reported")]
    assert bloomberg.dates == ("Jan. 25",)
    sources = find(result, "According to the agency's sources")
    assert chain_of(sources) == [
        ("Bloomberg's sources", "unnamed", "according to"),
        ("Bloomberg", "outlet", "reported"),
    ]
    assert sources.hedges == ("anonymous sources", "may")


def test_the_new_york_times_report_keeps_its_date(result: Extraction):
    times = find(result, "he is signaling through backroom diplomacy")
    assert chain_of(times) == [("The New York Times", "outlet", "reported")]
    assert times.dates == ("Dec. 23",)


def test_putins_statement_named_inside_the_times_report_is_its_own_assertion(result: Extraction):
    statement = find(result, "The New York Times reported on Dec. 23 that despite")
    times = find(result, "he is signaling through backroom diplomacy")
    assert chain_of(statement) == [("Vladimir Putin", "person", "stated"),
                                   ("The New York Times", "outlet", "reported")]
    assert statement.end <= times.start
    assert statement.text.startswith("The New York Times reported on Dec. 23 that despite")
    assert times.text == "he is signaling through backroom diplomacy that he is ready to make a deal."


def test_the_article_speaks_in_its_own_voice_about_the_peaceful_proposals(result: Extraction):
    own = find(result, "The flow of allegedly")
    assert own.claimant is None and own.chain == ()
    assert own.hedges == ("allegedly",)
    assert own.to_dict()["claimant"] is None and own.to_dict()["chain"] == []


def test_the_only_hedges_are_allegedly_off_the_record_anonymous_sources_and_may(result: Extraction):
    hedges = {hedge for assertion in result.assertions for hedge in assertion.hedges}
    assert hedges == {"allegedly", "off the record", "anonymous sources", "may"}


def test_read_also_links_the_donation_appeal_and_the_credit_line_are_dropped_as_boilerplate(result: Extraction):
    dropped = [item.text for item in result.dropped]
    assert len([t for t in dropped if t.startswith("Read also:")]) == 3
    assert any("donation" in t for t in dropped)
    assert any(t.startswith("Read the original article") for t in dropped)
    assert {item.reason for item in result.dropped} == {"boilerplate"}
    for assertion in result.assertions:
        assert "Read also" not in assertion.text and "donation" not in assertion.text


def test_the_json_has_the_keys_of_the_design_and_the_hedge_spans(result: Extraction):
    data = result.to_dict()
    assert set(data) == {"assertions", "dropped"}
    for assertion in data["assertions"]:
        assert set(assertion) == {"id", "text", "start", "end", "claimant", "chain", "hedges", "hedge_spans", "dates",
                                  "relations", "checkworthiness"}
        assert 0.0 <= assertion["checkworthiness"] <= 1.0
        for link in assertion["chain"]:
            assert set(link) == {"name", "kind", "role"}
    for item in data["dropped"]:
        assert set(item) == {"text", "start", "end", "reason"}


def test_attributed_claims_are_more_check_worthy_than_the_articles_own_commentary(result: Extraction):
    carlson = find(result, "Russian media previously reported")
    own = find(result, "The flow of allegedly")
    assert carlson.checkworthiness >= 0.9
    assert own.checkworthiness < carlson.checkworthiness
