"""``flask demo``: demo OPDs and accounts, and three weeks of the demo cohort's history (safe to run again)."""
import dataclasses
import random
import zlib
from datetime import date, datetime, time, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .clock import WIB, now_utc, today_wib
from .enums import Decision, Role, SignOffStatus, SubmissionMode, SubmissionStatus
from .extensions import db
from .models import Cohort, Enrollment, Exercise, Opd, SignOff, Stage, Submission, TestResult, Track, User
from .services import notebooks, review_queue, reviews
from .services.accounts import find_user, hash_password
from .services.settings import ServiceSettings

#: (code, full name, short name) of work units of the Tangerang Selatan city government.
TANGSEL_OPDS = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("DINKES", "Dinas Kesehatan", "Dinkes"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    ("DINDIKBUD", "Dinas Pendidikan dan Kebudayaan", "Dindikbud"),
    ("DLH", "Dinas Lingkungan Hidup", "DLH"),
    ("DISHUB", "Dinas Perhubungan", "Dishub"),
    ("DINSOS", "Dinas Sosial", "Dinsos"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("INSPEKTORAT", "Inspektorat Daerah", "Inspektorat"),
]

#: (email, full name, role, OPD code or None)
DEMO_ACCOUNTS = [
    ("admin@tic.test", "Admin Program TIC", Role.ADMIN, None),
    ("mentor1@tic.test", "Rizky Pratama", Role.MENTOR, None),
    ("mentor2@tic.test", "Dewi Lestari", Role.MENTOR, None),
    ("kepala.diskominfo@tic.test", "Hendra Wijaya", Role.OPD_HEAD, "DISKOMINFO"),
    ("kepala.bappeda@tic.test", "Siti Rahmawati", Role.OPD_HEAD, "BAPPEDA"),
    ("peserta1@tic.test", "Ahmad Fauzi", Role.TRAINEE, "DISKOMINFO"),
    ("peserta2@tic.test", "Nur Aini", Role.TRAINEE, "DISKOMINFO"),
    ("peserta3@tic.test", "Budi Santoso", Role.TRAINEE, "DISKOMINFO"),
    ("peserta4@tic.test", "Putri Maharani", Role.TRAINEE, "BAPPEDA"),
    ("peserta5@tic.test", "Yusuf Hidayat", Role.TRAINEE, "BAPPEDA"),
    ("peserta6@tic.test", "Rina Kartika", Role.TRAINEE, "BAPPEDA"),
]


def ensure_opds() -> dict[str, Opd]:
    """Create the city's OPDs that are missing; return them by code."""
    existing = {opd.code: opd for opd in db.session.scalars(select(Opd))}
    for code, name, short in TANGSEL_OPDS:
        if code not in existing:
            existing[code] = Opd(code=code, name=name, short_name=short)
            db.session.add(existing[code])
    db.session.flush()
    return existing


def ensure_demo_accounts(opds: dict[str, Opd], password: str) -> list[User]:
    """Create the demo accounts that are missing, all with ``password``."""
    password_hash = hash_password(password, ServiceSettings.from_config(current_app.config))
    users = []
    for email, name, role, opd_code in DEMO_ACCOUNTS:
        user = find_user(email)
        if user is None:
            user = User(email=email, full_name=name, role=role, opd=opds.get(opd_code))
            user.password_hash = password_hash
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


DEMO_TRACK = "programmer-pemerintahan"
DEMO_COHORT = "Angkatan Demo 2026"


def demo_track() -> Track | None:
    """The synced track the demo cohort follows: the programmer track, else the first track still in use."""
    track = db.session.scalar(select(Track).where(Track.slug == DEMO_TRACK))
    return track or db.session.scalar(select(Track).where(Track.retired.is_(False)).order_by(Track.id))


def ensure_demo_cohort(users: list[User]) -> Cohort | None:
    """A running cohort that started two weeks ago, with every demo trainee enrolled.

    Trainees are spread over the two demo mentors. Needs the curriculum synced
    first (``flask curriculum sync``); without it there is no track to follow.
    """
    track = demo_track()
    if track is None:
        return None
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT))
    if cohort is None:
        cohort = Cohort(
            name=DEMO_COHORT,
            track=track,
            start_date=today_wib() - timedelta(days=14),
            capacity=30,
            status="running",
        )
        db.session.add(cohort)
        db.session.flush()
    mentors = [u for u in users if u.role == Role.MENTOR]
    trainees = [u for u in users if u.role == Role.TRAINEE]
    enrolled = set(db.session.scalars(select(Enrollment.trainee_id).where(Enrollment.cohort_id == cohort.id)))
    for n, trainee in enumerate(trainees):
        if trainee.id not in enrolled:
            db.session.add(Enrollment(cohort=cohort, trainee=trainee, mentor=mentors[n % len(mentors)]))
    return cohort


