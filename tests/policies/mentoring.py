"""Access policy of the mentoring pages (queue, review, threads, notifications, admin assignment)."""
from tests.mentoring.factories import enroll, first_exercise, make_submission, make_track
from tic_academy.extensions import db
from tic_academy.models import SignOff
from tic_academy.models.mentoring import LineComment, ReviewItem
from tic_academy.models.notices import Notification

LOGGED_IN = {"trainee", "mentor", "opd_head", "admin"}
STAFF = {"mentor", "admin"}
BOTH_SIDES = {"trainee", "mentor", "admin"}

POLICY = {
    "mentor.home": {"mentor"},
    "mentor.trainees": {"mentor"},
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
    "mentor.feedback": BOTH_SIDES,
    "mentor.post_message": BOTH_SIDES,
    "mentor.ask_help": {"trainee"},
    "mentor.help_request": BOTH_SIDES,
    "mentor.help_reply": BOTH_SIDES,
    "mentor.notifications_page": LOGGED_IN,
    "mentor.notification_open": LOGGED_IN,
    "mentor.notifications_read_all": LOGGED_IN,
    "admin.mentoring": {"admin"},
    "admin.mentoring_assign": {"admin"},
    "admin.mentoring_balance": {"admin"},
    "admin.mentoring_queue": {"admin"},
    "admin.mentoring_reassign": {"admin"},
}


def url_values(users) -> dict:
    """The world's trainee, mentored by the world's mentor, with a submission, a help request,
    a line comment, a sign-off request and a notification."""
    track = make_track()
    enroll(users["trainee"], users["mentor"], track)
    submission = make_submission(users["trainee"], first_exercise(track))
    help_item = ReviewItem(kind="help", trainee_id=users["trainee"].id, mentor_id=users["mentor"].id,
                           exercise_id=submission.exercise_id, question="Bagaimana?")
    comment = LineComment(submission_id=submission.id, grade_id="jawaban", line=1,
                          author_id=users["mentor"].id, body="Bagus")
    signoff = SignOff(trainee_id=users["trainee"].id, stage_id=track.stages[0].id)
    note = Notification(user_id=users["trainee"].id, kind="message.new", text="Halo", link="/")
    db.session.add_all([help_item, comment, signoff, note])
    db.session.commit()
    return {
        "submission_id": submission.id,
        "item_id": help_item.id,
        "comment_id": comment.id,
        "signoff_id": signoff.id,
        "notification_id": note.id,
    }
