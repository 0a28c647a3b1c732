"""Forms for personal access tokens (profile page)."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..services.tokens import MAX_NAME_LENGTH
from .forms import max_length

#: Validity choices, in days ("" = no expiry).
VALIDITY_CHOICES = [
    SelectChoice("30", _l("30 days")),
    SelectChoice("90", _l("90 days")),
    SelectChoice("365", _l("1 year")),
    SelectChoice("", _l("No expiry")),
]


class TokenForm(Form):
    """A name and a validity for a new token."""

    name = StringField(_l("Token name"), validators=[DataRequired(), max_length(MAX_NAME_LENGTH)],
                       description=_l("Where you will use it, e.g. \"Office laptop\"."))
    days = SelectField(_l("Valid for"), choices=VALIDITY_CHOICES, default="90")
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(Form):
    """The revoke button (CSRF only)."""

    submit = SubmitField(_l("Revoke"))
