"""Exercise insight on a fixed history: every figure, the CSV files, the pages, who may see them, anonymity."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from tic_academy.extensions import db
from tic_academy.models import Cohort, Draft, Enrollment, HintReveal, Submission, TestResult
from tic_academy.services import insight

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


def at(hours: float) -> datetime:
    """T0 plus some hours."""
    return T0 + timedelta(hours=hours)


def author(text):
    """A test's own assert message."""
    return {"code": "author", "params": {"text": text}}


def name_error(name):
    """A NameError message as grading stores it."""
    return {"code": "exception", "params": {"ename": "NameError", "evalue": f"name '{name}' is not defined"}}


def compare(left):
    """A comparison message with the trainee's value."""
    return {"code": "compare", "params": {"left": str(left), "op": "==", "right": "2"}}


PASS = ("passed", None, None)


@pytest.fixture
def history(app, make_user, make_track, make_opd):
    """Stage 1: latihan 1.1 (three tests) and 1.2; stage 2: latihan 2.1 untouched.

    One running cohort with five trainees (and one who withdrew); one planned cohort with one more.
    """
    track = make_track([{"exercises": [{}, {}]}, {"exercises": [{}]}])
    e1, e2 = track.stages[0].exercises
    e3 = track.stages[1].exercises[0]
    running = Cohort(name="Angkatan Berjalan", track=track, start_date=T0.date(), status="running")
    planned = Cohort(name="Angkatan Rencana", track=track, start_date=T0.date() + timedelta(days=60), status="planned")
    opd = make_opd(name="Dinas Rahasia Kota", short_name="Rahasia", code="DRK")
    names = ["Budi Santoso", "Sari Dewi", "Andi Wijaya", "Rina Putri", "Joko Susilo", "Tono Mundur", "Lina Baru"]
    t = [make_user(role="trainee", full_name=name, email=f"peserta{n}@kota.test", opd=opd) for n, name in enumerate(names)]
    db.session.add_all([running, planned])
    db.session.add_all([Enrollment(cohort=running, trainee=user) for user in t[:5]])
    db.session.add(Enrollment(cohort=running, trainee=t[5], status="withdrawn"))
    db.session.add(Enrollment(cohort=planned, trainee=t[6]))

    def submit(trainee, exercise, hours, score, results=(), mode="submit", **extra):
        submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                                mode=mode, status="graded", auto_score=score, max_score=10.0, created_at=at(hours),
                                answers=extra.pop("answers", {"jawaban-1": f"hasil = {score}"}), **extra)
        for position, (status, message, hint) in enumerate(results):
            submission.test_results.append(TestResult(grade_id=f"tes-{position + 1}", position=position, status=status,
                                                      message=message, hint=hint, title=f"Tugas {position + 1}"))
        db.session.add(submission)
        return submission

    budi, sari, andi, rina, joko, tono, lina = t
    # Latihan 1.1: Budi passes on his second attempt, 3 hours after his draft.
    db.session.add(Draft(trainee=budi, exercise=e1, answers={}, updated_at=at(0)))
    submit(budi, e1, 1, 5, [PASS, ("failed", author("Total salah"), None), ("failed", compare(1), None)],
           answers={"jawaban-1": "# dibuat oleh Budi Santoso, peserta0@kota.test (Dinas Rahasia Kota)\nhasil = 5"})
    submit(budi, e1, 3, 10, [PASS, PASS, PASS])
    # Sari: a check (practice, not an attempt) opens it, then she passes at once.
    submit(sari, e1, 0, 3, [("failed", name_error("q"), None), PASS, PASS], mode="check")
    submit(sari, e1, 2, 10, [PASS, PASS, PASS])
    # Andi: three attempts; the third passes (7 of 10) with tes-3 still failing.
    submit(andi, e1, 1, 3, [("failed", name_error("x"), None), ("failed", author("Total salah"), None),
                            ("not_run", {"code": "test_not_run", "params": {}}, None)])
    submit(andi, e1, 2, 4, [PASS, ("failed", author("Total salah"), None), ("failed", compare(5), None)],
           answers={"jawaban-1": "<script>alert('x')</script>"})
    submit(andi, e1, 5, 7, [PASS, PASS, ("failed", compare(7), None)])
    # Rina opens it (a draft) and never submits; Joko fails, and a full score held for a mentor does not count.
    db.session.add(Draft(trainee=rina, exercise=e1, answers={}, updated_at=at(4)))
    submit(joko, e1, 1, 6, [PASS, ("failed", name_error("y"), None),
                            ("error", name_error("y"), {"code": "earlier_failure", "cell": "jawaban-1", "error": "NameError"})])
    submit(joko, e1, 6, 10, [PASS, PASS, PASS], integrity_status="held")
    # Tono withdrew and Lina is in the planned cohort: not counted by default.
    submit(tono, e1, 1, 1, [("failed", author("Lain"), None), PASS, PASS])
    submit(lina, e1, 1, 10, [PASS, PASS, PASS])
    # Latihan 1.2: Budi passes at once, 2 hours after his draft; Sari only saves a draft.
    db.session.add(Draft(trainee=budi, exercise=e2, answers={}, updated_at=at(8)))
    submit(budi, e2, 10, 9, [PASS])
    db.session.add(Draft(trainee=sari, exercise=e2, answers={}, updated_at=at(9)))
    db.session.commit()
    return {"track": track, "e1": e1, "e2": e2, "e3": e3, "running": running, "planned": planned, "trainees": t}