def create_demo_data() -> Cohort | None:
    """Create demo OPDs, accounts and a running cohort (safe to run again)."""
    opds = ensure_opds()
    users = ensure_demo_accounts(opds, current_app.config["DEMO_PASSWORD"])
    cohort = ensure_demo_cohort(users)
    ensure_demo_program(cohort, opds, users)
    db.session.commit()
    return cohort


DEMO_NEXT_COHORT = "Angkatan 2 2026"
#: (email, name, OPD code, status, reason) of nominations for the next (planned) cohort.
DEMO_NOMINATIONS = [
    ("calon.dewi@tic.test", "Dewi Anggraini", "DISKOMINFO", "draft", ""),
    ("calon.fajar@tic.test", "Fajar Nugroho", "DISKOMINFO", "submitted", ""),
    ("calon.sari@tic.test", "Sari Wulandari", "BAPPEDA", "waitlisted", "Kuota Bappeda sudah terisi; masuk daftar tunggu."),
    ("calon.agus@tic.test", "Agus Setiawan", "BAPPEDA", "rejected", "Belum bisa menyediakan waktu 15 jam per minggu."),
]


def ensure_demo_program(cohort: Cohort | None, opds: dict[str, Opd], users: list[User]) -> None:
    """Mentors and per-OPD quotas on the demo cohort, the demo trainees' nominations
    (enrolled), and a planned next cohort with nominations in several states."""
    from .models.program import CohortQuota, Nomination

    if cohort is None:
        return
    mentors = [u for u in users if u.role == Role.MENTOR]
    heads = {u.opd_id: u for u in users if u.role == Role.OPD_HEAD}
    if not cohort.mentors:
        cohort.mentors = mentors
    _ensure_quotas(cohort, {opds["DISKOMINFO"].id: 10, opds["BAPPEDA"].id: 8}, CohortQuota)
    nominated = {(n.cohort_id, n.email) for n in db.session.scalars(select(Nomination))}
    for trainee in (u for u in users if u.role == Role.TRAINEE):
        if (cohort.id, trainee.email) not in nominated:
            db.session.add(_demo_nomination(Nomination, cohort, trainee.email, trainee.full_name,
                                            trainee.opd_id, heads.get(trainee.opd_id), "enrolled", user_id=trainee.id))
    following = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_NEXT_COHORT))
    if following is None:
        following = Cohort(name=DEMO_NEXT_COHORT, track=cohort.track, start_date=today_wib() + timedelta(days=28),
                           capacity=20, status="planned")
        db.session.add(following)
        db.session.flush()
        following.mentors = mentors
    _ensure_quotas(following, {opds["DISKOMINFO"].id: 5, opds["BAPPEDA"].id: 1}, CohortQuota)
    for email, name, code, status, reason in DEMO_NOMINATIONS:
        if (following.id, email) not in nominated:
            opd = opds[code]
            db.session.add(_demo_nomination(Nomination, following, email, name, opd.id, heads.get(opd.id), status,
                                            decision_reason=reason))
    db.session.flush()


