"""Access policy of the trainee pages and the workspace's JSON endpoints."""
TRAINEE_ONLY = {"trainee"}

POLICY = {
    "trainee.home": TRAINEE_ONLY,
    "trainee.curriculum": TRAINEE_ONLY,
    "trainee.exercise": TRAINEE_ONLY,
    "trainee.download": TRAINEE_ONLY,
    "trainee.reveal_hint": TRAINEE_ONLY,
    "trainee.exercise_history": TRAINEE_ONLY,
    "trainee.submission": TRAINEE_ONLY,
    "trainee.api_draft": TRAINEE_ONLY,
    "trainee.api_save_draft": TRAINEE_ONLY,
    "trainee.api_upload": TRAINEE_ONLY,
    "trainee.api_run": TRAINEE_ONLY,
    "trainee.api_check": TRAINEE_ONLY,
    "trainee.api_submit": TRAINEE_ONLY,
    "trainee.api_submission": TRAINEE_ONLY,
    "trainee.questions": TRAINEE_ONLY,
    "trainee.next_after": TRAINEE_ONLY,
}


def url_values(users) -> dict:
    """Enroll the matrix's trainee in a small track and give them a submission."""
    from tests.trainee.conftest import build_curriculum, enroll
    from tic_academy.extensions import db
    from tic_academy.models import Submission

    track = build_curriculum()
    enroll(users["trainee"], track)
    exercise = track.stages[0].exercises[0]
    submission = Submission(trainee=users["trainee"], exercise=exercise, exercise_version=exercise.current_version, answers={})
    db.session.add(submission)
    db.session.commit()
    return {"slug": exercise.slug, "submission_id": submission.id}
