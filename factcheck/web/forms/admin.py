"""Administration forms: accounts and their roles, webhooks."""

from wtforms import EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from factcheck.domain.webhooks import EventKind
from factcheck.domain.workflow import Role
from factcheck.web.forms import BaseForm, choices

#: Every role, in the order of the workflow (WTForms 3.3 option objects, not tuples).
ROLE_OPTIONS = choices((r.value, r.value.capitalize()) for r in Role)


class AccountCreateForm(BaseForm):
    """An admin creates an account: email, display name, initial password and roles."""

    email = EmailField("Email", validators=[
        DataRequired(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter a valid email address.")])
    display_name = StringField("Display name", validators=[Length(max=120)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=12, max=512)])
    roles = SelectMultipleField("Roles", choices=ROLE_OPTIONS,
                                validators=[DataRequired(message="Choose at least one role.")])


class AccountRolesForm(BaseForm):
    """An admin replaces an account's roles."""

    roles = SelectMultipleField("Roles", choices=ROLE_OPTIONS,
                                validators=[DataRequired(message="Choose at least one role.")])


class WebhookCreateForm(BaseForm):
    """An admin registers a URL for some events."""

    url = StringField("URL", validators=[DataRequired(message="Give the URL to send events to."), Length(max=2000)])
    description = StringField("What receives it", validators=[Length(max=200)])
    events = SelectMultipleField("Events", choices=choices((k.value, k.value) for k in EventKind),
                                 validators=[DataRequired(message="Choose at least one event.")])
