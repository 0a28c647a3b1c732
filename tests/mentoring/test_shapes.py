"""Answer shapes on the review page: how many answers share a shape, and feedback saved for a shape (offered, not sent)."""
import nbformat
import pytest
from sqlalchemy import func, select

from tests.mentoring import factories
from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, ShapeFeedback
from tic_academy.models.mentoring import Review
from tic_academy.models.notices import Notification
from tic_academy.services import ServiceError, notebooks, review_queue, shapes

#: Three answers of one shape (names, spacing, comments and a docstring differ) and one of another.
SAME = [
    "def tambah(a, b):\n    hasil = a + b\n    return hasil",
    "def tambah(x, y):\n    '''Jumlah.'''\n    total = x + y  # jumlahkan\n    return total",
    "def tambah(p,q):\n\n    s=p+q\n    return s",
]
OTHER = "def tambah(a, b):\n    return sum([a, b])"


@pytest.fixture
def world(world, make_user):
    """The mentoring world plus a trainee of mentor B in another cohort."""
    world.stranger = make_user(role="trainee", full_name="Peserta Tiga")
    factories.enroll(world.stranger, world.mentor_b, world.track)
    return world


def graded(trainee, exercise, code: str):
    """A graded submission with one answer, queued for mentors as the grader does (which records its shape)."""
    submission = make_submission(trainee, exercise, answers={"jawaban": code})
    review_queue.on_submission_graded(submission)
    return submission


def test_graded_submissions_get_their_shape(world):
    """Does queueing a graded submission store its shape, equal for answers that differ only in names and comments?"""
    first, second, third = (graded(t, world.exercise, code) for t, code in
                            zip((world.trainee, world.mate, world.stranger), SAME))
    different = graded(world.trainee, world.exercise, OTHER)
    assert first.shape and len(first.shape) == 64
    assert first.shape == second.shape == third.shape
    assert different.shape != first.shape
    broken = graded(world.mate, world.exercise, "def tambah(a, b)\n    return a + b")
    assert broken.shape is None


def test_practice_cells_do_not_change_the_shape(world):
    """Do two answers with the same code but different experiments in a practice cell share a shape?"""
    version = world.exercise.current_version
    nb = nbformat.reads(version.source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('coba')", metadata={
        "nbgrader": {"grade_id": "latihan-bebas-1", "solution": True, "grade": False, "locked": False,
                     "schema_version": 3}, "tic": {"practice": True}}))
    version.source, version.checksum = nbformat.writes(nb), version.checksum + "-latihan"
    db.session.commit()
    notebooks.clear_cache()
    a = make_submission(world.trainee, world.exercise, answers={"jawaban": SAME[0], "latihan-bebas-1": "print(1)"})
    b = make_submission(world.mate, world.exercise, answers={"jawaban": SAME[1], "latihan-bebas-1": "x = [3, 2]\nx.sort()"})
    assert shapes.record_shape(a) is not None and shapes.record_shape(a) == shapes.record_shape(b)


def test_a_project_exercise_has_no_shape(world):
    """Is a project submission left without a shape (its answer is a repository, not answer cells)?"""
    submission = make_submission(world.trainee, world.exercise, answers={"jawaban": SAME[0]})
    world.exercise.kind = "project"
    assert shapes.record_shape(submission) is None


def test_review_page_counts_the_same_shape_and_links_only_what_the_mentor_may_open(world, client, auth):
    """Does the mentor see "2 jawaban lain berbentuk sama", a list with only their own trainee's answer, and a count of the rest?"""
    mine = graded(world.trainee, world.exercise, SAME[0])
    mates = graded(world.mate, world.exercise, SAME[1])
    strangers = graded(world.stranger, world.exercise, SAME[2])
    graded(world.mate, world.exercise, OTHER)  # the mate's newer, different answer is not counted

    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{mine.id}").get_data(as_text=True)
    assert "2 jawaban lain berbentuk sama" in html
    assert "Lihat 1 yang dapat Anda buka" in html and "1 di antaranya milik peserta mentor lain" in html

    listing = client.get(f"/mentor/pengumpulan/{mine.id}/bentuk-sama").get_data(as_text=True)
    assert f'data-submission="{mates.id}"' in listing and "Peserta Dua" in listing
    assert f'data-submission="{strangers.id}"' not in listing and "Peserta Tiga" not in listing
    assert "1 jawaban lain berbentuk sama milik peserta mentor lain" in listing
    assert client.get(f"/mentor/pengumpulan/{strangers.id}/bentuk-sama").status_code == 403

    auth.logout()
    auth.login(world.admin)
    listing = client.get(f"/mentor/pengumpulan/{mine.id}/bentuk-sama").get_data(as_text=True)
    assert "Peserta Dua" in listing and "Peserta Tiga" in listing and "milik peserta mentor lain" not in listing


