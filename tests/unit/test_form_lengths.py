"""Form fields never accept more than their database columns hold."""

from __future__ import annotations

import pytest
from wtforms.validators import Length

from factcheck.models import Article, ChainLink, Evidence, ReaderSubmission, Source, User
from factcheck.web.forms.admin import AccountCreateForm
from factcheck.web.forms.articles import ArticleCreateForm
from factcheck.web.forms.items import ChainLinkForm, EvidenceForm
from factcheck.web.forms.submit import ClaimSubmitForm

CASES = [
    (ArticleCreateForm, "title", Article.title),
    (ArticleCreateForm, "url", Article.url),
    (ArticleCreateForm, "outlet", Source.name),
    (EvidenceForm, "title", Evidence.title),
    (EvidenceForm, "url", Evidence.url),
    (EvidenceForm, "source", Source.name),
    (ChainLinkForm, "source", Source.name),
    (ChainLinkForm, "verb", ChainLink.verb),
    (AccountCreateForm, "email", User.email),
    (AccountCreateForm, "display_name", User.display_name),
    (ClaimSubmitForm, "seen_at", ReaderSubmission.seen_at_url),
    (ClaimSubmitForm, "email", ReaderSubmission.email),
]


def _max_length(form_class, field: str) -> int | None:
    validators = getattr(form_class, field).kwargs.get("validators", [])
    limits = [v.max for v in validators if isinstance(v, Length) and v.max and v.max > 0]
    return min(limits) if limits else None


@pytest.mark.parametrize(("form_class", "field", "column"), CASES,
                         ids=[f"{c[0].__name__}.{c[1]}" for c in CASES])
def test_a_fields_maximum_length_fits_its_column(form_class, field, column):
    limit = _max_length(form_class, field)
    assert limit is not None, f"{form_class.__name__}.{field} has no maximum length"
    assert limit <= column.type.length, f"{limit} > {column.type.length}"
