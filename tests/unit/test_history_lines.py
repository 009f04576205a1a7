"""An item's history lines written in Python (``web.history``) say what the template macro said, escaped."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from jinja2 import Environment

from factcheck.web.history import history_line, history_value
from factcheck.web.templating import markdown, timestamp

#: The template macro the lines were written by before (``templates/items/_parts.html``), kept here as
#: the reference the Python writer must match.
MACRO = """
{% macro history_value(value) -%}
  {%- if value is none or value == '' or value == [] %}(empty){% elif value is string %}{{ value }}
  {%- elif value is mapping %}{% for k, v in value.items() %}{{ k }}: {{ v }}{% if not loop.last %}, {% endif %}{% endfor %}
  {%- elif value is sequence %}{% for part in value %}{% if part is sequence and part is not string %}{{ part|join(' ') }}{% else %}{{ part }}{% endif %}{% if not loop.last %}{{ ' ▸ ' if part is sequence and part is not string else ', ' }}{% endif %}{% endfor %}
  {%- else %}{{ value }}{% endif -%}
{%- endmacro %}
{% macro event_line(e) %}
  <li class="event event-{{ e.action }}">
    <time datetime="{{ e.created_at.isoformat() }}">{{ e.created_at|timestamp }}</time>
    <strong>{{ e.action|replace('_', ' ') }}</strong>
    {% if e.from_status or e.to_status %}<span class="muted">{{ e.from_status or '' }}{% if e.from_status %} → {% endif %}{{ e.to_status }}</span>{% endif %}
    <span class="muted">· {{ e.actor.display_name if e.actor else 'system' }}</span>
    {% set p = e.payload or {} %}
    {% if p.reason %}<div class="payload">Reason: {{ p.reason }}</div>{% endif %}
    {% if p.comment %}<div class="payload">Comment: {{ p.comment }}</div>{% endif %}
    {% if p.note %}<div class="payload">Note ({{ p.tier|replace('_', ' ') }}): {{ p.note }}</div>{% endif %}
    {% if e.action == 'vote' %}<div class="payload">{% if p.deciding %}deciding vote for {{ p.rating }}{% else %}{{ p.decision }}{% if p.rating %} as {{ p.rating }}{% endif %}{% endif %}</div>{% endif %}
    {% if e.action == 'priority' %}<div class="payload">priority <del>{{ '%.2f'|format(p.priority[0]) }}</del> → <ins>{{ '%.2f'|format(p.priority[1]) }}</ins> ({{ p.because }})</div>{% endif %}
    {% if e.action in ('propose', 'publish') and p.rating %}<div class="payload">Rating: {{ p.rating }}</div>{% endif %}
    {% if e.action == 'assign' %}<div class="payload">to {{ p.assignee }}</div>{% endif %}
    {% if e.action == 'note' %}<div class="payload prose">{{ p.body|markdown }}</div>{% endif %}
    {% if e.action == 'relate' %}<div class="payload">{{ p.type }} #{{ p.target_id }}</div>{% endif %}
    {% if e.action == 'edit' %}
      {% for key, change in p.items() %}
        <div class="payload">{{ key|replace('_', ' ') }}: {% if change is sequence and change|length == 2 %}<del>{{ history_value(change[0]) }}</del> → <ins>{{ history_value(change[1]) }}</ins>{% endif %}</div>
      {% endfor %}
    {% endif %}
    {% if e.action in ('add_evidence', 'edit_evidence') %}<div class="payload">evidence #{{ e.entity_id }}{% if p.title %}: {{ p.title if p.title is string else p.title[1] }}{% endif %}</div>{% endif %}
  </li>
{% endmacro %}
"""


@dataclass(frozen=True)
class Person:
    display_name: str


@dataclass(frozen=True)
class Event:
    action: str
    payload: dict[str, Any] | None = None
    from_status: str | None = None
    to_status: str | None = None
    actor: Person | None = Person("A reviewer")
    entity_id: int | None = None
    created_at: dt.datetime = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC)


EVENTS = [
    Event("create", {"origin": "extracted"}, to_status="claim", actor=None),
    Event("take", None, "claim", "evidence"),
    Event("return", {"comment": "Needs a <b>second</b> source & a date."}, "verdict", "evidence"),
    Event("dismiss", {"reason": "Opinion, not a claim."}, "claim", "dismissed"),
    Event("correct", {"note": "Date fixed.", "tier": "minor_fix"}),
    Event("vote", {"deciding": True, "rating": "false"}),
    Event("vote", {"decision": "approve", "rating": "mostly-false"}),
    Event("vote", {"decision": "approve", "rating": "a&b <x>"}),  # escaped once, as the template did
    Event("vote", {"decision": "return"}),
    Event("priority", {"priority": [0.41234, 0.8], "because": "repeats #12"}),
    Event("propose", {"rating": "false"}, "evidence", "verdict"),
    Event("publish", {}, "verdict", "published"),
    Event("assign", {"assignee": "A checker <x>"}),
    Event("note", {"body": "See **this** <script>alert(1)</script> [link](javascript:alert(1))"}),
    Event("relate", {"type": "denies", "target_id": 7}),
    Event("edit", {"chain": [[["Lavrov", "said"], ["TASS", "reported"]], []],
                   "restatement": ["", "The dam held."], "claimant": ["A", None],
                   "dates": [["2024-02-15"], ["2024-02-15", "2024-02-16"]],
                   "sources": [{"name": "x", "kind": "person"}, {}], "odd": ["only one"], "flag": [False, 0]}),
    Event("add_evidence", {"title": "Ministry report <2024>"}, entity_id=3),
    Event("edit_evidence", {"title": ["Old title", "New & better"]}, entity_id=3),
    Event("edit_evidence", {}, entity_id=4),
    Event("lease", None, actor=Person("O'Brien & Sons")),
]


def _flat(html: str) -> str:
    """Markup with the whitespace between elements, and runs of it, taken out (a browser shows them alike)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.fixture(scope="module")
def macro():
    env = Environment(autoescape=True)
    env.filters.update(markdown=markdown, timestamp=timestamp)
    return env.from_string(MACRO).module


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.action)
def test_a_history_line_says_what_the_template_said(macro, event):
    assert _flat(str(history_line(event))) == _flat(str(macro.event_line(event)))


def test_every_text_in_a_line_is_escaped():
    line = str(history_line(Event("return", {"comment": "<img src=x onerror=alert(1)>"}, actor=Person("<b>"))))
    assert "<img" not in line and "&lt;img src=x onerror=alert(1)&gt;" in line and "&lt;b&gt;" in line
    note = str(history_line(Event("note", {"body": "<script>alert(1)</script>"})))
    assert "<script" not in note


def test_changed_values_read_as_words():
    assert history_value(None) == history_value("") == history_value([]) == "(empty)"
    assert history_value([["Lavrov", "said"], ["TASS", "reported"]]) == "Lavrov said ▸ TASS reported"
    assert history_value(["2024-02-15", "2024-02-16"]) == "2024-02-15, 2024-02-16"
    assert history_value({"name": "<x>", "kind": "person"}) == "name: &lt;x&gt;, kind: person"


def test_a_missing_state_is_left_blank_not_written_none():
    # (The macro wrote "claim → None" here.)
    line = str(history_line(Event("move", None, "claim", None)))
    assert '<span class="muted">claim → </span>' in line and "None" not in line
