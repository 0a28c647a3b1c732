"""Admin forms."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..auth.forms import EmailAddress

from ..i18n import ROLE_LABELS


def role_choices():
    """Roles with their translated labels."""
    return [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class OpdForm(Form):
    """Create or edit an OPD."""

    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Z0-9_-]+$", message=_l("Use capital letters, digits, - and _ only.")),
        ],
        description=_l("A short unique code, e.g. DISKOMINFO."),
    )
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Save"))


class UserForm(Form):
    """Create an account; the person receives an invitation link."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), EmailAddress(), Length(max=254)])
    role = SelectField(_l("Role"), choices=role_choices)
    opd_id = SelectField(_l("OPD"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Create and send invitation"))


class RoleForm(Form):
    """Change a user's role."""

    role = SelectField(_l("Role"), choices=role_choices)
    opd_id = SelectField(_l("OPD"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Change role"))


class ConfirmForm(Form):
    """A button that only carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))
