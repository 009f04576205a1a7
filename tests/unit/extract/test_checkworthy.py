"""Check-worthiness: the learned weights, the transcript ranking and the ``checkworthy`` command."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.domain.extract.checkworthy import (
    Context,
    Model,
    contexts,
    features,
    score,
    score_transcript,
    shipped_model,
)

TRAINING = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "clef2019-checkworthy" / "training"

#: Written for this test, in no training file: the claim has figures, a place and a time;
#: the other sentence of each pair is talk around claims (thanks, questions, turn-taking, opinion).
PAIRS = (
    ("Unemployment in the state rose from 4 percent to 9 percent between 2019 and 2023.",
     "Thank you all so much for being here tonight."),
    ("The city spent $12 million on the new bridge, twice what the council approved.",
     "Well, I think that's a very good question, and I'll come back to it."),
    ("Crime in the largest cities fell by a third in the last ten years.",
     "Can you tell the audience what you would do about that?"),
    ("The company closed three plants in Ohio and moved 2,000 jobs to Mexico.",
     "Let me finish, please, let me finish."),
)


def test_the_shipped_weights_load_and_score_every_kind_of_sentence_in_range():
    model = shipped_model()
    assert len(model.weights) > 100 and "bias" in model.weights
    assert str(model.notes["held_out"]).endswith(".tsv")
    for sentence in ("", "?", "(APPLAUSE)", "Yes.", PAIRS[0][0], "word " * 5000, "1" * 10000,
                     "\u00e9\u00e8 \u4e2d\u6587"):
        for attributed in (True, False):
            value = score(sentence, attributed=attributed)
            assert 0.0 <= value <= 1.0 and value == round(value, 2)
        assert all(0.0 <= p <= 1.0 for p in score_transcript([("A", sentence), ("B", sentence)]))


def test_a_sentence_without_an_english_word_or_a_number_is_not_check_worthy():
    for sentence in ("!!! ??? ... --- ,,,", "\u4e2d\u6587\u3002", ""):
        assert score(sentence, attributed=True) == 0.0
    assert score("Exports fell.", attributed=True) > 0.0


def test_a_model_file_of_another_format_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="not a check-worthiness model"):
        Model.from_json('{"format": 99, "weights": {}}')
    with pytest.raises(ValueError, match="no weights table"):
        Model.from_json('{"format": 1, "scale": [0, 1], "weights": {"bias": "high"}}')
    with pytest.raises(ValueError, match="no rising scale"):
        Model.from_json('{"format": 1, "scale": [1, 0], "weights": {"bias": 1}}')


def test_a_model_file_reads_back_the_weights_and_scale_it_was_written_with():
    model = Model({"bias": -1.5, "w:percent": 0.75}, [-3.0, -1.0, 1.0], {"held_out": "x.tsv"})
    again = Model.from_json(model.to_json())
    assert (again.weights, again.scale, again.notes) == (model.weights, model.scale, {"held_out": "x.tsv"})


def test_the_score_is_the_share_of_training_sentences_a_sentence_outranks():
    model = Model({"bias": 0.0}, [-3.0, -1.0, 1.0])
    assert [model.rescale(x) for x in (-5.0, -3.0, -2.0, -1.0, 0.0, 1.0, 4.0)] == [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0]


@pytest.mark.parametrize(("claim", "other"), PAIRS)
def test_the_learned_model_ranks_an_unseen_factual_claim_above_talk_that_claims_nothing(claim, other):
    model = shipped_model()
    assert model.checkworthiness(claim) > model.checkworthiness(other)
    assert score(claim, attributed=True) > score(other, attributed=True)


def test_the_features_are_general_shapes_plus_words_not_whole_sentences():
    values = features("In 2016 Ohio lost 35,000 jobs, Trump said?", Context(host=True))
    assert {"f:number", "f:year", "f:names=2", "f:question", "c:host", "w:jobs", "b:<num> jobs",
            "b:<s> in"} <= set(values)
    assert not any("35,000" in name or "ohio lost" in name.lower() and name.startswith("w:") for name in values)
    lexical = [value for name, value in values.items() if name.startswith(("w:", "b:"))]
    assert sum(v * v for v in lexical) == pytest.approx(1.0)


def test_a_speaker_who_asks_the_questions_is_a_host_and_the_answer_follows_a_question():
    lines = [("HOST", "Welcome."), ("HOST", "What will you do about jobs?"), ("GUEST", "We will build plants."),
             ("GUEST", "Jobs came back."), ("HOST", "Thank you."), ("HOST", "Next question?")]
    found = contexts(lines)
    assert [c.host for c in found] == [True, True, False, False, True, True]
    assert [c.after_question for c in found] == [False, False, True, False, False, False]
    assert [c.turn_start for c in found] == [True, False, True, False, True, False]
    assert not any(c.host for c in contexts([("", "Why?"), ("", "Because.")]))


def test_the_articles_own_voice_scores_lower_than_the_same_words_reported():
    sentence = "Exports to China fell by 12 percent in 2023."
    assert score(sentence, attributed=False) < score(sentence, attributed=True)


# --- factcheck checkworthy FILE --------------------------------------------------------------

def _run(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(main, ["checkworthy", *args], input=stdin)


def _output(result) -> list[tuple[str, float]]:
    assert result.exit_code == 0, result.output
    return [(line, float(value)) for line, value in (row.split("\t") for row in result.output.splitlines())]


def test_a_clef_tsv_prints_every_line_number_with_its_score_in_input_order(tmp_path: Path):
    tsv = tmp_path / "debate.tsv"
    tsv.write_text("3\tHOST\tWhat about jobs?\t0\n"
                   "1\tGUEST\tWe lost 70,000 factories since 2001, more than any country in history.\t1\n"
                   "2\tGUEST\tThank you.\t0\n", encoding="utf-8")
    rows = _output(_run([str(tsv)]))
    assert [line for line, _ in rows] == ["3", "1", "2"]
    assert all(0.0 <= value <= 1.0 for _, value in rows)
    assert rows[1][1] > rows[2][1]


def test_the_tsv_label_column_is_optional_and_the_speaker_changes_the_score():
    sentence = "The deficit doubled to $1.2 trillion in four years."
    as_guest = _output(_run(["-"], f"1\tGUEST\t{sentence}\n2\tGUEST\tYes.\n"))
    as_host = _output(_run(["-"], f"1\tHOST\t{sentence}\n2\tHOST\tWhy?\n"))
    assert as_guest[0][1] > as_host[0][1]


def test_plain_text_is_one_sentence_per_line_numbered_by_its_line_in_the_file(tmp_path: Path):
    text = tmp_path / "speech.txt"
    text.write_text("Thank you very much.\n\nTaxes went up 40 percent in 2019 under the old plan.\nOkay.\n",
                    encoding="utf-8")
    rows = _output(_run([str(text)]))
    assert [line for line, _ in rows] == ["1", "3", "4"]
    assert rows[1][1] > rows[0][1] and rows[1][1] > rows[2][1]


@pytest.mark.parametrize(("content", "message"), [
    ("", "has no sentences"),
    ("1\tA\tFirst.\t0\nnot a row\n", "Line 2 is not line<TAB>speaker<TAB>sentence"),
])
def test_an_unusable_transcript_gets_a_plain_error_and_exit_status_2(content: str, message: str):
    result = _run(["-"], content)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_missing_or_binary_file_gets_a_plain_error(tmp_path: Path):
    assert "Cannot read" in _run([str(tmp_path / "absent.tsv")]).output
    binary = tmp_path / "data.bin"
    binary.write_bytes(b"\x00\x01\x02")
    result = _run([str(binary)])
    assert result.exit_code == 2 and "binary" in result.output


# --- The debate the shipped model never saw ----------------------------------------------------

def _average_precision(scores: list[float], labels: list[int]) -> float:
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, index in enumerate(ranked, start=1):
        if labels[index]:
            hits += 1
            total += hits / rank
    return total / hits


@pytest.mark.skipif(not TRAINING.is_dir(), reason="the CLEF 2019 training files in ../shared are absent")
def test_the_shipped_model_ranks_the_debate_held_out_of_its_training_far_above_chance():
    held_out = TRAINING / str(shipped_model().notes["held_out"])
    rows = [raw.split("\t") for raw in held_out.read_text(encoding="utf-8").splitlines() if raw.strip()]
    labels = [int(row[3]) for row in rows]
    scores = score_transcript([(row[1], row[2]) for row in rows])
    rng = random.Random(7)
    chance = sum(_average_precision([rng.random() for _ in labels], labels) for _ in range(200)) / 200
    assert _average_precision(scores, labels) >= max(0.25, 5 * chance)
