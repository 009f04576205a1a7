"""Every form strips its text fields, and building a form leaves the form class as it was."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from factcheck.web.forms.articles import ArticleCreateForm
from factcheck.web.forms.auth import LoginForm


@pytest.fixture
def request_context():
    """A bare request context: forms need one, not a database."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="a-unit-test-secret-key", WTF_CSRF_ENABLED=False)
    with app.test_request_context("/", method="POST"):
        yield


def test_building_a_form_many_times_does_not_grow_its_filters(request_context):
    class_filters = list(ArticleCreateForm.title.kwargs.get("filters", []))
    first = ArticleCreateForm(formdata=MultiDict({"title": "A title"}))
    per_form = len(first.title.filters)
    for _ in range(1000):
        form = ArticleCreateForm(formdata=MultiDict({"title": "A title"}))
    assert len(form.title.filters) == per_form == 1
    assert list(ArticleCreateForm.title.kwargs.get("filters", [])) == class_filters


def test_text_fields_are_stripped_and_passwords_are_not(request_context):
    for _ in range(3):  # the same answer on every instance, not only the first
        form = LoginForm(formdata=MultiDict({"email": "  a.reviewer@example.org \n", "password": "  spaced pass  "}))
        assert form.email.data == "a.reviewer@example.org"
        assert form.password.data == "  spaced pass  "
        article = ArticleCreateForm(formdata=MultiDict({"title": "\t Harbour closure  ", "text": "  Body.  "}))
        assert (article.title.data, article.text.data) == ("Harbour closure", "Body.")
