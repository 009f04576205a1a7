"""WTForms forms (CSRF built in through Flask-WTF). Forms validate input; they never touch the database."""

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, SelectChoice, StringField
from wtforms.fields.core import UnboundField


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


#: What a field holding a NUL character (which no text column can store, and PostgreSQL refuses) is told.
NUL_REFUSED = "This holds a NUL character (often pasted along from another program), which cannot be stored: remove it."


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(part) for part in value)
    return False


class BaseForm(FlaskForm):
    """Base for every form: CSRF on, text input stripped of surrounding space (never passwords), and no field
    holding a NUL character (refused with the field's other errors, so nothing reaches the database)."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        for field in self:
            if _holds_nul(field.data):
                field.errors = [*field.errors, NUL_REFUSED]
                valid = False
        return valid

    class Meta:
        def bind_field(self, form: FlaskForm, unbound_field: UnboundField, options: dict[str, Any]) -> Field:
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                # A new list for this field only: the unbound field is shared by every instance of
                # the form class, so changing its kwargs would add one more filter per request.
                filters = [_strip, *unbound_field.kwargs.get("filters", ())]
                return unbound_field.bind(form=form, **options, filters=filters)
            return unbound_field.bind(form=form, **options)


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as the select options WTForms 3.3 expects (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]
