"""The claim ranker: how texts become terms, how claims are scored and ordered (no database)."""

from __future__ import annotations

from factcheck.domain.ranking import (
    NAME_WEIGHT,
    NUMBER_WEIGHT,
    CachedLookup,
    ClaimIndex,
    CorpusStats,
    analyse,
    coverage,
    query_terms,
    rank_claims,
)

CLAIMS = [
    ("kkk", "Joe Biden posed for a photograph with a Grand Wizard of the Ku Klux Klan."),
    ("economy", "Joe Biden said the economy grew faster under Democratic presidents."),
    ("wall", "A Georgia governor called for a wall of steel against immigrants in 1924."),
    ("storm", "Thousands of people stormed Area 51 in September 2019."),
    ("sea", "The sea level rose by 20 cm since 1900."),
]


def test_hashtags_and_handles_are_split_into_their_words() -> None:
    terms = analyse("So proud! #StormArea51 thanks to @realDonaldTrump").terms
    assert {"storm", "area", "51", "real", "donald", "trump"} <= set(terms)


def test_links_and_picture_addresses_say_nothing() -> None:
    analysed = analyse("Look pic.twitter.com/i5N4AN9Vb8 https://t.co/abcDEF123 www.example.org/x")
    assert analysed.terms == ("look",)


def test_words_are_stemmed_and_folded_so_inflections_and_accents_meet() -> None:
    assert analyse("released").terms == analyse("releases").terms == analyse("releasing").terms
    assert analyse("São Tomé").terms == analyse("Sao Tome").terms


def test_thousands_separators_do_not_split_a_number() -> None:
    assert "122000" in analyse("122,000 detainees").terms


def test_numbers_and_names_inside_a_sentence_weigh_more_than_words() -> None:
    weights = analyse("The photo shows Biden with 122 detainees.").weights
    assert weights["biden"] == NAME_WEIGHT and weights["122"] == NUMBER_WEIGHT
    assert weights["photo"] == 1.0
    # A capital that only begins a sentence, or shouts, is no name.
    assert analyse("Photos were taken.").weights["photo"] == 1.0
    assert analyse("SHOCKING PHOTOS").weights["shock"] == 1.0


def test_query_terms_put_numbers_and_names_first_and_are_capped() -> None:
    analysed = analyse("the photograph shows Biden in 1924")
    assert query_terms(analysed)[:2] == ["1924", "biden"]
    assert len(query_terms(analyse(" ".join(f"word{n}x" for n in range(100))), limit=40)) == 40


def test_coverage_counts_a_rare_term_missing_more_than_a_common_one() -> None:
    stats = CorpusStats(1000, 8.0, {"photo": 300, "biden": 200, "wizard": 2, "klan": 3})
    claim = analyse("photo Biden wizard klan")
    assert coverage(analyse("photo biden wizard klan"), claim, stats) == 1.0
    without_rare = coverage(analyse("photo biden klan"), claim, stats)
    without_common = coverage(analyse("biden wizard klan"), claim, stats)
    assert 0.0 < without_rare < without_common < 1.0
    assert coverage(analyse("nothing shared here"), claim, stats) == 0.0


def test_words_side_by_side_as_in_the_claim_count_more_than_the_same_words_scattered() -> None:
    stats = CorpusStats(1000, 8.0, {})
    claim = analyse("grand wizard posed photograph")
    in_order = coverage(analyse("he posed in a photograph with the grand wizard"), claim, stats)
    scattered = coverage(analyse("wizard photograph posed grand"), claim, stats)
    assert in_order > scattered


def test_a_long_noisy_message_finds_the_short_claim_it_repeats_first() -> None:
    index = ClaimIndex(CLAIMS)
    message = ("Biden with Grand wizard Of KKK. So who again is playing you, lying to you, using you for the "
               "votes, Creators of the KKK, opposed civil right of blacks. Yup that's the Democratic Party. "
               "pic.twitter.com/i5N4AN9Vb8 — UnclePhilly (@unclephilly) June 26, 2019")
    ranked = index.search(message, top=3)
    assert ranked[0].claim_id == "kkk"
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.score.rank >= b.score.rank for a, b in zip(ranked, ranked[1:]))


def test_a_hashtag_finds_the_claim_that_writes_its_words_apart() -> None:
    ranked = ClaimIndex(CLAIMS).search("Here is the crowd this morning #StormArea51 #Area51")
    assert ranked[0].claim_id == "storm"


def test_claims_sharing_no_term_with_the_text_are_not_returned() -> None:
    assert ClaimIndex(CLAIMS).search("Bananas are the most popular fruit in Norway.") == []
    assert len(ClaimIndex(CLAIMS).search("Joe Biden", top=1)) == 1


def test_rank_claims_looks_up_each_term_once_and_the_remaining_terms_of_the_best_claims_only() -> None:
    asked: list[set[str]] = []
    counts = {"biden": 2, "wizard": 1, "grand": 1, "kkk": 1, "pose": 1, "photograph": 1, "ku": 1, "klux": 1,
              "klan": 1, "joe": 2, "economi": 1}

    def lookup(terms):
        asked.append(set(terms))
        return {t: counts.get(t, 0) for t in terms}

    claims = [(key, analyse(text)) for key, text in CLAIMS]
    cached = CachedLookup(lookup)
    ranked = rank_claims(analyse("Biden with the grand wizard"), claims, 5, cached, top=2)
    assert [key for key, _ in ranked][0] == "kkk"
    assert asked[0] == {"biden", "wizard", "grand"}
    # The second question is about terms of the claims that share a term with the text, nothing else.
    assert asked[1] and not asked[1] & asked[0]
    assert "sea" not in asked[1] and "1900" not in asked[1]
    cached(["biden", "wizard"])
    assert len(asked) == 2


def test_an_analysed_text_pickles_to_an_equal_one() -> None:
    import pickle

    made = analyse("The sea level rose by 20 cm since 1900, said Dr. Smith. #ClimateFacts")
    back = pickle.loads(pickle.dumps(made))
    assert back == made and back is not made
    assert back.counts == made.counts and back.weights == made.weights and back.words == made.words


def test_a_text_analysed_elsewhere_is_taken_as_it_was_given_without_analysing_it_again(monkeypatch) -> None:
    import pickle

    from factcheck.domain import ranking

    text = "A text read in another process: its minister claimed 4,000 jobs in 2024."
    given = pickle.loads(pickle.dumps(analyse(text)))
    ranking.analyse.cache_clear()
    folded: list[str] = []
    real_fold = ranking._fold
    monkeypatch.setattr(ranking, "_fold", lambda t: folded.append(t) or real_fold(t))
    ranking.take_analysed([(text, given)])
    assert analyse(text) is given  # taken into the cache as its own
    assert folded == []  # not analysed here
    assert ranking._GIVEN == {}  # nothing left behind


def test_a_text_already_analysed_here_keeps_its_own_value() -> None:
    from factcheck.domain import ranking

    text = "The bridge will reopen in May, the mayor said."
    own = analyse(text)
    other = ranking.Analysed(("other",), {"other": 1.0}, {"other": "other"})
    ranking.take_analysed([(text, other)])
    assert analyse(text) is own
    assert ranking._GIVEN == {}