def test_review_page_says_when_no_other_answer_has_the_shape(world, client, auth):
    """Does a lone answer say so, and an answer that does not parse say it has no shape?"""
    lone = graded(world.trainee, world.exercise, SAME[0])
    broken = graded(world.mate, world.exercise, "def tambah(a, b)\n    return a + b")
    auth.login(world.mentor_a)
    assert "Belum ada jawaban peserta lain yang berbentuk sama." in client.get(f"/mentor/pengumpulan/{lone.id}").get_data(as_text=True)
    html = client.get(f"/mentor/pengumpulan/{broken.id}").get_data(as_text=True)
    assert 'id="shape-none"' in html and "Simpan sebagai umpan balik untuk bentuk ini" not in html


def test_saved_feedback_is_offered_on_the_same_shape_and_not_sent(world, client, auth):
    """Is feedback saved on one answer offered (not sent) on another of its shape, and not on a different shape?"""
    first = graded(world.trainee, world.exercise, SAME[0])
    second = graded(world.mate, world.exercise, SAME[1])
    different = graded(world.trainee, world.exercise, OTHER)
    auth.login(world.mentor_a)
    page = client.get(f"/mentor/pengumpulan/{first.id}").get_data(as_text=True)
    assert "Simpan sebagai umpan balik untuk bentuk ini" in page
    text = "Variabel `hasil` tidak perlu: langsung `return a + b`."
    response = client.post(f"/mentor/pengumpulan/{first.id}/umpan-balik-bentuk", data={"body": text})
    assert response.status_code == 302
    [saved] = db.session.scalars(select(ShapeFeedback)).all()
    assert (saved.exercise_id, saved.shape, saved.author_id) == (world.exercise.id, first.shape, world.mentor_a.id)

    reviews_before = db.session.scalar(select(func.count(Review.id)))
    notices_before = db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == world.mate.id))
    html = client.get(f"/mentor/pengumpulan/{second.id}").get_data(as_text=True)
    assert "Pakai umpan balik ini" in html and "langsung <code>return a + b</code>" in html
    assert 'data-feedback-text="Variabel `hasil` tidak perlu: langsung `return a + b`."' in html
    assert '<textarea class="form-control mb-2" id="summary" name="summary" rows="4" maxlength="5000"></textarea>' in html
    # Without JavaScript the button reloads the page with the summary filled in; still nothing is sent.
    filled = client.get(f"/mentor/pengumpulan/{second.id}?pakai={saved.id}").get_data(as_text=True)
    assert 'id="summary" name="summary" rows="4" maxlength="5000">Variabel `hasil` tidak perlu' in filled
    assert db.session.scalar(select(func.count(Review.id))) == reviews_before
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == world.mate.id)) == notices_before

    other_page = client.get(f"/mentor/pengumpulan/{different.id}").get_data(as_text=True)
    assert "Pakai umpan balik ini" not in other_page and "tidak perlu" not in other_page
    # Feedback of another shape is not put into the summary even when asked for by its id.
    wrong = client.get(f"/mentor/pengumpulan/{different.id}?pakai={saved.id}").get_data(as_text=True)
    assert 'maxlength="5000">Variabel' not in wrong


def test_saving_again_replaces_the_mentors_own_feedback_and_is_audited(world):
    """Does a second save by the same mentor replace their text (one row), with both saves in the audit log?"""
    submission = graded(world.trainee, world.exercise, SAME[0])
    shapes.save_feedback(submission, world.mentor_a, "Pertama")
    shapes.save_feedback(submission, world.mentor_a, "Kedua")
    [saved] = db.session.scalars(select(ShapeFeedback)).all()
    assert saved.body == "Kedua"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "ShapeFeedback")).all()
    assert sorted(actions) == ["shape_feedback.saved", "shape_feedback.updated"]
    with pytest.raises(ServiceError):
        shapes.save_feedback(submission, world.mentor_a, "   ")
    broken = graded(world.mate, world.exercise, "def (:")
    with pytest.raises(ServiceError):
        shapes.save_feedback(broken, world.mentor_a, "Tidak dapat dibaca")


