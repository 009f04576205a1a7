"""Hypothesis posts random values to every form and query parameter: never a 5xx.

Routes come from the authorisation matrix (so every route is covered); field names from every
form class, plus names no form knows. The visitor holds every role, so each request gets past the
access checks into the code that has to cope with the input.
"""

from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import parse_qsl

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings
from wtforms import Form

import factcheck.web.forms as forms_package
from factcheck.domain.workflow import Role
from tests.e2e.conftest import page_token
from tests.e2e.test_authorisation_matrix import ROUTES
from tests.factories import gen_user
from tests.helpers import login


def _form_field_names() -> list[str]:
    names = {"csrf_token", "version", "next", "q", "page", "after", "before", "sort", "format"}
    for module in pkgutil.iter_modules(forms_package.__path__):
        mod = importlib.import_module(f"{forms_package.__name__}.{module.name}")
        for value in vars(mod).values():
            if isinstance(value, type) and issubclass(value, Form):
                names.update(name for name in dir(value) if not name.startswith("_")
                             and hasattr(getattr(value, name), "field_class"))
    return sorted(names)


FIELDS = _form_field_names()
VALUES = st.one_of(
    st.text(max_size=200),
    st.integers(-10**12, 10**12).map(str),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "true", "approve", "return", "false", "claim",
                     "2024-02-30", "javascript:alert(1)", "<script>alert(1)</script>", "%00", "\x00",
                     "https://example.org/" + "a" * 3000, "' OR 1=1 --", "../../etc/passwd"]),
)
FORM = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=20)), VALUES, max_size=12)
FUZZED = [r for r in ROUTES if r.endpoint != "auth.logout"]


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.sampled_from(FUZZED), data=FORM, with_token=st.booleans())
def test_random_input_to_any_route_never_causes_a_server_error(client, session, world, route, data, with_token):
    if not getattr(client, "_fuzz_signed_in", False):
        everyone = gen_user(session, Role.CHECKER, Role.REVIEWER, Role.EDITOR, Role.ADMIN)
        assert login(client, everyone.email).status_code == 302
        client._fuzz_signed_in = True
    url = world.url(route.url)
    if route.method == "GET":
        path, _, query = url.partition("?")
        response = client.get(path, query_string=[*parse_qsl(query), *data.items()])
    else:
        if with_token:
            data = {**data, "csrf_token": page_token(client)}
        response = client.open(url, method=route.method, data=data)
    assert response.status_code < 500, (route.method, url, data, response.get_data(as_text=True)[:300])
