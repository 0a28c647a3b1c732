"""Audit events in plain words: a label per action code, and the detail as a sentence, not `ok=True`."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import cohort_status_label, nomination_status_label, role_label
from ..services import warnings
from .blueprint import bp

#: One label per action code the services record (services/*.py: ``audit.record("…")``).
ACTION_LABELS = {
    "account.activated": _l("Account activated"),
    "account.created": _l("Account created"),
    "account.deactivated": _l("Account deactivated"),
    "account.locked": _l("Account locked after failed logins"),
    "certificate.issued": _l("Certificate issued"),
    "certificate.revoked": _l("Certificate revoked"),
    "cohort.created": _l("Cohort created"),
    "cohort.updated": _l("Cohort changed"),
    "cohort.mentors_balanced": _l("Mentors shared out over the trainees"),
    "cohort.status_changed": _l("Cohort status changed"),
    "curriculum.synced": _l("Curriculum synced"),
    "enrollment.graduated": _l("Graduation confirmed"),
    "enrollment.mentor_assigned": _l("Mentor assigned"),
    "invitation.sent": _l("Invitation sent"),
    "login.failure": _l("Failed login"),
    "login.success": _l("Logged in"),
    "logout": _l("Logged out"),
    "nomination.approved": _l("Nomination approved"),
    "nomination.created": _l("Nomination drafted"),
    "nomination.enrolled": _l("Nominee enrolled"),
    "nomination.rejected": _l("Nomination rejected"),
    "nomination.submitted": _l("Nomination submitted"),
    "nomination.updated": _l("Nomination draft changed"),
    "nomination.waitlisted": _l("Nomination put on the waiting list"),
    "nomination.withdrawn": _l("Nomination withdrawn"),
    "opd.activated": _l("OPD reactivated"),
    "opd.created": _l("OPD created"),
    "opd.deactivated": _l("OPD deactivated"),
    "opd.updated": _l("OPD changed"),
    "password.changed": _l("Password changed"),
    "password.reset": _l("Password reset through an email link"),
    "password.reset_requested": _l("Password reset requested"),
    "password.set_by_invitation": _l("Password set from an invitation"),
    "review.decided": _l("Review decided"),
    "review_item.reassigned": _l("Queue item given to another mentor"),
    "shape_feedback.deleted": _l("Feedback saved for an answer shape deleted"),
    "shape_feedback.saved": _l("Feedback saved for an answer shape"),
    "shape_feedback.updated": _l("Feedback saved for an answer shape changed"),
    "warning.handled": _l("Early warning handled by the mentor"),
    "warnings.settings_changed": _l("Early warning thresholds changed"),
    "signoff.decided": _l("Stage sign-off decided"),
    "sso.linked": _l("Single sign-on linked to an account"),
    "sso.login": _l("Logged in with single sign-on"),
    "sso.pending_created": _l("New single sign-on account waiting for a role"),
    "sso.refused": _l("Single sign-on refused"),
    "sso.settings_changed": _l("Single sign-on settings changed"),
    "trainee.drafts_viewed": _l("A mentor viewed a trainee's drafts"),
    "submission.integrity_cleared": _l("Held submission cleared"),
    "submission.integrity_confirmed": _l("Integrity problem confirmed"),
    "submission.score_overridden": _l("Score changed by hand"),
    "token.created": _l("Access token created"),
    "token.failed": _l("Access token refused"),
    "token.revoked": _l("Access token revoked"),
    "user.role_changed": _l("Role changed"),
}

#: Words for the kinds of object an event is about (AuditEvent.object_type: the model's class name).
OBJECT_LABELS = {
    "Certificate": _l("Certificate"),
    "Cohort": _l("Cohort"),
    "CurriculumSync": _l("Curriculum sync"),
    "Enrollment": _l("Enrollment"),
    "Nomination": _l("Nomination"),
    "Opd": _l("OPD"),
    "PersonalAccessToken": _l("Access token"),
    "ReviewItem": _l("Queue item"),
    "ShapeFeedback": _l("Feedback for an answer shape"),
    "SignOff": _l("Stage sign-off"),
    "Submission": _l("Submission"),
    "User": _l("Account"),
    "WarningSignal": _l("Early warning"),
}

#: Words for the keys of an event's detail.
DETAIL_LABELS = {
    "assigned": _l("trainees assigned"),
    "author": _l("author no."),
    "behind_exercises": _l("exercises behind the plan"),
    "deadline_workdays": _l("working days before a stage deadline"),
    "failed_in_a_row": _l("test failures in a row"),
    "inactive_workdays": _l("working days without activity"),
    "kind": _l("signal"),
    "reminders": _l("reminders to trainees"),
    "runs_without_check": _l("Runs without Check"),
    "slow_factor": _l("times the cohort's median"),
    "what": _l("what the mentor did"),
    "capacity": _l("capacity"),
    "code": _l("code"),
    "days": _l("days valid"),
    "decision": _l("decision"),
    "email": _l("email"),
    "flags": _l("signals"),
    "from_mentor": _l("from mentor"),
    "mentor": _l("mentor"),
    "mentors": _l("mentors"),
    "minutes": _l("minutes"),
    "name": _l("name"),
    "new": _l("now"),
    "old": _l("before"),
    "ok": _l("result"),
    "pending_accounts": _l("new accounts wait for a role"),
    "password_admins_only": _l("passwords for admins only"),
    "previous": _l("before"),
    "quotas": _l("quotas per OPD"),
    "reason": _l("reason"),
    "revoked_links": _l("links cancelled"),
    "role": _l("role"),
    "scope": _l("scope"),
    "score": _l("score"),
    "shape": _l("answer shape"),
    "status": _l("status"),
    "subject": _l("single sign-on id"),
    "submission": _l("submission no."),
    "text": _l("text"),
    "to_mentor": _l("to mentor"),
    "trainee_id": _l("trainee no."),
    "unknown": _l("unknown address"),
}

#: Words for the reason codes the services record (login, single sign-on, access tokens); typed reasons stay as typed.
REASON_LABELS = {
    ("login", "paused"): _l("log-ins with this email are paused for a while"),
    ("login", "unknown"): _l("no account with this email"),
    ("login", "password"): _l("wrong password"),
    ("login", "inactive"): _l("account deactivated"),
    ("sso", "no_subject"): _l("the city's account service sent no identity"),
    ("sso", "email_unverified"): _l("email address not verified by the city"),
    ("sso", "linked_to_another"): _l("account already linked to another city account"),
    ("sso", "unknown"): _l("not registered in the program"),
    ("sso", "inactive"): _l("account deactivated"),
    ("token", "unknown"): _l("no such token"),
    ("token", "revoked"): _l("token revoked"),
    ("token", "expired"): _l("token expired"),
    ("token", "user_inactive"): _l("account deactivated"),
}


@bp.app_template_global("audit_action_label")
def audit_action_label(action: str) -> str:
    """The words for an action code (the code itself for one without a label)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@bp.app_template_global("audit_object_label")
