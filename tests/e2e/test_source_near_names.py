"""A shortened or near source name is not silently made a second source: the evidence form comes back
asking "Did you mean …?" and saves nothing until a choice is sent with it (plain form posts, no script)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from factcheck.domain.names import near_name
from factcheck.domain.workflow import SourceKind
from factcheck.models import Evidence, Source
from factcheck.services.sources import find_or_create_source, find_source, near_sources
from tests.helpers import post_form, sign_in

EVIDENCE = {"title": "The press office's statement", "url": "https://kremlin.example/statement",
            "stance": "refutes", "source_kind": "government"}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_near_names_are_shortened_abbreviated_or_misspelt_forms_and_never_the_same_name():
    assert near_name("Kremlin", "Kremlin press office")
    assert near_name("NYT", "The New York Times")
    assert near_name("Zelenksy", "Zelensky")
    assert not near_name("Zelenskyy", "Zelensky")  # one name's spellings: found, not offered
    assert not near_name("Reuters", "Associated Press")
    assert not near_name("Kyiv Post", "Kyiv Independent")


def test_a_shortened_name_is_offered_the_known_source_and_nothing_is_saved(client, world, session):
    office = find_or_create_source(session, "Kremlin press office", SourceKind.GOVERNMENT)
    session.flush()
    assert [s.id for s in near_sources(session, "Kremlin")] == [office.id]
    sources, pieces = _count(session, Source), _count(session, Evidence)
    sign_in(client, world.email("checker"))
    url = world.url("/items/{item_id}")

    response = post_form(client, url + "/evidence", {**EVIDENCE, "source": "Kremlin"}, form_page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Did you mean" in html
    assert re.search(rf'<input type="radio" name="source_choice" value="{office.id}"[^>]*autofocus', html)
    assert 'value="new"' in html and 'id="source_choice-error"' in html
    assert (_count(session, Source), _count(session, Evidence)) == (sources, pieces)

    response = post_form(client, url + "/evidence", {**EVIDENCE, "source": "Kremlin", "source_choice": str(office.id)},
                         form_page=url)
    assert response.status_code == 302
    session.expire_all()
    assert _count(session, Source) == sources and _count(session, Evidence) == pieces + 1
    assert session.scalars(select(Evidence).order_by(Evidence.id.desc()).limit(1)).one().source_id == office.id
    assert find_source(session, "Kremlin").id == office.id  # the typed name is one of its names now


def test_choosing_new_creates_the_second_source_on_purpose(client, world, session):
    find_or_create_source(session, "Kremlin press office", SourceKind.GOVERNMENT)
    session.flush()
    sources = _count(session, Source)
    sign_in(client, world.email("checker"))
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/evidence", {**EVIDENCE, "source": "Kremlin", "source_choice": "new"},
                         form_page=url)
    assert response.status_code == 302
    session.expire_all()
    assert _count(session, Source) == sources + 1
    assert find_source(session, "Kremlin").name == "Kremlin"


def test_a_known_name_or_a_name_near_nothing_is_saved_at_once(client, world, session):
    find_or_create_source(session, "Kremlin press office", SourceKind.GOVERNMENT)
    session.flush()
    sign_in(client, world.email("checker"))
    url = world.url("/items/{item_id}")
    for name in ("Kremlin Press Office", "Harbour Master's Log"):
        response = post_form(client, url + "/evidence", {**EVIDENCE, "source": name}, form_page=url)
        assert response.status_code == 302, name
