"""Forms for logging in and setting passwords."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from email_validator import EmailNotValidError, validate_email
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..services.accounts import MIN_PASSWORD_LENGTH


class EmailAddress:
    """Validate an email address's form (no DNS look-up; the city's .test demo domain is allowed)."""

    def __call__(self, form, field):
        try:
            validate_email(field.data or "", check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            raise ValidationError(_l("Enter a valid email address."))


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), EmailAddress()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class NewPasswordForm(FlaskForm):
    """Choose a password (invitation or reset link)."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(NewPasswordForm):
    """Change a password while logged in."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(_l("Email"), validators=[DataRequired(), EmailAddress()])
    submit = SubmitField(_l("Send reset link"))


class LanguageForm(FlaskForm):
    """The language switcher in the navigation bar."""

    locale = SelectField(choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])
    next = HiddenField()
