"""Forms of the check-item page: edits, chain, relations, evidence, verdicts and transitions.

Every form that changes an item carries the item's ``version`` it was rendered with, so a save
made against an older version is refused as a conflict instead of overwriting somebody's work.
"""

import re

from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from factcheck.domain.claimreview_rules import CLAIM_REVIEWED_MAX
from factcheck.domain.workflow import CorrectionTier, RelationType, SourceKind, Stance
from factcheck.web.forms import BaseForm, choices

KIND_CHOICES = choices((k.value, k.value.capitalize()) for k in SourceKind)
STANCE_CHOICES = choices((s.value, s.value.capitalize()) for s in Stance)
RELATION_CHOICES = choices((r.value, r.value) for r in RelationType)
TIER_CHOICES = choices((t.value, t.title) for t in CorrectionTier)
#: ClaimReview's claimReviewed comes from the restatement; Google shows it in fewer characters than this.
RESTATEMENT_HINT_LENGTH = CLAIM_REVIEWED_MAX
MISSING_VERSION = "This form lacks the version it was opened with. Reload the page and make the change again."


def submitted(field: Field) -> bool:
    """True when the request carried the field at all (empty counts); absent fields change nothing."""
    return bool(field.raw_data)


class VersionedForm(BaseForm):
    """A form that carries the item version it was rendered with; without it nothing is saved."""

    version = IntegerField(validators=[InputRequired(message=MISSING_VERSION),
                                       NumberRange(min=1, max=2**31 - 1, message=MISSING_VERSION)],
                           widget=HiddenInput())


class ItemTakeForm(VersionedForm):
    """Take an item from triage (no fields besides the version)."""

    next = HiddenField()


class ItemDismissForm(VersionedForm):
    """Dismiss an item with a reason."""

    reason = StringField("Reason", validators=[DataRequired(message="Say why the item is dismissed."),
                                                Length(max=500)])
    next = HiddenField()


class ItemRestoreForm(VersionedForm):
    """An editor brings a dismissed item back to triage."""


class ItemEditForm(VersionedForm):
    """The checkable restatement, the hedges (one per line or comma-separated) and the priority.

    A field the request does not carry is left as it is (``submitted``); an empty priority hands
    the priority back to the desk's computation.
    """

    restatement = TextAreaField("Checkable restatement", validators=[Optional(), Length(max=5000)])
    hedges = TextAreaField("Hedges", validators=[Optional(), Length(max=2000)])
    priority = FloatField("Priority", validators=[
        Optional(), NumberRange(min=0, max=1, message="Priority is a number from 0 (least urgent) to 1 (most urgent).")])

    @property
    def hedge_list(self) -> list[str]:
        """The hedges as a list."""
        return [h.strip() for h in re.split(r"[\n,]", self.hedges.data or "") if h.strip()]


class ChainLinkForm(Form):
    """One link of the chain: a source (found or created by name) and its reporting verb."""

    source = StringField("Source", validators=[Optional(), Length(max=200)])
    kind = SelectField("Kind if new", choices=KIND_CHOICES, default="person")
    verb = StringField("Verb", validators=[Optional(), Length(max=40)])


class ItemChainForm(VersionedForm):
    """The attribution chain from the originator (the claimant) to the publisher."""

    links = FieldList(FormField(ChainLinkForm), min_entries=1, max_entries=12)

    def validate_links(self, field: Field) -> None:
        """A request without any chain rows is not "clear the chain": it is a broken form."""
        if not any(submitted(entry.source) for entry in field):
            raise ValidationError("The chain's rows are missing from the form. Reload the page and try again.")

    def filled_links(self) -> list[dict]:
        """The links with a source name, in order."""
        return [entry.data for entry in self.links if (entry.source.data or "").strip()]


def _item_number(form: BaseForm, field: Field) -> None:
    if not re.fullmatch(r"#?\s*\d{1,12}", field.data or ""):
        raise ValidationError("Give the other item's number, such as #12.")


class RelationAddForm(BaseForm):
    """This item denies, supports or repeats item #N."""

    type = SelectField("This item", choices=RELATION_CHOICES)
    target = StringField("Item", validators=[DataRequired(message="Give the other item's number, such as #12."),
                                             _item_number])

    @property
    def target_id(self) -> int | None:
        """The other item's id."""
        digits = re.sub(r"\D", "", self.target.data or "")
        return int(digits) if digits else None


class EvidenceForm(BaseForm):
    """A piece of evidence: what it is, where it is, what it says, who is behind it.

    ``version`` is the item's version when adding (a double submit adds one piece) and the
    piece's own version when editing.
    """

    title = StringField("Title", validators=[DataRequired(message="Say what the evidence is."), Length(max=500)])
    url = StringField("Link", validators=[
        Optional(), Length(max=2000), URL(require_tld=False, message="Enter a full link starting with https://."),
    ])
    passage = TextAreaField("Quoted passage", validators=[Optional(), Length(max=20000)])
    source = StringField("Source", validators=[Optional(), Length(max=200)])
    source_kind = SelectField("Kind if new", choices=KIND_CHOICES, default="outlet")
    stance = SelectField("Stance", choices=STANCE_CHOICES, validators=[InputRequired()])
    is_anonymous = BooleanField("Rests on anonymous sources")
    is_off_record = BooleanField("Off the record")
    is_publishable = BooleanField("Readers may see the passage (it names no one who must stay anonymous)")
    version = IntegerField(validators=[InputRequired(message=MISSING_VERSION),
                                       NumberRange(min=1, max=2**31 - 1, message=MISSING_VERSION)],
                           widget=HiddenInput())


class VerdictProposeForm(VersionedForm):
    """The verdict: a rating from the scale, a short summary and the rationale in Markdown."""

    rating = SelectField("Rating", validators=[DataRequired(message="Choose a rating from the desk's scale.")])
    summary = StringField("Summary", validators=[DataRequired(message="Write a one-line summary."),
                                                 Length(max=500)])
    rationale = TextAreaField("Rationale (Markdown)", validators=[
        DataRequired(message="Explain the verdict: what the evidence shows."), Length(max=50000)])


class DecidingVoteForm(BaseForm):
    """An editor's deciding vote on a panel that reached no majority."""

    rating = SelectField("Deciding rating", validators=[DataRequired(message="Choose the rating to publish.")])
    comment = TextAreaField("Why (kept in the history)", validators=[Optional(), Length(max=5000)])


class ItemReopenForm(VersionedForm):
    """An editor reopens a published verdict for a correction."""

    tier = SelectField("Correction tier", choices=TIER_CHOICES)
    note = TextAreaField("Public note", validators=[DataRequired(message="Write the note readers will see."),
                                                    Length(max=5000)])


class ItemAssignForm(VersionedForm):
    """An editor gives the item to a checker (the domain decides who may hold it)."""

    assignee = IntegerField("Assign to", validators=[InputRequired(message="Choose a checker to assign the item to."),
                                                     NumberRange(min=1, max=2**31 - 1,
                                                                 message="Choose a checker to assign the item to.")])
    next = HiddenField()


class NoteForm(BaseForm):
    """A note in the item's internal thread (Markdown; @email or @Display Name tells that person)."""

    body = TextAreaField("Note", validators=[DataRequired(message="Write the note first: it is empty."),
                                             Length(max=10_000, message="A note is at most 10,000 characters long.")])
