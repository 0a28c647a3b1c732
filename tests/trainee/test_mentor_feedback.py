"""What a trainee hears back: mentor decisions on Beranda, "needs revision", their questions, the next exercise."""
import json
from datetime import timedelta

from tic_academy.clock import now_utc, today_wib
from tic_academy.enums import Decision, ItemKind, ItemStatus
from tic_academy.extensions import db
from tic_academy.models import Enrollment, Exercise, Submission
from tic_academy.models.mentoring import LineComment, Message, Review, ReviewItem


def exercise(slug: str = "tambah") -> Exercise:
    """An exercise of the test track by slug."""
    return db.session.scalar(db.select(Exercise).where(Exercise.slug == slug))


def graded(trainee, score: float = 2.0, slug: str = "tambah") -> Submission:
    """A graded submission of the trainee (full marks by default: it passes the stage's 70 %)."""
    item = Submission(trainee_id=trainee.id, exercise=exercise(slug), exercise_version=exercise(slug).current_version,
                      answers={"jawaban": "def tambah(a, b):\n    return a + b"}, status="graded",
                      auto_score=score, max_score=2.0)
    db.session.add(item)
    db.session.commit()
    return item


def decide(submission, mentor, decision: str, summary: str = "", minutes_ago: int = 0) -> Review:
    """A mentor's decision on the submission."""
    review = Review(submission_id=submission.id, reviewer_id=mentor.id, decision=decision, summary=summary,
                    created_at=now_utc() - timedelta(minutes=minutes_ago))
    db.session.add(review)
    db.session.commit()
    return review


def test_home_shows_the_mentors_latest_decision(client, trainee, make_user):
    """Does Beranda show what the mentor decided, on which exercise, by whom, with a link to the feedback?"""
    mentor = make_user(role="mentor", full_name="Mentor Rina")
    submission = graded(trainee)
    db.session.add(LineComment(submission_id=submission.id, grade_id="jawaban", line=2, author_id=mentor.id,
                               body="Nama variabel bisa lebih jelas."))
    decide(submission, mentor, Decision.CHANGES_REQUESTED, summary="Tolong rapikan fungsi *tambah*.")
    page = client.get("/peserta/").get_data(as_text=True)
    assert "Belum ada umpan balik" not in page
    assert "Mentor Rina" in page and "Tolong rapikan fungsi <em>tambah</em>." in page
    assert 'data-review="changes_requested"' in page and "Perlu perbaikan" in page
    assert f'href="/diskusi/umpan-balik/{submission.id}"' in page
    assert "1 komentar baris" in page


def test_home_without_decisions_says_no_feedback_yet(client, trainee):
    """With no mentor decision yet, does the card say so plainly?"""
    page = client.get("/peserta/").get_data(as_text=True)
    assert "Belum ada umpan balik" in page


def test_changes_requested_shows_needs_revision_until_a_new_submission(client, trainee, make_user):
    """After "request changes" on a passing submission, do home and curriculum say "needs revision" until resubmitted?"""
    mentor = make_user(role="mentor")
    submission = graded(trainee, score=2.0)
    before = client.get("/peserta/kurikulum").get_data(as_text=True)
    assert "Perlu perbaikan" not in before and "Tuntas" in before
    decide(submission, mentor, Decision.CHANGES_REQUESTED)
    for path in ("/peserta/kurikulum", "/peserta/", "/peserta/latihan/tambah"):
        assert 'data-status="needs_revision"' in client.get(path).get_data(as_text=True), path
    graded(trainee, score=2.0)  # the trainee hands in a revised version
    page = client.get("/peserta/kurikulum").get_data(as_text=True)
    assert 'data-status="needs_revision"' not in page and 'data-status="passed"' in page


def test_an_approval_after_a_request_clears_needs_revision(client, trainee, make_user):
    """Does the newest decision count: an approval after "request changes" on the same submission?"""
    mentor = make_user(role="mentor")
    submission = graded(trainee)
    decide(submission, mentor, Decision.CHANGES_REQUESTED, minutes_ago=5)
    decide(submission, mentor, Decision.APPROVED)
    assert 'data-status="needs_revision"' not in client.get("/peserta/kurikulum").get_data(as_text=True)


def test_before_the_cohort_starts_home_says_when_it_starts(client, trainee):
    """Does a trainee of a cohort that has not started read its start date, not "on track, passed everything"?"""
    enrollment = db.session.scalar(db.select(Enrollment).where(Enrollment.trainee_id == trainee.id))
    enrollment.cohort.start_date = today_wib() + timedelta(days=10)
    db.session.commit()
    page = client.get("/peserta/").get_data(as_text=True)
    assert 'id="cohort-not-started"' in page and "Angkatan mulai" in page
    assert "Sesuai jadwal" not in page


