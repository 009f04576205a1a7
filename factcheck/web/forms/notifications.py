"""The notification settings form: one choice per kind of notification."""

from wtforms import SelectField

from factcheck.domain.notifications import DeliveryMode, NotificationKind
from factcheck.web.forms import BaseForm, choices

MODE_CHOICES = choices((m.value, m.title) for m in DeliveryMode)


class NotificationSettingsForm(BaseForm):
    """Mail at once, a daily digest, or only in the app, for each kind (fields named ``kind_<kind>``)."""


for _kind in NotificationKind:
    setattr(NotificationSettingsForm, f"kind_{_kind.value}", SelectField(_kind.title, choices=MODE_CHOICES))


class MarkReadForm(BaseForm):
    """Mark one notification, or all, read (CSRF only)."""