def audit_object_label(object_type: str) -> str:
    """The words for the kind of object an event is about (the class name for one without a label)."""
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else object_type


@bp.app_template_global("audit_detail_text")
def audit_detail_text(action: str, detail: dict | None) -> str:
    """The detail of an event as words, e.g. "result: succeeded; reason: wrong password"."""
    if not detail:
        return ""
    parts = []
    for key, value in detail.items():
        label = DETAIL_LABELS.get(key)
        words = _value_words(action, key, value)
        parts.append(f"{label}: {words}" if label is not None else f"{key}: {words}")
    return "; ".join(parts)


def _value_words(action: str, key: str, value) -> str:
    """One detail value in words."""
    if key == "ok" and action == "curriculum.synced":
        return _("succeeded") if value else _("problems found")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if key == "reason" and isinstance(value, str):
        label = REASON_LABELS.get((action.split(".")[0], value))
        return str(label) if label is not None else value
    if action == "warning.handled" and key == "kind":
        return str(warnings.KIND_LABELS.get(value, value))
    if action == "warning.handled" and key == "what":
        return str(warnings.ACTIONS.get(value, value))
    if key in ("old", "new", "role") and isinstance(value, str):
        return _status_words(action, value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _status_words(action: str, value: str) -> str:
    """A role or status code in words, by the kind of event it belongs to."""
    if action.startswith("user.") or action.startswith("account."):
        return str(role_label(value))
    if action.startswith("nomination."):
        return str(nomination_status_label(value))
    if action.startswith("cohort."):
        return str(cohort_status_label(value))
    return value

