"""No English validation message reaches an Indonesian page: every form's errors, for bad input, are translated.

Each form of the app is validated with bad input (empty, too long, not a number, zero, negative) once in
Indonesian and once in English; a message that reads the same in both was never translated (WTForms
ships no Indonesian catalogue, so its defaults would leak).
"""
import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FileField, SelectFieldBase, SubmitField
from wtforms.validators import InputRequired

import tic_academy.admin.forms  # noqa: F401 - importing the form modules registers every Form subclass
import tic_academy.admin.program_forms  # noqa: F401
import tic_academy.auth.forms  # noqa: F401
import tic_academy.auth.token_forms  # noqa: F401
import tic_academy.certificates.forms  # noqa: F401
import tic_academy.discussion.forms  # noqa: F401
import tic_academy.mentor.forms  # noqa: F401
import tic_academy.opd.forms  # noqa: F401
from tic_academy.forms import Form

BAD_VALUES = ["", "x" * 5000, "bukan-angka", "0", "-5", "   "]
#: Messages that are the same in both languages on purpose (none today).
SAME_IN_BOTH: set[str] = set()


def every_form():
    found, todo = [], list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def validated(form_class, data: MultiDict, locale: str):
    """The form validated with ``data`` in ``locale`` (select fields get a choice when a view would set them)."""
    with force_locale(locale):
        form = form_class(formdata=data, meta={"csrf": False})
        for field in form:
            if isinstance(field, SelectFieldBase) and field.choices is None:
                field.choices = [(1, "satu")]
        form.validate()
        return form


def errors_of(form_class, value: str, locale: str) -> list[str]:
    """Every error message of the form when each of its inputs holds ``value``."""
    blank = form_class(formdata=MultiDict(), meta={"csrf": False})
    data = MultiDict({field.name: value for field in blank
                      if not isinstance(field, (SubmitField, FileField, BooleanField))})
    with force_locale(locale):
        errors = validated(form_class, data, locale).errors
        return [str(message) for messages in errors.values() for message in
                (messages if isinstance(messages, list) else [messages])]


def test_the_forms_are_found():
    names = {cls.__name__ for cls in every_form()}
    assert {"LoginForm", "CohortForm", "NominationForm"} <= names


@pytest.mark.parametrize("form_class", every_form(), ids=lambda c: c.__name__)
def test_validation_messages_are_indonesian(app, form_class):
    untranslated = set()
    with app.test_request_context(method="POST"):
        for value in BAD_VALUES:
            indonesian = errors_of(form_class, value, "id")
            english = errors_of(form_class, value, "en")
            untranslated |= (set(indonesian) & set(english)) - SAME_IN_BOTH
    assert untranslated == set(), f"{form_class.__name__}: English on Indonesian pages: {sorted(untranslated)}"


def test_zero_is_an_answer_not_a_missing_one(app):
    """A capacity or hours of 0 gets the range message, not "required"."""
    from tic_academy.admin.program_forms import CohortForm
    from tic_academy.opd.forms import NominationForm

    for form_class, name in ((CohortForm, "capacity"), (NominationForm, "hours_per_week")):
        field = getattr(form_class, name)
        assert any(isinstance(v, InputRequired) for v in field.kwargs["validators"])
        with app.test_request_context(method="POST"):
            form = validated(form_class, MultiDict({name: "0"}), "id")
            assert form.errors[name] == ["Angka harus antara 1 dan " + str(field.kwargs["validators"][1].max) + "."]


def test_every_form_uses_the_translated_base():
    """A form built straight on FlaskForm would bring WTForms' English messages back."""
    from flask_wtf import FlaskForm

    direct = [cls.__name__ for cls in FlaskForm.__subclasses__() if cls is not Form]
    assert direct == []
