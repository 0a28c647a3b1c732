"""Admin forms."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import BooleanField, DecimalField, EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

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


class WarningSettingsForm(Form):
    """The early warning's thresholds (services/warnings.py WarningSettings; the lowest values are its MINIMUMS)."""

    inactive_workdays = IntegerField(_l("No activity for (working days)"), validators=[InputRequired(), NumberRange(min=1, max=60)])
    behind_exercises = IntegerField(_l("Behind the plan by (exercises)"), validators=[InputRequired(), NumberRange(min=1, max=100)])
    failed_in_a_row = IntegerField(_l("The same test failed in a row (times)"), validators=[InputRequired(), NumberRange(min=2, max=100)])
    runs_without_check = IntegerField(_l("Runs of one exercise in a week without a Check"),
                                      validators=[InputRequired(), NumberRange(min=2, max=1000)])
    slow_factor = DecimalField(_l("Not passed after this many times the cohort's median time"), places=1,
                               validators=[InputRequired(), NumberRange(min=1, max=20)])
    deadline_workdays = IntegerField(_l("Stage deadline within (working days)"), validators=[InputRequired(), NumberRange(min=1, max=20)])
    reminders = BooleanField(_l("Send the trainee a kind reminder (in the app and by email), once per warning"))
    submit = SubmitField(_l("Save"))
