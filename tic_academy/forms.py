"""The base of every form: WTForms' own messages ("This field is required.", ...) in the reader's language.

WTForms ships no Indonesian catalogue, so its default messages would reach Indonesian pages in English.
``Form`` makes WTForms look its messages up in this app's own catalogue (the ``messages`` domain, where
``pybabel extract`` finds them through ``_catalogue`` below), so they are translated like every other string
and ``tests/test_i18n.py`` keeps them complete.
"""
from flask_babel import get_translations, gettext, ngettext
from flask_wtf import FlaskForm


class BabelTranslations:
    """What WTForms asks of a translations object, answered from the app's catalogue (no formatting:
    WTForms fills in ``%(min)d`` and the like itself)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = BabelTranslations()


class Form(FlaskForm):
    """A Flask-WTF form whose built-in validation messages are translated."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


def _catalogue():  # pragma: no cover - never called; lists WTForms' messages for `pybabel extract`
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Invalid UUID.")
    gettext("Invalid IP address.")
    gettext("Invalid Mac address.")
    gettext("Invalid field name '%s'.")
    gettext("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Date must be at least %(min)s.")
    gettext("Date must be at most %(max)s.")
    gettext("Date must be between %(min)s and %(max)s.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid value, can't be any of: %(values)s.")
    gettext("This field cannot be edited.")
    gettext("This field is disabled and cannot have a value.")
    gettext("Invalid CSRF Token.")
    gettext("CSRF token missing.")
    gettext("CSRF failed.")
    gettext("CSRF token expired.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Choices cannot be None.")
    gettext("Not a valid choice.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1)
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid week value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