def test_my_questions_lists_help_requests_with_their_state(client, trainee, make_user):
    """Does "My questions" list the trainee's help requests, answered or waiting, and only theirs?"""
    mentor = make_user(role="mentor", full_name="Mentor Budi")
    other = make_user(role="trainee")
    waiting = ReviewItem(kind=ItemKind.HELP, trainee_id=trainee.id, mentor_id=mentor.id, exercise_id=exercise().id,
                         question="Kenapa tesnya gagal?")
    answered = ReviewItem(kind=ItemKind.HELP, trainee_id=trainee.id, mentor_id=mentor.id, exercise_id=exercise().id,
                          question="Apa itu return?", status=ItemStatus.DONE)
    foreign = ReviewItem(kind=ItemKind.HELP, trainee_id=other.id, exercise_id=exercise().id, question="Rahasia orang lain")
    db.session.add_all([waiting, answered, foreign])
    db.session.flush()
    db.session.add(Message(help_item_id=answered.id, author_id=mentor.id, body="return mengembalikan nilai."))
    db.session.commit()
    page = client.get("/peserta/pertanyaan").get_data(as_text=True)
    assert "Kenapa tesnya gagal?" in page and "Apa itu return?" in page
    assert "Rahasia orang lain" not in page
    assert "Menunggu mentor Anda" in page and "Selesai ditangani" in page and "Mentor Budi" in page
    assert f'href="/diskusi/bantuan/{waiting.id}"' in page
    assert 'href="/peserta/pertanyaan"' in client.get("/peserta/").get_data(as_text=True)


def test_help_thread_links_back_to_the_exercise_without_markdown_jargon(client, trainee, make_user):
    """Does a help request's page lead back to the exercise, and do its forms avoid the word "markdown"?"""
    item = ReviewItem(kind=ItemKind.HELP, trainee_id=trainee.id, mentor_id=make_user(role="mentor").id,
                      exercise_id=exercise().id, question="Bingung")
    db.session.add(item)
    db.session.commit()
    page = client.get(f"/diskusi/bantuan/{item.id}").get_data(as_text=True)
    assert 'id="back-to-exercise" href="/peserta/latihan/tambah"' in page
    assert "markdown" not in page.lower()
    assert "**tebal**" in page
    workspace = client.get("/peserta/latihan/tambah").get_data(as_text=True)
    assert "**tebal**" in workspace


def test_graded_status_tells_the_header_and_the_next_exercise(client, trainee):
    """Once a submission passes, does its status say "passed" with the best score and the next open exercise?"""
    data = client.get(f"/peserta/api/pengumpulan/{graded(trainee).id}").json
    standing = data["standing"]
    assert standing["status"] == "passed" and standing["best_score"] == 2.0
    # The pass opened stage two: its exercise is next (the page loaded before, when it was locked).
    assert standing["next"] == {"title": "Kurang", "url": "/peserta/latihan/kurang"}


def test_graded_status_below_the_bar_offers_no_next_exercise(client, trainee):
    """Below the pass mark, does the status say "needs revision" and offer nothing next?"""
    standing = client.get(f"/peserta/api/pengumpulan/{graded(trainee, score=0.5).id}").json["standing"]
    assert standing["status"] == "needs_revision" and standing["next"] is None


def test_next_after_redirects_to_the_next_open_exercise(client, trainee):
    """Does "next exercise" go to the curriculum while the next stage is locked, and to it once it opens?"""
    assert client.get("/peserta/latihan/tambah/berikutnya").headers["Location"] == "/peserta/kurikulum"
    graded(trainee)
    assert client.get("/peserta/latihan/tambah/berikutnya").headers["Location"] == "/peserta/latihan/kurang"


def test_workspace_page_data_has_the_run_time_limit(client, trainee):
    """Does the workspace know the exercise's time limit, to say honestly when the server stops a run?"""
    page = client.get("/peserta/latihan/tambah").get_data(as_text=True)
    start = page.index('id="workspace-data">') + len('id="workspace-data">')
    data = json.loads(page[start:page.index("</script>", start)])
    assert data["runLimitS"] == 60 and "%(seconds)s" in data["messages"]["stopped"]


def test_submission_feedback_page_links_back_to_the_exercise(client, trainee, make_user):
    """Does the feedback page of a submission lead the trainee back to the exercise to revise it?"""
    submission = graded(trainee)
    decide(submission, make_user(role="mentor"), Decision.CHANGES_REQUESTED)
    page = client.get(f"/diskusi/umpan-balik/{submission.id}").get_data(as_text=True)
    assert 'id="back-to-exercise" href="/peserta/latihan/tambah"' in page
    assert "**tebal**" in page and "markdown" not in page.lower()


def test_a_passed_exercise_offers_the_next_one_in_its_header(client, trainee):
    """Does a trainee who reopens a passed exercise find the way on in its header (and not before it is passed)?"""
    assert 'id="next-after"' not in client.get("/peserta/latihan/tambah").get_data(as_text=True)
    graded(trainee)
    page = client.get("/peserta/latihan/tambah").get_data(as_text=True)
    assert 'id="next-after" href="/peserta/latihan/tambah/berikutnya"' in page
