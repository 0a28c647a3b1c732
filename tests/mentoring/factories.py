"""Plain factories for mentoring tests (also used by tests/policies/mentoring.py)."""
from datetime import timedelta

import nbformat

from tests.notebook_factory import exercise_notebook, nbgrader
from tic_academy.extensions import db
from tic_academy.grading.integrity import needs_hold
from tic_academy.models import Cohort, Enrollment, Exercise, ExerciseVersion, Stage, Submission, Track
from tic_academy.clock import now_utc
from tic_academy.clock import today_wib

RUBRIC = "Nilai 0-3: 1 poin per alasan yang masuk akal."


def manual_notebook():
    """The standard exercise plus a manually graded markdown answer with a rubric."""
    nb = exercise_notebook()
    cell = nbformat.v4.new_markdown_cell("Jelaskan jawaban Anda.", metadata=nbgrader("penjelasan", solution=True, grade=True, points=3))
    cell.metadata["tic"] = {"rubric": RUBRIC}
    nb.cells.append(cell)
    return nb


def make_track(signoff_first_stage: bool = False, manual: bool = False) -> Track:
    """A track with two stages of one exercise each (2 auto-graded points each)."""
    track = Track(slug=f"jalur-{now_utc().timestamp()}", title_id="Jalur Uji", weeks=2)
    db.session.add(track)
    for position in (1, 2):
        stage = Stage(track=track, slug=f"tahap-{position}", position=position, title_id=f"Tahap {position}",
                      week_start=position, week_end=position, pass_threshold=0.7,
                      signoff_required=signoff_first_stage and position == 1)
        exercise = Exercise(stage=stage, slug=f"latihan-{position}", position=1, title_id=f"Latihan {position}",
                            notebook_path=f"uji/latihan-{position}.ipynb", week=position)
        nb = manual_notebook() if manual else exercise_notebook()
        version = ExerciseVersion(exercise=exercise, checksum=f"c{position}", source=nbformat.writes(nb), max_score=2.0)
        db.session.add_all([stage, exercise, version])
        db.session.flush()
        exercise.current_version = version
    db.session.commit()
    return track


def enroll(trainee, mentor, track: Track, cohort: Cohort | None = None) -> Enrollment:
    """Put the trainee in a running cohort of the track with ``mentor``."""
    if cohort is None:
        cohort = Cohort(name=f"Angkatan {track.slug}", track=track, start_date=today_wib() - timedelta(days=3), status="running")
        db.session.add(cohort)
    enrollment = Enrollment(cohort=cohort, trainee=trainee, mentor=mentor)
    db.session.add(enrollment)
    db.session.commit()
    return enrollment


ANSWER = "def tambah(a, b):\n    hasil = a + b\n    return hasil"


def make_submission(trainee, exercise: Exercise, answers: dict | None = None, score: float = 2.0,
                    flags: list | None = None, created_at=None) -> Submission:
    """A graded submit-mode submission (no kernel: the result is written directly).

    Serious flags hold its score, as the submissions service does when it stores a grading.
    """
    submission = Submission(
        trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
        answers=answers if answers is not None else {"jawaban": ANSWER}, mode="submit", status="graded",
        auto_score=score, max_score=2.0, flags=flags or [], created_at=created_at or now_utc(),
        integrity_status="held" if needs_hold(flags or []) else "clear",
    )
    submission.store_notebook(exercise.current_version.source)
    db.session.add(submission)
    db.session.commit()
    return submission


def first_exercise(track: Track) -> Exercise:
    """The exercise of the track's first stage."""
    return track.stages[0].exercises[0]