def _ensure_quotas(cohort: Cohort, places: dict[int, int], quota_model) -> None:
    existing = {q.opd_id for q in cohort.quotas}
    for opd_id, n in places.items():
        if opd_id not in existing:
            cohort.quotas.append(quota_model(opd_id=opd_id, places=n))


def _demo_nomination(model, cohort, email, name, opd_id, head, status, **extra):
    now = now_utc()
    return model(
        cohort=cohort, opd_id=opd_id, nominated_by_id=head.id if head else None, full_name=name, email=email,
        phone="0812" + str(zlib.crc32(email.encode()) % 10**8).zfill(8), position="Staf pelaksana", unit="Sekretariat",
        employment_status="honorary", education="s1", hours_per_week=15, supervisor_agrees=True,
        motivation="Ingin membantu membangun aplikasi layanan internal OPD.", status=status,
        submitted_at=None if status == "draft" else now,
        decided_at=now if status in ("enrolled", "waitlisted", "rejected") else None, **extra,
    )


# --- three weeks of history ------------------------------------------------------------------

DEMO_HISTORY_DAYS = 21
#: Per demo trainee: how many exercises (in track order) they handed in, which of them failed first
#: (passed on a second try), and the one they are stuck on (handed in, still failing), if any.
DEMO_PLANS = {
    "peserta1@tic.test": {"done": 11, "failed_first": (1, 6), "stuck": None},  # on schedule
    "peserta2@tic.test": {"done": 11, "failed_first": (4,), "stuck": None},    # ahead: weeks 1-3 done
    "peserta3@tic.test": {"done": 2, "failed_first": (), "stuck": 2},          # falling behind
    "peserta4@tic.test": {"done": 10, "failed_first": (2,), "stuck": None},    # asked to improve one
    "peserta5@tic.test": {"done": 3, "failed_first": (0,), "stuck": None},     # falling behind, asks for help
    "peserta6@tic.test": {"done": 5, "failed_first": (0, 3), "stuck": 5},      # a little behind
}
DEMO_SEED = 2026
DEMO_QUESTION = ("Saya sudah mencoba beberapa kali, tetapi tesnya tetap gagal. Apakah saya harus mengubah "
                 "teks menjadi angka dulu sebelum menjumlahkan?")
DEMO_ANSWER = ("Betul, nilai dari input() selalu teks. Ubah dulu dengan int(), lalu jalankan sel tesnya "
               "lagi. Kalau masih gagal, kirim pertanyaan lagi di sini.")
DEMO_UNANSWERED = "Sel tes kedua selalu gagal walaupun hasil saya sama dengan contoh. Di mana salahnya?"
DEMO_REVIEW_APPROVED = "Rapi dan benar. Nama variabelnya jelas; lanjutkan seperti ini."
DEMO_REVIEW_CHANGES = ("Hasilnya sudah benar, tetapi nama variabel a, b dan c sulit dibaca. Ganti dengan nama "
                       "yang menjelaskan isinya, lalu kumpulkan lagi.")


def demo_exercises(track: Track) -> list[Exercise]:
    """The track's required notebook exercises of the first three weeks, in order."""
    rows = db.session.scalars(
        select(Exercise).join(Stage).where(
            Stage.track_id == track.id, Stage.retired.is_(False), Exercise.retired.is_(False),
            Exercise.required.is_(True), Exercise.kind == "notebook", Exercise.week <= 3,
            Exercise.current_version_id.is_not(None),
        ).order_by(Stage.position, Exercise.position)
    )
    return list(rows)


def create_demo_history(cohort: Cohort | None) -> bool:
    """Give the demo cohort three weeks of history: graded submissions (some failing first), trainees
    falling behind, help requests (one answered), mentor reviews (one "request changes") and, where the
    track asks for it, an approved stage sign-off. Returns False when there was nothing to do (no cohort,
    or the history is already there)."""
    if cohort is None or _history_exists(cohort):
        return False
    exercises = demo_exercises(cohort.track)
    if not exercises:
        return False
    cohort.start_date = today_wib() - timedelta(days=DEMO_HISTORY_DAYS)
    db.session.commit()
    # No similarity flags: every demo trainee hands in the same model answers.
    settings = dataclasses.replace(ServiceSettings.from_config(current_app.config), similarity_threshold=2.0)
    rng = random.Random(DEMO_SEED)
    enrolled = {e.trainee.email: e for e in cohort.enrollments}
    for email, plan in DEMO_PLANS.items():
        enrollment = enrolled.get(email)
        if enrollment is not None:
            _trainee_history(enrollment, exercises, plan, cohort.start_date, rng, settings)
    _mentor_activity(enrolled, exercises, cohort.start_date)
    db.session.commit()
    return True


