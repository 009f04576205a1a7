"""Account forms: the second sign-in step, password change and reset, second factor, re-authentication."""

from wtforms import EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from factcheck.web.forms import BaseForm, choices


class SecondFactorForm(BaseForm):
    """The code from the authenticator app, or a recovery code."""

    code = StringField("Code", validators=[DataRequired(message="Enter the code."), Length(max=20)])


class PasswordChangeForm(BaseForm):
    """The current password and the new one, twice."""

    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=512)])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=512)])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two new passwords differ.")])


class ResetRequestForm(BaseForm):
    """The email of the account whose password was forgotten."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])


class ResetForm(BaseForm):
    """A new password, twice."""

    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=512)])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two passwords differ.")])


class EnrolForm(BaseForm):
    """The first code the new authenticator shows, with the secret it was given."""

    secret = HiddenField(validators=[DataRequired(), Length(max=64)])
    code = StringField("Code from the app", validators=[DataRequired(message="Enter the code."), Length(max=20)])


class ReauthForm(BaseForm):
    """The password again (and a code, with a second factor) before a sensitive change."""

    password = PasswordField("Password", validators=[DataRequired(), Length(max=512)])
    code = StringField("Code from the authenticator app", validators=[Length(max=20)])


class ConfirmForm(BaseForm):
    """A button that only posts (CSRF included)."""


class TokenCreateForm(BaseForm):
    """A personal API token: what it is for, what it may do, how long it lasts."""

    name = StringField("Name", validators=[DataRequired(message="Name the token after what will use it."),
                                           Length(max=80)])
    scope = SelectField("May", choices=choices([("read", "read only"), ("write", "read and write")]), default="read")
    expires_days = IntegerField("Days until it stops working", default=90,
                                validators=[InputRequired(message="Say how many days it lasts."),
                                            NumberRange(min=1, max=3650, message="From 1 to 3,650 days.")])


class TokenRevokeForm(BaseForm):
    """Revoke one token, by name."""

    name = HiddenField(validators=[DataRequired(), Length(max=80)])
