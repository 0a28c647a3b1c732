"""Certificate forms: revocation, with a reason."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class RevokeForm(Form):
    """Revoke a certificate, with a reason."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Revoke"))
