"""Administration forms: the account forms of ``forms.auth`` with their role options as WTForms 3.3 wants them.

WTForms 3.3 deprecates ``(value, label)`` tuples as choices (a warning, an error under our test
settings); these subclasses redeclare the roles field with ``SelectChoice`` options.
"""

from wtforms import SelectMultipleField
from wtforms.validators import DataRequired

from factcheck.domain.workflow import Role
from factcheck.web.forms.auth import UserCreateForm, UserRolesForm
from factcheck.web.forms.items import choices

#: Every role, in the order of the workflow.
ROLE_OPTIONS = choices((r.value, r.value.capitalize()) for r in Role)


class AccountCreateForm(UserCreateForm):
    """An admin creates an account: email, display name, initial password and roles."""

    roles = SelectMultipleField("Roles", choices=ROLE_OPTIONS,
                                validators=[DataRequired(message="Choose at least one role.")])


class AccountRolesForm(UserRolesForm):
    """An admin replaces an account's roles."""

    roles = SelectMultipleField("Roles", choices=ROLE_OPTIONS,
                                validators=[DataRequired(message="Choose at least one role.")])
