"""Fact-checkers known by their address or name, exactly: a part of another's name or address is not enough."""

from __future__ import annotations

import pytest

from factcheck.domain.archives import publisher_name
from factcheck.domain.labels import LabelNormaliser, publisher_scale
from factcheck.domain.publishers import known_publisher


@pytest.mark.parametrize(("value", "key"), [
    ("https://www.aosfatos.org/noticias/x/", "aosfatos"),
    ("https:www.aosfatos.org", "aosfatos"),  # as FACTCK.BR writes it
    ("https:apublica.org", "apublica"),
    ("https://apublica.org/2019/07/truco/", "apublica"),
    ("https:piaui.folha.uol.com.brlupa", "lupa"),
    ("https://piaui.folha.uol.com.br/lupa/2019/07/22/verificamos/", "lupa"),
    ("https://www.politifact.com/factchecks/2020/", "politifact"),
    ("piaui.folha.uol.com.br/lupa", "lupa"),
    ("aosfatos.org", "aosfatos"),
    ("Aos Fatos", "aosfatos"),
    ("Agência Pública", "apublica"),
    ("Agência Lupa", "lupa"),
    ("PolitiFact", "politifact"),
])
def test_a_fact_checker_is_known_by_its_address_or_its_name(value: str, key: str) -> None:
    known = known_publisher(value)
    assert known is not None and known.key == key


@pytest.mark.parametrize("value", [
    "Plaza Pública", "https://www.plazapublica.com.gt/content/el-puente", "https://lupanews.example.org/a",
    "Lupa Verde Noticias", "https://notaosfatos.example.com/", "https://piaui.folha.uol.com.br/materia/lupa",
    "https://apublica.org.evil.example/", "Politifact Watchers Club", "plazapublica.com.gt",
])
def test_a_part_of_another_name_or_address_is_not_enough(value: str) -> None:
    assert known_publisher(value) is None


def test_who_rated_and_how_its_numbers_read_follow_the_same_rule() -> None:
    assert publisher_name(None, "https://www.plazapublica.com.gt/content/el-puente") == "plazapublica.com.gt"
    assert publisher_name(None, "https://apublica.org/2019/07/truco/") == "Agência Pública"
    assert publisher_scale("Plaza Pública") is None and publisher_scale("Agência Pública") is not None
    normaliser = LabelNormaliser({})
    # 5 of 1–5 from a publisher whose scale is not known is a plain line: true; on Pública's categories it is not.
    assert normaliser.normalise(None, 5, 5, 1, "Plaza Pública").key == "true"
    assert normaliser.normalise(None, 5, 5, 1, "Agência Pública").key == "unverifiable"
