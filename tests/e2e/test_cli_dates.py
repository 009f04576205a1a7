"""``factcheck ingest --published``: a date that does not exist is named as such."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from factcheck.cli import main
from factcheck.models import Article
from tests.e2e.test_cli import cli_env  # noqa: F401  (the fixture)

ARTICLE = "The minister said on Monday that unemployment fell to 4 percent in March.\n"


def _ingest(tmp_path, published: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    return CliRunner().invoke(main, ["ingest", str(path), "--published", published])


def test_a_day_that_does_not_exist_is_not_a_real_date(cli_env, tmp_path):  # noqa: F811
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    result = _ingest(tmp_path, "2024-02-30")
    assert result.exit_code == 2
    assert "2024-02-30 is not a real date." in result.output and "does not match the format" not in result.output
    with cli_env.sessionmaker() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0


@pytest.mark.parametrize("published", ["30/02/2024", "2024/02/29", "yesterday"])
def test_a_date_in_another_shape_is_asked_for_as_yyyy_mm_dd(cli_env, tmp_path, published):  # noqa: F811
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    result = _ingest(tmp_path, published)
    assert result.exit_code == 2 and f"{published} is not a date written as YYYY-MM-DD" in result.output


def test_a_real_date_is_stored(cli_env, tmp_path):  # noqa: F811
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    result = _ingest(tmp_path, "2024-2-29")
    assert result.exit_code == 0, result.output
    with cli_env.sessionmaker() as s:
        assert str(s.scalars(select(Article.published_on)).one()) == "2024-02-29"
