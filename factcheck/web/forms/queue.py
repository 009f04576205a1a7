"""Forms of the reviewer queue."""

from wtforms import Field, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from factcheck.web.forms import BaseForm
from factcheck.web.forms import choices


class ReviewNextForm(BaseForm):
    """Claim the next verdict to review (the button carries only the CSRF token)."""


class VerdictVoteForm(BaseForm):
    """Approve, approve as another rating, or return with a comment."""

    decision = SelectField("Decision", choices=choices([("approve", "Approve"), ("return", "Return")]),
                           validators=[DataRequired(message="Approve or return the verdict."),
                                       AnyOf(["approve", "return"])])
    rating = SelectField("Approve as", validators=[Optional()])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=5000)])

    def validate_comment(self, field: Field) -> None:
        """A return needs a comment telling the author what to fix."""
        from wtforms.validators import ValidationError

        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError("Write a comment telling the author what to fix before returning the verdict.")