def overview(cohort_id=None):
    """The track's insight for the default cohorts (or one)."""
    [result] = insight.track_insight(insight.chosen_cohorts(cohort_id))
    return result


def test_median_and_p90():
    """Median of the middle values; p90 is a value that occurred (nearest rank)."""
    assert insight.median([1, 0, 2]) == 1
    assert insight.median([0, 0, 1, 2]) == 0.5
    assert insight.p90([0, 1, 2]) == 2
    assert insight.p90(list(range(1, 11))) == 9
    assert insight.median([]) is None and insight.p90([]) is None


def test_exercise_figures(history):
    """Passes, attempts, hours and drop-off of each exercise follow the fixed history exactly."""
    rows = {row.exercise.id: row for row in overview().exercises}
    e1 = rows[history["e1"].id]
    assert (e1.enrolled, e1.opened, e1.passed, e1.dropped) == (5, 5, 3, 2)
    assert e1.pass_share == pytest.approx(0.6) and e1.drop_share == pytest.approx(0.4)
    assert sorted(e1.attempts) == [0, 1, 2]
    assert (e1.attempts_median, e1.attempts_p90) == (1, 2)
    assert sorted(e1.hours) == [2, 3, 4] and e1.hours_median == 3
    e2 = rows[history["e2"].id]
    assert (e2.enrolled, e2.opened, e2.passed, e2.dropped, e2.attempts, e2.hours_median) == (5, 2, 1, 1, [0], 2)
    e3 = rows[history["e3"].id]
    assert (e3.opened, e3.passed, e3.attempts_median, e3.hours_median, e3.drop_share) == (
        0, 0, None, None, None)


def test_stage_roll_up(history):
    """A stage pools its exercises' attempts and hours; passed = its threshold met (only Budi)."""
    first, second = overview().stages
    assert (first.enrolled, first.opened, first.passed, first.dropped) == (5, 5, 1, 4)
    assert (first.attempts_median, first.attempts_p90, first.hours_median) == (0.5, 2, 2.5)
    assert (second.opened, second.passed, second.pass_share, second.drop_share) == (0, 0, 0, None)


def test_cohort_filter(history):
    """One cohort asked for: only its trainees (Lina in the planned cohort passed at once)."""
    e1 = next(r for r in overview(history["planned"].id).exercises if r.exercise.id == history["e1"].id)
    assert (e1.enrolled, e1.opened, e1.passed, e1.attempts) == (1, 1, 1, [0])