def _history_exists(cohort: Cohort) -> bool:
    """Has any demo trainee of the cohort handed in anything?"""
    trainee_ids = [e.trainee_id for e in cohort.enrollments]
    return db.session.scalar(select(Submission.id).where(Submission.trainee_id.in_(trainee_ids)).limit(1)) is not None


def _moment(start: date, day: int, rng: random.Random) -> datetime:
    """A working hour (WIB) on the given day of the cohort."""
    clock = time(hour=rng.randint(8, 16), minute=rng.randint(0, 59))
    return datetime.combine(start + timedelta(days=day), clock, tzinfo=WIB)


def _trainee_history(enrollment: Enrollment, exercises: list[Exercise], plan: dict, start: date,
                     rng: random.Random, settings: ServiceSettings) -> None:
    """One trainee's submissions: roughly one exercise every one and a half days from day one."""
    trainee = enrollment.trainee
    worked = list(range(plan["done"])) + ([plan["stuck"]] if plan["stuck"] is not None else [])
    for index in worked:
        if index >= len(exercises):
            break
        exercise = exercises[index]
        day = min(1 + (index * 3) // 2, DEMO_HISTORY_DAYS - 1)
        day = max(day, (exercise.week - 1) * 7)  # a week's exercises open when the week starts
        when = _moment(start, day, rng)
        if index in plan["failed_first"] or index == plan["stuck"]:
            _graded_submission(trainee, exercise, passing=False, when=when, settings=settings)
            when += timedelta(hours=2)
        if index != plan["stuck"]:
            _graded_submission(trainee, exercise, passing=True, when=when, settings=settings)


def _graded_submission(trainee: User, exercise: Exercise, passing: bool, when: datetime,
                       settings: ServiceSettings) -> Submission:
    """A submission graded as the grader would: the model answers pass, the starter code fails."""
    book = notebooks.of_version(exercise.current_version)
    model_answers = {cell.grade_id: _model_answer(book.source, cell.grade_id) for cell in book.answer_cells}
    answers = model_answers if passing else {cell.grade_id: cell.starter for cell in book.answer_cells}
    submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                            answers=answers, mode=SubmissionMode.SUBMIT, created_at=when, started_at=when)
    db.session.add(submission)
    db.session.flush()
    _store_grade(submission, book, passing, when)
    db.session.commit()
    review_queue.on_submission_graded(submission, settings)
    for signoff in db.session.scalars(select(SignOff).where(SignOff.trainee_id == trainee.id,
                                                            SignOff.status == SignOffStatus.REQUESTED)):
        signoff.requested_at = when
    return submission


def _store_grade(submission: Submission, book, passing: bool, when: datetime) -> None:
    """The test results and trainee feedback the grader stores (services/submissions.py), written directly."""
    tests = []
    for position, test in enumerate(book.tests):
        tests.append({"grade_id": test.grade_id, "status": "passed" if passing else "failed",
                      "points": test.points if passing else 0.0, "max_points": test.points,
                      "message": None if passing else {"code": "test_failed", "params": {}},
                      "title": "", "hint": {}, "title_en": ""})
        db.session.add(TestResult(submission_id=submission.id, position=position, grade_id=test.grade_id,
                                  status=tests[-1]["status"], points=tests[-1]["points"], max_points=test.points,
                                  message=tests[-1]["message"]))
    # The version's total also counts static rules, passed by the model answers and failed by the starter.
    submission.max_score = book.max_score or sum(test.points for test in book.tests)
    submission.auto_score = submission.max_score if passing else 0.0
    submission.feedback = {"mode": SubmissionMode.SUBMIT, "score": submission.auto_score,
                           "max_score": submission.max_score, "tests": tests, "flags": [], "notes": [],
                           "duration_s": 1.4, "cells": [], "error": None}
    submission.status, submission.duration_s = SubmissionStatus.GRADED, 1.4
    submission.graded_at = when + timedelta(seconds=3)


