"""Admin forms."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..auth.forms import EmailAddress

from ..enums import ROLES
from ..i18n import ROLE_LABELS


def role_choices():
    """Roles with their translated labels."""
    return [SelectChoice(role, label) for role, label in ROLE_LABELS.items() if role in ROLES]


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


class SsoForm(Form):
    """The admin's switches for logging in with the city account."""

    password_admins_only = BooleanField(
        _l("Only admins may log in with a password"),
        description=_l("Everyone else logs in with the city account. Admins keep their password as a fallback."))
    pending_accounts = BooleanField(
        _l("Let unknown people log in and wait for a role"),
        description=_l("Otherwise a city account that matches no invited or nominated person is refused."))
    submit = SubmitField(_l("Save"))