def test_tests_and_messages(history, app):
    """Per test: failed first, ever failed, failing results; messages grouped by what the trainee saw."""
    with app.test_request_context():
        detail = insight.exercise_detail(history["e1"], insight.chosen_cohorts(None))
        tests = {t.grade_id: t for t in detail.tests}
        assert detail.stumbled == 3
        assert dict(detail.row.first_failed) == {"tes-2": 2, "tes-1": 1}
        assert detail.row.top_first_failed == "tes-2"
        assert (detail.row.passed, detail.row.attempts_median, detail.row.attempts_p90, detail.row.hours_median) == (3, 1, 2, 3)
        assert [(t.grade_id, t.failed_first, t.ever_failed, t.failures) for t in detail.tests] == [
            ("tes-1", 1, 1, 1), ("tes-2", 2, 3, 4), ("tes-3", 0, 3, 5)]
        assert tests["tes-2"].failed_first_share == pytest.approx(2 / 3)
        assert tests["tes-2"].title == "Tugas 2"
        assert detail.clearer_instruction.grade_id == "tes-2"
        messages = {m.key: (m.trainees, m.failures, m.tests) for m in detail.messages}
        assert messages == {
            ("author", "Total salah"): (2, 3, ["tes-2"]),
            ("compare", ""): (2, 3, ["tes-3"]),
            ("exception", "NameError"): (2, 2, ["tes-1", "tes-2"]),
            ("test_not_run", ""): (1, 1, ["tes-3"]),
            ("hint:earlier_failure", ""): (1, 1, ["tes-3"]),
        }
        texts = {m.key: m.text for m in detail.messages}
        assert texts[("exception", "NameError")] == "NameError"  # not one trainee's variable name
        assert texts[("compare", "")] == "Hasil kode Anda: … · diharapkan (…): …"  # not the trainees' values
        assert insight.message_key("failed", None, None) == ("status:failed", "")
        assert "Total salah" == texts[("author", "Total salah")]
        assert tests["tes-2"].top_message == "Total salah"


def test_exercise_csv(history, app):
    """The per-exercise CSV: BOM, Indonesian headers, percentages, formula-leading titles guarded."""
    history["e2"].title_id = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    data = insight.exercise_csv(insight.track_insight(insight.chosen_cohorts(None)))
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Jalur", "Tahap", "Latihan", "Peserta terdaftar", "Membuka", "Tuntas (%)"]
    assert rows[1] == ["Jalur 1", "Tahap 1", "Latihan 1.1", "5", "5", "60.0", "1", "2", "3.0", "40.0", "0", "0"]
    assert rows[2][2].startswith("'=")
    assert rows[3][2:] == ["Latihan 2.1", "5", "0", "0.0", "", "", "", "", "0", "0"]


def test_tests_csv(history, app):
    """The per-test CSV of one exercise."""
    with app.test_request_context():
        data = insight.test_csv(insight.exercise_detail(history["e1"], insight.chosen_cohorts(None)))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == insight.TEST_CSV_HEADERS
    assert rows[2] == ["tes-2", "Tugas 2", "2", "66.7", "3", "4", "Total salah"]


def test_samples_are_anonymous(history, app):
    """Three answers that failed tes-2, labelled A/B/C, with the writer's name, email and OPD hidden."""
    samples = insight.sample_answers(history["e1"], "tes-2", insight.chosen_cohorts(None))
    assert [s.label for s in samples] == ["A", "B", "C"]
    code = "\n".join(code for s in samples for _cell, code in s.cells)
    assert "hasil = 5" in code and "hasil = 6" in code
    for secret in ("Budi", "Santoso", "peserta0@kota.test", "Dinas Rahasia Kota"):
        assert secret not in code
    assert "[disembunyikan]" in code


@pytest.fixture
def logged_in(client, auth, make_user):
    """Log a new user of a role in."""
    def login(role):
        user = make_user(role=role)
        auth.login(user)
        return user
    return login


