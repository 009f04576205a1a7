"""Forms for adding articles."""

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf.file import FileAllowed, MultipleFileField
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import URL, Length, Optional

from factcheck.web.forms import BaseForm

#: File types the add-article form accepts.
ARTICLE_EXTENSIONS = ["txt", "html", "htm"]


class ArticleCreateForm(BaseForm):
    """Paste an article's text or upload it (or several) as .txt or .html, with what is known about it."""

    text = TextAreaField("Article text", validators=[
        Optional(), Length(max=2_000_000, message="The text is longer than 2,000,000 characters: upload it as a file."),
    ])
    upload = MultipleFileField("…or upload files", validators=[
        FileAllowed(ARTICLE_EXTENSIONS, "Upload a .txt or .html file."),
    ])
    title = StringField("Title", validators=[Optional(), Length(max=500, message="Keep the title to 500 characters.")])
    url = StringField("Link to the article", validators=[
        Optional(), Length(max=2000, message="Keep the link to 2,000 characters."),
        URL(require_tld=False, message="Enter a full link starting with https://."),
    ])
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200, message="Keep the outlet's name to 200 characters.")])
    published_on = DateField("Published on", validators=[Optional()])

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Either pasted text or a file is needed (not neither); said beside the other fields' errors, so
        one submission shows everything to correct."""
        ok = super().validate(extra_validators)
        if not (self.text.data or "").strip() and not self.upload.data:
            self.text.errors = [*self.text.errors, "Paste the article's text or choose a file to upload."]
            return False
        return ok