def _model_answer(source_nb, grade_id: str) -> str:
    """The author's solution of one answer cell, without the solution markers."""
    for cell in source_nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                             and "### END SOLUTION" not in line)
    return ""


def _latest(trainee: User, exercise: Exercise) -> Submission | None:
    return db.session.scalar(select(Submission).where(
        Submission.trainee_id == trainee.id, Submission.exercise_id == exercise.id).order_by(Submission.id.desc()))


def _backdate(review, submission: Submission) -> None:
    """A review written the working day after the submission."""
    review.created_at = submission.created_at + timedelta(hours=20)


def _mentor_activity(enrolled: dict[str, Enrollment], exercises: list[Exercise], start: date) -> None:
    """Reviews, a help thread, an open question and the sign-offs the track asks for."""
    ahead, asked_back = enrolled.get("peserta2@tic.test"), enrolled.get("peserta4@tic.test")
    if ahead is not None and ahead.mentor is not None:
        submission = _latest(ahead.trainee, exercises[min(3, len(exercises) - 1)])
        if submission is not None:
            _backdate(reviews.decide(submission, ahead.mentor, Decision.APPROVED, DEMO_REVIEW_APPROVED), submission)
        for signoff in db.session.scalars(select(SignOff).where(SignOff.trainee_id == ahead.trainee_id,
                                                                SignOff.status == SignOffStatus.REQUESTED)):
            reviews.decide_signoff(signoff, ahead.mentor, approve=True, comment="Tahap ini selesai dengan baik.")
    if asked_back is not None and asked_back.mentor is not None:
        submission = _latest(asked_back.trainee, exercises[min(6, len(exercises) - 1)])
        if submission is not None:
            _backdate(reviews.decide(submission, asked_back.mentor, Decision.CHANGES_REQUESTED, DEMO_REVIEW_CHANGES),
                      submission)
    helped, waiting = enrolled.get("peserta5@tic.test"), enrolled.get("peserta6@tic.test")
    if helped is not None:
        item = review_queue.request_help(helped.trainee, exercises[min(3, len(exercises) - 1)], DEMO_QUESTION)
        item.created_at = datetime.combine(start + timedelta(days=18), time(10, 15), tzinfo=WIB)
        if helped.mentor is not None:
            answer = reviews.post_message(helped.mentor, DEMO_ANSWER, help_item=item)
            answer.created_at = item.created_at + timedelta(hours=3)
    if waiting is not None:
        item = review_queue.request_help(waiting.trainee, exercises[min(5, len(exercises) - 1)], DEMO_UNANSWERED)
        item.created_at = datetime.combine(start + timedelta(days=17), time(14, 40), tzinfo=WIB)


@click.command("demo")
@with_appcontext
def demo_command():
    """Create demo OPDs, accounts, a cohort and its first three weeks (safe to run again)."""
    cohort = create_demo_data()
    history = create_demo_history(cohort)
    click.echo(
        f"Demo data ready: {len(TANGSEL_OPDS)} OPDs, {len(DEMO_ACCOUNTS)} accounts "
        f"(password from TIC_DEMO_PASSWORD)."
    )
    if cohort is None:
        click.echo("No demo cohort: run `flask --app wsgi curriculum sync` first, then `flask demo` again.")
    else:
        click.echo(f"Cohort {cohort.name!r}: all demo trainees enrolled.")
        if history:
            click.echo(f"Three weeks of history added: {len(DEMO_PLANS)} trainees' submissions, reviews, help requests.")
