"""Forms of the source pages and the intake panel. They validate input; they never touch the database."""

from __future__ import annotations

from typing import TypedDict

from wtforms import Field, FloatField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from factcheck.domain.credibility import PRIOR_MEAN_LIMITS, PRIOR_STRENGTH_LIMITS
from factcheck.web.forms import BaseForm


class ItemRepeatForm(BaseForm):
    """Record that the item repeats an earlier one (the one-click button of the intake panel)."""

    target_id = IntegerField("Earlier item", validators=[InputRequired("Say which item it repeats."),
                                                         NumberRange(min=1, message="Give an item number.")])


class SourceMergeForm(BaseForm):
    """Merge this source into another one, named by one of its names or by #id."""

    into = StringField("Merge into", validators=[DataRequired("Name the source to merge into, or give its #id."),
                                                 Length(max=200)])
    #: "yes" once the editor has seen what the merge moves (the confirmation page sends it).
    confirm = HiddenField()


class PriorInput(TypedDict):
    """The keyword arguments ``services.sources.set_prior`` takes from the prior form."""

    mean: float | None
    strength: float | None
    note: str | None
    version: int | None


class SourcePriorForm(BaseForm):
    """An editorial prior: its mean (the expected share of true claims) and its strength in verdicts.

    Both empty clears the editorial prior, so the default one (domain rating or uniform) applies.
    """

    mean = FloatField("Prior mean (0–1)", validators=[Optional(), NumberRange(
        min=PRIOR_MEAN_LIMITS[0], max=PRIOR_MEAN_LIMITS[1],
        message=f"The mean is a share between {PRIOR_MEAN_LIMITS[0]} and {PRIOR_MEAN_LIMITS[1]}.")])
    strength = FloatField("Strength (worth this many verdicts)", validators=[Optional(), NumberRange(
        min=PRIOR_STRENGTH_LIMITS[0], max=PRIOR_STRENGTH_LIMITS[1],
        message=f"The strength lies between {PRIOR_STRENGTH_LIMITS[0]:g} and {PRIOR_STRENGTH_LIMITS[1]:g} verdicts.")])
    note = TextAreaField("Why", validators=[Optional(), Length(max=2000)])
    version = HiddenField()

    def validate_strength(self, field: Field) -> None:
        """Mean and strength are given together or not at all."""
        if (self.mean.data is None) != (field.data is None):
            raise ValidationError("Give both the mean and the strength, or leave both empty to clear the prior.")

    def validate_version(self, field: Field) -> None:
        """The version is a number the page put there."""
        if field.data and not str(field.data).isdigit():
            raise ValidationError("The form is damaged; reload the page.")

    @property
    def split_data(self) -> PriorInput:
        """Keyword arguments for ``services.sources.set_prior``."""
        return {
            "mean": self.mean.data,
            "strength": self.strength.data,
            "note": (self.note.data or "").strip() or None,
            "version": int(self.version.data) if self.version.data else None,
        }
