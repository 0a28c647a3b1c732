"""OPD head forms: nominating a staff member."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Regexp

from ..auth.forms import EmailAddress, max_length
from ..i18n import EDUCATION_LABELS, EMPLOYMENT_LABELS


class NominationForm(Form):
    """The data the program needs about a nominee, and nothing more."""

    cohort_id = SelectField(_l("Cohort"), coerce=int, validators=[DataRequired()])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), max_length(200)])
    email = EmailField(
        _l("Work email"),
        validators=[DataRequired(), EmailAddress(), max_length(254)],
        description=_l("The account and the invitation go to this address."),
    )
    phone = StringField(
        _l("Phone"),
        validators=[DataRequired(), max_length(32), Regexp(r"^[0-9+() -]{6,}$", message=_l("Enter a phone number."))],
        description=_l("For the mentor to reach the trainee about the program."),
    )
    position = StringField(_l("Position"), validators=[DataRequired(), max_length(120)])
    unit = StringField(_l("Unit"), validators=[DataRequired(), max_length(120)])
    employment_status = SelectField(
        _l("Employment status"),
        choices=[SelectChoice(k, v) for k, v in EMPLOYMENT_LABELS.items()],
    )
    education = SelectField(
        _l("Highest education"),
        choices=[SelectChoice(k, v) for k, v in EDUCATION_LABELS.items()],
    )
    motivation = TextAreaField(
        _l("Motivation"),
        validators=[DataRequired(), max_length(1000)],
        description=_l("A few sentences: why this person, and what they could build for the OPD."),
    )
    hours_per_week = IntegerField(
        _l("Hours per week available"),
        validators=[InputRequired(), NumberRange(min=1, max=40)],
        description=_l("The track plans about 15 hours a week."),
    )
    supervisor_agrees = BooleanField(
        _l("The staff member's direct supervisor agrees to the time spent on the program."),
    )
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit nomination"))

    def data_for_service(self) -> dict:
        """The nomination fields as plain values."""
        names = (
            "full_name", "email", "phone", "position", "unit", "employment_status",
            "education", "motivation", "hours_per_week", "supervisor_agrees",
        )
        return {name: getattr(self, name).data for name in names}