def test_only_the_author_or_an_admin_may_change_or_delete_saved_feedback(world, client, auth):
    """Is another mentor refused changing or deleting a mentor's saved feedback, and an admin allowed (audited)?"""
    mine = graded(world.trainee, world.exercise, SAME[0])
    strangers = graded(world.stranger, world.exercise, SAME[2])
    saved = shapes.save_feedback(mine, world.mentor_a, "Asli")
    saved_id = saved.id

    auth.login(world.mentor_b)
    html = client.get(f"/mentor/pengumpulan/{strangers.id}").get_data(as_text=True)
    assert "Asli" in html and f"/mentor/umpan-balik-bentuk/{saved.id}/hapus" not in html
    client.post(f"/mentor/umpan-balik-bentuk/{saved.id}/ubah", data={"body": "Diganti", "submission_id": strangers.id})
    client.post(f"/mentor/umpan-balik-bentuk/{saved.id}/hapus", data={"submission_id": strangers.id})
    db.session.expire_all()
    assert db.session.get(ShapeFeedback, saved.id).body == "Asli"
    # The submission named in the form must be one the mentor may review.
    assert client.post(f"/mentor/umpan-balik-bentuk/{saved.id}/hapus",
                       data={"submission_id": mine.id}).status_code == 403
    auth.logout()

    auth.login(world.mentor_a)
    client.post(f"/mentor/umpan-balik-bentuk/{saved.id}/ubah", data={"body": "Diubah", "submission_id": mine.id})
    db.session.expire_all()
    assert db.session.get(ShapeFeedback, saved.id).body == "Diubah"
    auth.logout()

    auth.login(world.admin)
    client.post(f"/mentor/umpan-balik-bentuk/{saved_id}/hapus", data={"submission_id": mine.id})
    db.session.expire_all()
    assert db.session.get(ShapeFeedback, saved_id) is None
    deleted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "shape_feedback.deleted"))
    assert deleted.actor_id == world.admin.id and deleted.detail["text"] == "Diubah"


def test_backfill_and_report_commands(world, runner):
    """Does `flask shapes backfill` give older submissions their shape, and `flask shapes report` count the collapse?"""
    olds = [make_submission(t, world.exercise, answers={"jawaban": code})
            for t, code in zip((world.trainee, world.mate, world.stranger), SAME)]
    make_submission(world.trainee, world.exercise, answers={"jawaban": "def (:"})
    assert all(s.shape is None for s in olds)
    result = runner.invoke(args=["shapes", "backfill"])
    assert result.exit_code == 0, result.output
    assert "4 pengumpulan diperiksa, 3 mendapat bentuk" in result.output
    db.session.expire_all()
    assert len({s.shape for s in olds}) == 1 and olds[0].shape is not None
    again = runner.invoke(args=["shapes", "backfill"])
    assert "1 pengumpulan diperiksa, 0 mendapat bentuk" in again.output  # only the one without a shape is looked at
    report = runner.invoke(args=["shapes", "report"])
    assert f"{world.exercise.slug}: 4 pengumpulan -> 1 bentuk (tanpa bentuk: 1; kelompok terbesar: 3)" in report.output


def test_a_submission_not_graded_shows_no_shape_panel(world, client, auth):
    """Is a submission whose grading failed shown without the shape panel (rather than "cannot be read as Python")?"""
    failed = make_submission(world.trainee, world.exercise, answers={"jawaban": SAME[0]})
    failed.status = "failed"
    db.session.commit()
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{failed.id}").get_data(as_text=True)
    assert 'id="answer-shape"' not in html and "Bentuk jawaban" not in html


def test_a_trainee_who_hands_in_the_same_code_again_counts_once(world):
    """Is the same code handed in twice by one trainee one answer of the shape (their newest)?"""
    mine = graded(world.trainee, world.exercise, SAME[0])
    graded(world.mate, world.exercise, SAME[1])
    again = graded(world.mate, world.exercise, SAME[2])
    group = shapes.shape_group(mine, world.mentor_a)
    assert [s.id for s in group.visible] == [again.id] and group.total == 1
