"""A source named by "#id" in the merge form or at the command line: an id no row can have is "no such source",
never a server error or a traceback (Unicode digits, ids past the integers' range)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.domain.workflow import Role
from tests.conftest import migrated_sqlite_url
from tests.factories import gen_source, gen_user
from tests.helpers import post_form, sign_in

NO_ROW = ["#99999999999", "#²", "#9223372036854775808", "#0"]


@pytest.mark.parametrize("into", NO_ROW)
def test_merging_into_an_id_no_row_can_have_is_refused_in_plain_words(client, session, into):
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session, "Ottilie Brandvold")
    sign_in(client, editor.email)
    response = post_form(client, f"/sources/{source.id}/merge", {"into": into}, form_page=f"/sources/{source.id}")
    assert response.status_code in (404, 422), response.status_code
    assert source.merged_into_id is None


@pytest.mark.parametrize("ref", ["#99999999999999999999", "#2147483648", "#0"])
def test_sources_show_with_an_id_no_row_can_have_is_a_plain_error(tmp_path, monkeypatch, ref):
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", migrated_sqlite_url(tmp_path / "desk.sqlite3"))
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(main, ["sources", "show", ref])
    assert result.exit_code == 1 and "no source" in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
