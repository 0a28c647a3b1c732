"""Grading messages reach trainees and mentors in their language; old stored texts are migrated to codes."""
import json

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import Exercise, Submission, TestResult
from tic_academy.services.test_display import message_text, shown_test

from .conftest import build_curriculum

BASE = "/peserta/api/latihan/tambah"
TIMEOUT = {"code": "timeout_cell", "params": {"seconds": 10}}
UNKNOWN = {"code": "unknown_cell", "params": {"cell": "palsu"}}
REFUSED = {"code": "import_not_allowed", "params": {"cell": "jawaban", "line": 1, "name": "socket", "allowed": "math"}}
#: The revision before grading messages became codes.
BEFORE = "5a1c2e7d9b40"


def exercise(slug="tambah") -> Exercise:
    return db.session.scalar(select(Exercise).where(Exercise.slug == slug))


def test_check_answers_in_the_trainees_language(client, trainee, fake_runner):
    """Do Periksa's test message, notes and error come back in English for an English reader, else Indonesian?"""
    fake_runner.result = {**fake_runner.result, "notes": [UNKNOWN], "error": REFUSED, "tests": [
        {"grade_id": "tes-tambah", "status": "timeout", "points": 0.0, "max_points": 2.0, "message": TIMEOUT, "hint": {}}]}
    data = client.post(f"{BASE}/periksa", json={"answers": {}}).json
    assert data["tests"][0]["message"] == "Batas waktu per sel (10 detik) terlampaui; kernel dihentikan."
    assert data["notes"] == ["Jawaban untuk sel 'palsu' yang tidak dikenal diabaikan."]
    assert data["error"].startswith("Sel 'jawaban' baris 1: impor 'socket' tidak diizinkan")
    client.post("/bahasa", data={"locale": "en"})
    data = client.post(f"{BASE}/periksa", json={"answers": {}}).json
    assert data["tests"][0]["message"] == "Time limit per cell (10 seconds) exceeded; the kernel was stopped."
    assert data["notes"] == ["The answer for the unknown cell 'palsu' was ignored."]
    assert data["error"].startswith("Cell 'jawaban' line 1: importing 'socket' is not allowed")


def test_a_stored_submission_reads_in_the_trainees_language(client, trainee):
    """Does a stored result (test rows, notes, the failure) read in the language of whoever opens it?"""
    item = Submission(trainee_id=trainee.id, exercise=exercise(), exercise_version=exercise().current_version,
                      answers={}, status="graded", auto_score=0.0, max_score=2.0,
                      feedback={"error": None, "notes": [UNKNOWN], "cells": []})
    item.test_results.append(TestResult(grade_id="tes-tambah", status="timeout", points=0, max_points=2, message=TIMEOUT))
    db.session.add(item)
    db.session.commit()
    client.post("/bahasa", data={"locale": "en"})
    data = client.get(f"/peserta/api/pengumpulan/{item.id}").json
    assert data["tests"][0]["message"] == "Time limit per cell (10 seconds) exceeded; the kernel was stopped."
    assert data["notes"] == ["The answer for the unknown cell 'palsu' was ignored."]
    page = client.get(f"/peserta/pengumpulan/{item.id}").get_data(as_text=True)
    assert "The answer for the unknown cell" in page and "Time limit per cell (10 seconds)" in page


# --- the migration ---------------------------------------------------------------

#: (grade_id, status, the old stored text, the message it becomes).
OLD_TESTS = [
    ("t-timeout", "timeout", "Batas waktu per sel terlampaui; kernel dihentikan.", {"code": "timeout_cell", "params": {}}),
    ("t-misuse", "error",
     "HandleMisuse: uji tidak dapat membandingkan (==) objek Apa buatan kode peserta; "
     "kembalikan data biasa (angka, teks, list, dict, ...)",
     {"code": "handle_misuse", "params": {"action": "eq", "type": "Apa"}}),
    ("t-compare", "failed", "harus 3\nHasil kode Anda: 2 · diharapkan (==): 3",
     {"code": "compare", "params": {"note": "harus 3", "left": "2", "op": "==", "right": "3"}}),
    ("t-assert", "failed", "bilangan negatif", {"code": "author", "params": {"text": "bilangan negatif"}}),
    ("t-error", "error", "ZeroDivisionError: division by zero",
     {"code": "exception", "params": {"ename": "ZeroDivisionError", "evalue": "division by zero"}}),
    ("t-unknown", "not_run", "Sesuatu yang dulu ditulis lain.",
     {"code": "legacy", "params": {"text": "Sesuatu yang dulu ditulis lain."}}),
    ("t-passed", "passed", "", None),
]
OLD_NOTES = ["Jawaban untuk sel 'palsu' yang tidak dikenal diabaikan.", "Catatan dari versi lama."]
OLD_FLAGS = [{"code": "ctypes", "grade_id": "jawaban", "line": 2, "message": "impor ctypes: mengakses memori proses secara langsung"},
             {"code": "gc", "grade_id": "jawaban", "line": 5, "message": "di dalam %time: impor gc: menjelajah objek milik penilai"},
             {"code": "frame_inspection", "grade_id": "jawaban", "line": 7, "message": "memeriksa frame pemanggil"}]
