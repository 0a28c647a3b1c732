"""Forms of the discussion pages: a message in a thread, a trainee's help request."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

MAX_TEXT = 5000


class MessageForm(Form):
    """A post in a discussion thread."""

    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Send"))
    submit_close = SubmitField(_l("Send and mark as handled"))


class HelpRequestForm(Form):
    """A trainee's question to their mentor about an exercise."""

    exercise_id = IntegerField(validators=[DataRequired()])
    question = TextAreaField(_l("Your question"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    #: Optional: the answers in the editor, as JSON {grade_id: source}; else the saved draft is sent.
    answers = HiddenField()
    next = HiddenField()
