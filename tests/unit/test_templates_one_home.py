"""Templates write a rating chip only through the ``rating_chip`` macro, whose markup is written once (in
``web/rows.py``), and compare enums, not their values."""

from __future__ import annotations

import re
from pathlib import Path

from factcheck.app import create_app
from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import Action, CorrectionTier, Decision, Status
from factcheck.queries.verdicts import CardState, RatingChip

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PACKAGE = Path(__file__).resolve().parents[2] / "factcheck"
#: Templates another change still has to switch over (kept short, and shrinking).
NOT_YET_SWITCHED: set[str] = set()

_HAND_WRITTEN_CHIP = re.compile(r'class="rating"')
_VALUE_AGAINST_STRING = re.compile(r"""\.value\s*[!=]=\s*['"]|['"]\s*[!=]=\s*[\w.]+\.value\b""")
_STATE_AGAINST_STRING = re.compile(r"""\.state\s*[!=]=\s*['"]""")


def _templates() -> dict[str, str]:
    return {p.relative_to(TEMPLATES).as_posix(): p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html")}


def test_only_the_macro_writes_a_rating_chip() -> None:
    offenders = {name for name, text in _templates().items()
                 if name != "_macros.html" and _HAND_WRITTEN_CHIP.search(text)}
    assert offenders <= NOT_YET_SWITCHED, offenders - NOT_YET_SWITCHED


def test_the_chips_markup_is_written_in_one_place_which_the_macros_call() -> None:
    sources = {**{f"templates/{k}": v for k, v in _templates().items()},
               **{p.relative_to(PACKAGE.parent).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}}
    writers = {name for name, text in sources.items() if _HAND_WRITTEN_CHIP.search(text)}
    assert writers == {"factcheck/web/rows.py"}, writers
    macros = _templates()["_macros.html"]
    assert "rating_chip_html(rating)" in macros and "status_chip_html(status)" in macros


def test_the_macros_write_what_the_python_writes(tmp_path: Path) -> None:
    from markupsafe import Markup

    from factcheck.models import Rating
    from factcheck.web import rows

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "SECRET_KEY": "x" * 32,
                      "TESTING": True})
    rating = Rating(key="false", label="False <b>", colour="#cf222e")
    with app.app_context():
        macros = app.jinja_env.get_template("_macros.html").module
        assert str(macros.rating_chip(rating)).strip() == rows.rating_chip(rating)  # type: ignore[attr-defined]
        assert str(macros.status_chip(Status.VERDICT)).strip() == rows.status_chip(Status.VERDICT)  # type: ignore[attr-defined]
        assert str(macros.rating_chip(None)).strip() == ""  # type: ignore[attr-defined]
    assert rows.rating_chip(rating) == Markup('<span class="rating" style="--rating-colour: #cf222e; '
                                              '--rating-ink: ' + rows.ink_on("#cf222e") + '">False &lt;b&gt;</span>')
    assert rows.status_chip(Status.VERDICT) == Markup('<span class="chip chip-verdict">verdict</span>')


def test_templates_compare_enums_not_their_values_written_as_strings() -> None:
    offenders = {name for name, text in _templates().items()
                 if _VALUE_AGAINST_STRING.search(text) or _STATE_AGAINST_STRING.search(text)}
    assert offenders <= NOT_YET_SWITCHED, offenders - NOT_YET_SWITCHED


def test_templates_have_the_enums_they_compare_against(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "SECRET_KEY": "x" * 32,
                      "TESTING": True})
    source = ("{{ Status.CLAIM == 'claim' }} {{ Decision.APPROVE == 'approve' }} {{ Capability.REVIEW == 'review' }} {{ Action.TAKE == 'take' }} "
              "{{ CorrectionTier.RATING_CHANGE == 'rating_change' }} {{ CardState.UNCHECKED == 'unchecked' }}")
    with app.app_context():
        assert app.jinja_env.from_string(source).render() == "True True True True True True"
    assert {k: app.jinja_env.globals[k] for k in ("Status", "Decision", "Capability", "Action", "CorrectionTier",
                                                  "CardState")} == {
        "Status": Status, "Decision": Decision, "Capability": Capability, "Action": Action, "CorrectionTier": CorrectionTier, "CardState": CardState}


def test_a_chip_is_made_only_for_a_rating() -> None:
    assert RatingChip.of(None, None) is None
    assert RatingChip.of("", "#cf222e") is None
    assert RatingChip.of("False", "#cf222e") == RatingChip("False", "#cf222e")


def test_a_card_state_is_still_its_string_in_exports() -> None:
    assert CardState.UNCHECKED == "unchecked" and f"{CardState.DISMISSED}" == "dismissed"
