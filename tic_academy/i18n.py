"""Language: Bahasa Indonesia first, English second, remembered per user."""
from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from .enums import PENDING_ROLE, TEMPLATE_ENUMS, CohortStatus, EducationLevel, EmploymentStatus, NominationStatus, Role
from .extensions import babel

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.MENTOR: _l("Mentor"),
    Role.OPD_HEAD: _l("OPD head"),
    Role.ADMIN: _l("Admin"),
    PENDING_ROLE: _l("Waiting for a role"),
}


#: Nomination states as people read them (OPD and admin pages).
NOMINATION_STATUS_LABELS = {
    NominationStatus.DRAFT: _l("Draft"),
    NominationStatus.SUBMITTED: _l("Submitted"),
    NominationStatus.APPROVED: _l("Approved"),
    NominationStatus.WAITLISTED: _l("Waitlisted"),
    NominationStatus.REJECTED: _l("Rejected"),
    NominationStatus.ENROLLED: _l("Enrolled"),
    NominationStatus.WITHDRAWN: _l("Withdrawn"),
}
COHORT_STATUS_LABELS = {
    CohortStatus.PLANNED: _l("Planned"),
    CohortStatus.RUNNING: _l("Running"),
    CohortStatus.FINISHED: _l("Finished"),
}
EMPLOYMENT_LABELS = {EmploymentStatus.HONORARY: _l("Honorary staff"), EmploymentStatus.CONTRACT: _l("Contract staff")}
EDUCATION_LABELS = {
    EducationLevel.SMA: _l("Senior high school (SMA/SMK)"),
    EducationLevel.D3: _l("Diploma (D3)"),
    EducationLevel.S1: _l("Bachelor (S1/D4)"),
    EducationLevel.S2: _l("Master (S2) or higher"),
    EducationLevel.OTHER: _l("Other"),
}


def role_label(role: str) -> str:
    """The translated name of a role."""
    return str(ROLE_LABELS.get(role, role))


def nomination_status_label(status: str) -> str:
    """The translated name of a nomination state."""
    return str(NOMINATION_STATUS_LABELS.get(status, status))


def cohort_status_label(status: str) -> str:
    """The translated name of a cohort state."""
    return str(COHORT_STATUS_LABELS.get(status, status))


def employment_label(status: str) -> str:
    """The translated name of an employment status."""
    return str(EMPLOYMENT_LABELS.get(status, status))


def education_label(level: str) -> str:
    """The translated name of an education level."""
    return str(EDUCATION_LABELS.get(level, level))


#: Numbers: thousands with a dot, decimal comma in Indonesian, at most two decimals, no useless ".0".
NUMBER_FORMAT = "#,##0.##"


def angka(value) -> str:
    """A number in the user's locale: 1.234,5 in Indonesian; "—" for None."""
    if value is None:
        return "—"
    return format_decimal(value, NUMBER_FORMAT)


def skor(value, maximum=None) -> str:
    """A score as people read it: "7", "7,5", or "7 dari 7" when the maximum is given; "—" for None."""
    if value is None:
        return "—"
    if maximum is None:
        return angka(round(value, 2))
    return _("%(score)s of %(max)s", score=angka(round(value, 2)), max=angka(round(maximum, 2)))


def persen(share) -> str:
    """A share between 0 and 1 as a whole percentage: 0.7 gives "70%"; "—" for None."""
    if share is None:
        return "—"
    return format_percent(share, "#,##0%")


def tanggal(value) -> str:
    """A date as "29 Des 2026" (the user's locale); "—" for None."""
    if value is None:
        return "—"
    return format_date(value, "d MMM yyyy")


def tanggal_jam(value) -> str:
    """A moment as "29 Des 2026 14:05" on the program's clock (WIB); "—" for None."""
    if value is None:
        return "—"
    return format_datetime(value, "d MMM yyyy HH:mm")


def current_locale() -> str:
    """The language code of the current request, e.g. "id"."""
    return str(get_locale() or "id")


def select_locale() -> str:
    """The user's saved language, else the session's choice, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and grading workers
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        role_label=role_label, current_locale=current_locale, nomination_status_label=nomination_status_label,
        cohort_status_label=cohort_status_label, employment_label=employment_label, education_label=education_label,
        **TEMPLATE_ENUMS,  # templates compare with Role.ADMIN, CohortStatus.RUNNING ... instead of bare strings
    )
    app.jinja_env.filters.update(
        angka=angka, skor=skor, persen=persen, tanggal=tanggal, tanggal_jam=tanggal_jam,
        datetime=tanggal_jam,  # the older name, kept so existing templates read the same
    )
