"""Access policy of the mentoring and discussion pages (queue, review, threads, notifications, admin assignment)."""
from tests.mentoring.factories import enroll, first_exercise, make_submission, make_track
from tic_academy.extensions import db
from tic_academy.mentor.moved import MOVED
from tic_academy.models import ShapeFeedback, SignOff
from tic_academy.models.mentoring import LineComment, ReviewItem
from tic_academy.models.notices import Notification

LOGGED_IN = {"trainee", "mentor", "opd_head", "admin"}
PUBLIC = {"anonymous"} | LOGGED_IN
STAFF = {"mentor", "admin"}
BOTH_SIDES = {"trainee", "mentor", "admin"}

POLICY = {
    "mentor.home": {"mentor"},
    "mentor.trainees": {"mentor"},
    # Object-level: only the trainee's own mentor (and admins); tests/mentoring/test_trainee_page.py checks another mentor.
    "mentor.trainee": STAFF,
    "mentor.trainee_drafts": STAFF,
    "mentor.open_item": BOTH_SIDES,
    "mentor.claim_item": STAFF,
    "mentor.release_item": STAFF,
    "mentor.resolve_item": STAFF,
    "mentor.review": STAFF,
    "mentor.comment": STAFF,
    "mentor.delete_comment": STAFF,
    "mentor.decide": STAFF,
    "mentor.integrity": STAFF,
    "mentor.signoff": STAFF,
    "mentor.signoff_decide": STAFF,
    "mentor.similarity": STAFF,
    # Answer shapes: object-level checks (the submission's mentor; a saved comment's author or an admin) are in
    # tests/mentoring/test_shapes.py.
    "mentor.same_shape": STAFF,
    "mentor.save_shape_feedback": STAFF,
    "mentor.edit_shape_feedback": STAFF,
    "mentor.delete_shape_feedback": STAFF,
    "discussion.feedback": BOTH_SIDES,
    "discussion.post_message": BOTH_SIDES,
    "discussion.ask_help": {"trainee"},
    "discussion.help_request": BOTH_SIDES,
    "discussion.help_reply": BOTH_SIDES,
    "discussion.notifications_page": LOGGED_IN,
    "discussion.notification_open": LOGGED_IN,
    "discussion.notifications_read_all": LOGGED_IN,
    # The discussion pages' old addresses under /mentor redirect (308) to the pages above, which check access.
    **{f"mentor.moved_{endpoint.split('.')[1]}": PUBLIC for _, endpoint, _ in MOVED},
    "admin.mentoring": {"admin"},
    "admin.mentoring_assign": {"admin"},
    "admin.mentoring_balance": {"admin"},
    "admin.mentoring_queue": {"admin"},
    "admin.mentoring_reassign": {"admin"},
}


def url_values(users) -> dict:
    """The world's trainee, mentored by the world's mentor, with a submission, a help request,
    a line comment, a sign-off request, a notification and feedback saved for an answer shape."""
    track = make_track()
    enroll(users["trainee"], users["mentor"], track)
    submission = make_submission(users["trainee"], first_exercise(track))
    help_item = ReviewItem(kind="help", trainee_id=users["trainee"].id, mentor_id=users["mentor"].id,
                           exercise_id=submission.exercise_id, question="Bagaimana?")
    comment = LineComment(submission_id=submission.id, grade_id="jawaban", line=1,
                          author_id=users["mentor"].id, body="Bagus")
    signoff = SignOff(trainee_id=users["trainee"].id, stage_id=track.stages[0].id)
    note = Notification(user_id=users["trainee"].id, kind="message.new", text="Halo", link="/")
    shape_feedback = ShapeFeedback(exercise_id=submission.exercise_id, shape="0" * 64, body="Bagus",
                                   author_id=users["mentor"].id)
    db.session.add_all([help_item, comment, signoff, note, shape_feedback])
    db.session.commit()
    return {
        "submission_id": submission.id,
        "item_id": help_item.id,
        "comment_id": comment.id,
        "signoff_id": signoff.id,
        "notification_id": note.id,
        "feedback_id": shape_feedback.id,
        "trainee_id": users["trainee"].id,
    }
