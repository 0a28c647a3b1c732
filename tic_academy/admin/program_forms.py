"""Admin forms for the program: cohorts and nomination decisions."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..enums import NominationStatus

DECISION_LABELS = {
    NominationStatus.APPROVED: _l("Approve"), NominationStatus.WAITLISTED: _l("Waitlist"), NominationStatus.REJECTED: _l("Reject"),
}


class CohortForm(Form):
    """Create or edit a cohort; per-OPD quotas come as extra inputs named quota-<opd id>."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    track_id = SelectField(_l("Track"), coerce=int, validators=[DataRequired()])
    start_date = DateField(
        _l("Start date"), validators=[DataRequired()], description=_l("Week 1 starts on this day; later weeks follow the track.")
    )
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1, max=1000)])
    mentor_ids = SelectMultipleField(_l("Mentors"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save"))


def read_quotas(formdata, opd_ids: list[int]) -> tuple[dict[int, int], list[int]]:
    """Per-OPD quotas from inputs named quota-<id> (empty = no quota); also the ids with bad values."""
    quotas, bad = {}, []
    for opd_id in opd_ids:
        raw = (formdata.get(f"quota-{opd_id}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit():
            bad.append(opd_id)
            continue
        quotas[opd_id] = int(raw)
    return quotas, bad


class DecisionForm(Form):
    """An admin's decision on a nomination."""

    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice(k, v) for k, v in DECISION_LABELS.items()],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[Length(max=1000)],
        description=_l("Shown to the OPD head. Required when waitlisting or rejecting."),
    )
    submit = SubmitField(_l("Record decision"))
