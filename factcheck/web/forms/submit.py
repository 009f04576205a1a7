"""The public claim inbox's form."""

from wtforms import EmailField, Field, HiddenField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from factcheck.services.errors import InvalidInput
from factcheck.services.submissions import (
    MAX_CLAIM_CHARS, MAX_EMAIL_CHARS, MAX_URL_CHARS, MIN_CLAIM_CHARS, clean_email,
)
from factcheck.web.forms import BaseForm


class ClaimSubmitForm(BaseForm):
    """A reader's claim, where they saw it, an address for the answer; a trap field and when the form was opened."""

    claim = TextAreaField("The claim you want checked", validators=[
        DataRequired(message="Write the claim you want checked."),
        Length(min=MIN_CLAIM_CHARS, max=MAX_CLAIM_CHARS,
               message=f"Write the claim in {MIN_CLAIM_CHARS} to {MAX_CLAIM_CHARS} characters."),
    ])
    seen_at = StringField("Where did you see it? (optional)", validators=[
        Optional(), Length(max=MAX_URL_CHARS, message=f"Keep the link under {MAX_URL_CHARS} characters."),
        URL(require_tld=False, message="Give the full link, starting with https://, or leave it empty."),
    ])
    email = EmailField("Your email, for the answer (optional)", validators=[
        Optional(), Length(max=MAX_EMAIL_CHARS, message=f"Keep the address under {MAX_EMAIL_CHARS} characters."),
    ])
    #: A trap: hidden from people, filled in by form-filling robots.
    website = StringField("Leave this field empty", validators=[Optional(), Length(max=200)])
    #: When the form was opened, signed (``web.submit.started_token``).
    started = HiddenField()

    def validate_email(self, field: Field) -> None:
        """The service's rule for an answer's address (``submissions.clean_email``), shown beside the field."""
        try:
            clean_email(field.data)
        except InvalidInput as exc:
            raise ValidationError(str(exc)) from None