OLD_ERROR = "Sel 'jawaban' baris 2: impor 'os' tidak diizinkan untuk latihan ini. Modul yang diizinkan: (tidak ada)."


def _tables():
    """The two tables as stored before the migration (messages as text)."""
    test_result = sa.table("test_result", sa.column("id"), sa.column("submission_id"), sa.column("grade_id"),
                           sa.column("message", sa.Text))
    submission = sa.table("submission", sa.column("id"), sa.column("notes", sa.JSON), sa.column("feedback", sa.JSON),
                          sa.column("flags", sa.JSON), sa.column("error", sa.Text))
    return test_result, submission


def test_migration_turns_old_texts_into_codes_and_back(app, make_user):
    """Does the upgrade match old Indonesian texts to codes (others kept as legacy text), and downgrade restore them?"""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    build_curriculum()
    item = Submission(trainee_id=make_user(role="trainee").id, exercise=exercise(),
                      exercise_version=exercise().current_version, answers={}, status="graded")
    for position, (grade_id, status, _old, _new) in enumerate(OLD_TESTS):
        item.test_results.append(TestResult(grade_id=grade_id, status=status, position=position, points=0, max_points=1))
    db.session.add(item)
    db.session.commit()
    submission_id = item.id
    db.session.remove()

    downgrade(revision=BEFORE)
    test_result, submission = _tables()
    old_feedback = {"tests": [{"grade_id": "t-timeout", "status": "timeout", "message": OLD_TESTS[0][2]}],
                    "notes": OLD_NOTES, "error": OLD_ERROR, "cells": []}
    with db.engine.begin() as conn:
        for grade_id, _status, old, _new in OLD_TESTS:
            conn.execute(test_result.update().where(test_result.c.grade_id == grade_id).values(message=old))
        conn.execute(submission.update().where(submission.c.id == submission_id).values(
            notes=OLD_NOTES, feedback=old_feedback, flags=OLD_FLAGS, error=OLD_ERROR))

    upgrade()
    item = db.session.get(Submission, submission_id)
    assert {row.grade_id: row.message for row in item.test_results} == {g: new for g, _s, _o, new in OLD_TESTS}
    assert item.notes == [{"code": "unknown_cell", "params": {"cell": "palsu"}},
                          {"code": "legacy", "params": {"text": "Catatan dari versi lama."}}]
    refused = {"code": "import_not_allowed", "params": {"cell": "jawaban", "line": 2, "name": "os", "allowed": ""}}
    assert item.error == refused
    assert item.feedback["tests"][0]["message"] == {"code": "timeout_cell", "params": {}}
    assert [flag["message"] for flag in item.flags] == [
        {"code": "flag_import", "params": {"name": "ctypes"}},
        {"code": "flag_import", "params": {"name": "gc", "inside": "%time"}},
        {"code": "legacy", "params": {"text": "memeriksa frame pemanggil"}}]
    assert (item.feedback["notes"], item.feedback["error"]) == (item.notes, refused)
    with app.test_request_context():
        shown = {row.grade_id: shown_test(row)["message"] for row in item.test_results}
        assert shown["t-timeout"] == "Batas waktu per sel terlampaui; kernel dihentikan."
        assert shown["t-unknown"] == "Sesuatu yang dulu ditulis lain."
        assert message_text(item.error).startswith("Sel 'jawaban' baris 2: impor 'os' tidak diizinkan")
        assert message_text(item.flags[1]["message"]) == "mengimpor gc (di dalam %time)"
    db.session.remove()

    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        rows = dict(conn.execute(sa.select(test_result.c.grade_id, test_result.c.message)).all())
        stored = conn.execute(sa.select(submission.c.notes, submission.c.feedback, submission.c.flags,
                                        submission.c.error)).one()
    assert rows == {grade_id: old for grade_id, _status, old, _new in OLD_TESTS}
    assert (stored.notes, stored.error) == (OLD_NOTES, OLD_ERROR)
    assert stored.feedback == old_feedback
    # A flag's detail comes back as what was found (the old sentence also said what such a module does).
    assert [flag["message"] for flag in stored.flags] == ["impor ctypes", "di dalam %time: impor gc",
                                                          "memeriksa frame pemanggil"]
    upgrade()
    assert json.dumps(db.session.get(Submission, submission_id).notes)  # back at head, readable again
