"""The OPD head's pages: dashboard, nominations and exports."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("opd", __name__)

#: Nomination states as people read them (used by OPD and admin pages).
NOMINATION_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "approved": _l("Approved"),
    "waitlisted": _l("Waitlisted"),
    "rejected": _l("Rejected"),
    "enrolled": _l("Enrolled"),
    "withdrawn": _l("Withdrawn"),
}
COHORT_STATUS_LABELS = {"planned": _l("Planned"), "running": _l("Running"), "finished": _l("Finished")}


@bp.app_template_global()
def nomination_status_label(status: str) -> str:
    """The translated name of a nomination state."""
    return str(NOMINATION_STATUS_LABELS.get(status, status))


@bp.app_template_global()
def cohort_status_label(status: str) -> str:
    """The translated name of a cohort state."""
    return str(COHORT_STATUS_LABELS.get(status, status))


@bp.app_template_global()
def employment_label(status: str) -> str:
    """The translated name of an employment status."""
    from .forms import EMPLOYMENT_LABELS

    return str(EMPLOYMENT_LABELS.get(status, status))


@bp.app_template_global()
def education_label(level: str) -> str:
    """The translated name of an education level."""
    from .forms import EDUCATION_LABELS

    return str(EDUCATION_LABELS.get(level, level))


from . import routes  # noqa: E402,F401