def test_pages_for_admin(history, client, logged_in):
    """The overview, the exercise page, its CSV and the samples page show the figures, with no name."""
    logged_in("admin")
    page = client.get("/admin/wawasan").get_data(as_text=True)
    assert "Latihan 1.1" in page and "60%" in page and 'aria-sort="ascending"' in page
    e1 = history["e1"].id
    detail = client.get(f"/admin/wawasan/latihan/{e1}").get_data(as_text=True)
    assert "tes-2" in detail and "67%" in detail and "instruksinya mungkin perlu diperjelas" in detail
    samples = client.get(f"/admin/wawasan/latihan/{e1}/contoh?uji=tes-2").get_data(as_text=True)
    assert "Jawaban A" in samples and "Jawaban C" in samples
    assert "&lt;script&gt;alert" in samples and "<script>alert" not in samples
    for page_text in (page, detail, samples):
        for user in history["trainees"]:
            assert user.full_name not in page_text and user.email not in page_text
        assert "Dinas Rahasia Kota" not in page_text
    response = client.get(f"/admin/wawasan/latihan/{e1}/uji.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert client.get("/admin/wawasan/latihan.csv").get_data().startswith("\ufeff".encode("utf-8"))


def test_sort_by_query_string(history, client, logged_in):
    """?urut=tuntas&arah=turun puts the exercise with the most passes first and marks the header."""
    logged_in("mentor")
    page = client.get("/admin/wawasan?urut=tuntas&arah=turun").get_data(as_text=True)
    assert page.index("Latihan 1.1") < page.index("Latihan 1.2") < page.index("Latihan 2.1")
    assert 'aria-sort="descending"' in page
    page = client.get("/admin/wawasan?urut=tuntas&arah=naik").get_data(as_text=True)
    assert page.index("Latihan 2.1") < page.index("Latihan 1.2") < page.index("Latihan 1.1")


@pytest.mark.parametrize("role", ["trainee", "opd_head"])
def test_forbidden_roles(history, client, logged_in, role):
    """Trainees and OPD heads get 403 on every insight page."""
    logged_in(role)
    e1 = history["e1"].id
    for url in ("/admin/wawasan", "/admin/wawasan/latihan.csv", f"/admin/wawasan/latihan/{e1}",
                f"/admin/wawasan/latihan/{e1}/uji.csv", f"/admin/wawasan/latihan/{e1}/contoh?uji=tes-2"):
        assert client.get(url).status_code == 403, url


def test_figures_follow_new_work(history, make_submission):
    """The cached figures are recomputed when a submission lands or a draft is saved."""
    e1, e3 = history["e1"], history["e3"]
    first = next(r for r in overview().exercises if r.exercise.id == e1.id)
    assert first.passed == 3
    rina = history["trainees"][3]
    make_submission(rina, e1, score=10, created_at=at(7))
    again = next(r for r in overview().exercises if r.exercise.id == e1.id)
    assert (again.passed, sorted(again.attempts), sorted(again.hours)) == (4, [0, 0, 1, 2], [2, 3, 3, 4])
    db.session.add(Draft(trainee=rina, exercise=e3, answers={}, updated_at=at(20)))
    db.session.commit()
    assert next(r for r in overview().exercises if r.exercise.id == e3.id).opened == 1


def test_hints_used(history, client, logged_in):
    """Hints revealed count per exercise and stage (trainees and hints), only for the chosen trainees, and refresh the cache."""
    e1, e2 = history["e1"], history["e2"]
    budi, sari, andi, _rina, _joko, tono, _lina = history["trainees"]

    def reveal(trainee, exercise, task, index):
        db.session.add(HintReveal(trainee_id=trainee.id, exercise_id=exercise.id, exercise_version_id=exercise.current_version.id,
                                  task_key=task, hint_index=index, revealed_at=at(1)))

    reveal(budi, e1, "tes-2", 0)
    reveal(budi, e1, "tes-2", 1)
    reveal(tono, e1, "tes-2", 0)  # withdrew: not counted
    db.session.commit()
    rows = {row.exercise.id: row for row in overview().exercises}
    assert (rows[e1.id].hint_users, rows[e1.id].hints_revealed) == (1, 2)
    reveal(andi, e1, "tes-3", 0)
    reveal(budi, e2, "tes-1", 0)
    db.session.commit()
    rows = {row.exercise.id: row for row in overview().exercises}
    assert (rows[e1.id].hint_users, rows[e1.id].hints_revealed) == (2, 3)
    assert (rows[e2.id].hint_users, rows[e2.id].hints_revealed) == (1, 1)
    first, second = overview().stages
    assert (first.hint_users, first.hints_revealed) == (2, 4)
    assert (second.hint_users, second.hints_revealed) == (0, 0)
    data = insight.exercise_csv(insight.track_insight(insight.chosen_cohorts(None)))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Memakai petunjuk (peserta)", "Petunjuk dibuka"]
    assert rows[1][-2:] == ["2", "3"]
    logged_in("admin")
    page = client.get("/admin/wawasan?urut=petunjuk&arah=turun").get_data(as_text=True)
    assert "Memakai petunjuk" in page
