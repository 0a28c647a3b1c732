"""Mentor forms (dynamic parts of the review form are read in the view)."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import HiddenField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

MAX_TEXT = 5000


class LineCommentForm(Form):
    """A comment on one line of an answer cell."""

    grade_id = HiddenField(validators=[DataRequired()])
    line = IntegerField(_l("Line"), validators=[InputRequired(), NumberRange(min=1)])
    body = TextAreaField(_l("Comment (markdown)"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Add comment"))


class FileCommentForm(Form):
    """A comment on one line of a file of a project submission."""

    path = HiddenField(validators=[DataRequired(), Length(max=512)])
    line = IntegerField(_l("Line"), validators=[InputRequired(), NumberRange(min=1)])
    body = TextAreaField(_l("Comment (markdown)"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Add comment"))


class SignOffForm(Form):
    """Approve a stage or send it back."""

    comment = TextAreaField(_l("Comments for the trainee"), validators=[Length(max=MAX_TEXT)])
    approve = SubmitField(_l("Approve the stage"))
    send_back = SubmitField(_l("Send back"))


class QueueFilterForm(Form):
    """Filters of the queue (GET, no CSRF)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), default="")
    cohort = SelectField(_l("Cohort"), coerce=int, default=0)
    opd = SelectField(_l("OPD"), coerce=int, default=0)
    exercise = SelectField(_l("Exercise"), coerce=int, default=0)


class ShapeFeedbackForm(Form):
    """A comment saved for every answer of one shape (offered, not sent, on their review pages)."""

    body = TextAreaField(_l("Feedback for this answer shape (markdown)"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Save as feedback for this shape"))


class WarningActionForm(Form):
    """What the mentor did about an early warning (closes it)."""

    action = SelectField(_l("What did you do?"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Record and close"))
