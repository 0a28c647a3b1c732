"""Forms for logging in and setting passwords."""
from flask_babel import lazy_gettext as _l
from ..forms import Form
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from email_validator import EmailNotValidError, validate_email
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

#: Longest email address (RFC 5321), as stored in the user table.
MAX_EMAIL_LENGTH = 254


def max_length(limit: int) -> Length:
    """A maximum length with our own translated message (WTForms has no Indonesian catalogue)."""
    return Length(max=limit, message=_l("At most %(max)d characters."))


class EmailAddress:
    """Validate an email address's form (no DNS look-up; the city's .test demo domain is allowed)."""

    def __call__(self, form, field):
        try:
            validate_email(field.data or "", check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            raise ValidationError(_l("Enter a valid email address."))


class LoginForm(Form):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), max_length(MAX_EMAIL_LENGTH), EmailAddress()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), max_length(MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Remember me"))
    next = HiddenField(validators=[max_length(2000)])
    submit = SubmitField(_l("Log in"))


class NewPasswordForm(Form):
    """Choose a password (invitation or reset link)."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l("Between %(min)d and %(max)d characters."),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(NewPasswordForm):
    """Change a password while logged in."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), max_length(MAX_PASSWORD_LENGTH)])


class ForgotPasswordForm(Form):
    """Ask for a reset link."""

    email = EmailField(_l("Email"), validators=[DataRequired(), max_length(MAX_EMAIL_LENGTH), EmailAddress()])
    submit = SubmitField(_l("Send reset link"))


class LanguageForm(Form):
    """The language switcher in the navigation bar."""

    locale = SelectField(choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])
    next = HiddenField()
