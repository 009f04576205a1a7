"""Sign-in and user administration forms."""

from wtforms import BooleanField, EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from factcheck.domain.workflow import Role
from factcheck.web.forms import BaseForm

ROLE_CHOICES = [(r.value, r.value.capitalize()) for r in Role]


class LoginForm(BaseForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=512)])
    remember = BooleanField("Keep me signed in")


class UserCreateForm(BaseForm):
    """An admin creates an account."""

    email = EmailField("Email", validators=[DataRequired(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter a valid email address."), Length(max=254)])
    display_name = StringField("Display name", validators=[Length(max=120)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=8, max=512)])
    roles = SelectMultipleField("Roles", choices=ROLE_CHOICES, validators=[DataRequired()])


class UserRolesForm(BaseForm):
    """An admin changes an account's roles."""

    roles = SelectMultipleField("Roles", choices=ROLE_CHOICES, validators=[DataRequired()])
