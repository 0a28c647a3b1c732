"""Loading what a trainee's request names, with the access checks every view needs."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Submission
from ..services import exercise_access
from ..services.exercise_access import OpenExercise


def exercise_or_abort(slug: str, project_ok: bool = False) -> OpenExercise:
    """The exercise if it is in an open stage of the current trainee's track; 404 or 403 otherwise.

    The notebook endpoints answer 404 for a project exercise unless ``project_ok``.
    """
    try:
        opened = exercise_access.open_exercise(current_user.id, slug)
        if opened.exercise.is_project and not project_ok:
            abort(404)
        return opened
    except exercise_access.ExerciseLocked as error:
        abort(403, description=str(error))
    except exercise_access.NotEnrolled:
        abort(403, description=_("You are not enrolled in a cohort yet, so there are no exercises to open."))
    except exercise_access.ExerciseNotFound:
        abort(404)


def submission_or_abort(submission_id: int) -> Submission:
    """A submission the current user may view; 404 when missing, 403 when it is someone else's."""
    submission = db.get_or_404(Submission, submission_id)
    if not submission.can(current_user, "view"):
        abort(403)
    return submission
