"""Trainee pages: home, curriculum, the workspace, downloads and submission pages."""
import json

import nbformat

from tests.notebook_factory import nbgrader
from tic_academy.extensions import db
from tic_academy.models import Exercise, Submission
from tic_academy.models.work import Draft

from .conftest import SECRET, SOLUTION, add_exercise, workspace_notebook


def test_home_without_enrollment_says_so(client, auth, make_user):
    """Does a trainee who is not enrolled see an explanation instead of a curriculum?"""
    auth.login(make_user(role="trainee"))
    page = client.get("/peserta/").get_data(as_text=True)
    assert "belum terdaftar" in page


def test_home_shows_next_exercise_stages_and_week_plan(client, trainee):
    """Does the home page offer the next exercise in one click, the stages and this week's plan?"""
    response = client.get("/peserta/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/peserta/latihan/tambah"' in page
    assert "Tahap Satu" in page and "Tahap Dua" in page
    assert page.count('role="progressbar"') == 2
    assert "Belum ada umpan balik" in page  # the feedback card rendered its empty state, not an error


def test_curriculum_marks_locked_stage_and_links_only_open_exercises(client, trainee):
    """Does the curriculum page show stage states and link only exercises of open stages?"""
    page = client.get("/peserta/kurikulum").get_data(as_text=True)
    assert 'href="/peserta/latihan/tambah"' in page
    assert 'href="/peserta/latihan/kurang"' not in page
    assert "stage-locked" in page and "stage-open" in page
    assert "Kurang" in page


def test_curriculum_shows_needs_revision_and_best_score(client, trainee, track):
    """After a graded submission below the bar, is the exercise "needs revision" with its best score?"""
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    db.session.add(Submission(trainee_id=trainee.id, exercise=exercise, exercise_version=exercise.current_version,
                              answers={}, status="graded", auto_score=1.0, max_score=2.0))
    db.session.commit()
    page = client.get("/peserta/kurikulum").get_data(as_text=True)
    assert "1 / 2" in page
    assert "Perlu perbaikan" in page


def test_locked_stage_exercise_is_refused_with_explanation(client, trainee):
    """Is an exercise of a locked stage refused with 403 and a reason naming the stages?"""
    response = client.get("/peserta/latihan/kurang")
    assert response.status_code == 403
    assert "Tahap Satu" in response.get_data(as_text=True)


def test_unknown_exercise_is_404(client, trainee):
    """Is an exercise that is not in the trainee's track a 404?"""
    assert client.get("/peserta/latihan/tidak-ada").status_code == 404


def test_workspace_shows_trainee_version_only(client, trainee):
    """Does the workspace show the stub, the public test and the example, never the solution or hidden tests?"""
    response = client.get("/peserta/latihan/tambah")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "raise NotImplementedError()" in page
    assert "tambah(1, 2) == 3" in page
    assert "print(&#39;contoh&#39;)" in page or "print('contoh')" in page
    assert SECRET not in page and "return a + b" not in page and "6 * 7" not in page
    assert 'data-grade-id="jawaban"' in page and 'data-kind="answer"' in page


def test_workspace_allows_only_nonced_styles(client, trainee):
    """Does the workspace's CSP allow CodeMirror's style element by nonce, and still no inline scripts?"""
    response = client.get("/peserta/latihan/tambah")
    csp = response.headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'content="{nonce}"' in response.get_data(as_text=True)
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_workspace_shows_the_saved_draft(client, trainee):
    """Does the page fill answer cells from the trainee's draft?"""
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    db.session.add(Draft(trainee_id=trainee.id, exercise_id=exercise.id, answers={"jawaban": "def tambah(a, b):\n    return 99"}, revision=3))
    db.session.commit()
    page = client.get("/peserta/latihan/tambah").get_data(as_text=True)
    data = json.loads(page.split('id="workspace-data">')[1].split("</script>")[0])
    assert data["answers"]["jawaban"].endswith("return 99")
    assert data["revision"] == 3
    assert "return 99" in page


def test_markdown_with_script_is_sanitised_on_the_page(client, trainee, track):
    """Is a script or an event handler in a markdown cell dropped from the workspace page?"""
    nb = workspace_notebook()
    nb.cells[0].source = '# Judul\n<script>alert("x")</script><img src=x onerror="alert(1)"> <a href="javascript:alert(1)">tautan</a>'
    add_exercise(track.stages[0], "berbahaya", 2, nb)
    db.session.commit()
    page = client.get("/peserta/latihan/berbahaya").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "onerror" not in page and "javascript:alert" not in page
    assert "<h2>Judul</h2>" in page


def test_download_has_answers_but_no_solutions_or_hidden_tests(client, trainee):
    """Does Download give the trainee version with their answers, and nothing hidden?"""
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    db.session.add(Draft(trainee_id=trainee.id, exercise_id=exercise.id, answers={"jawaban": "def tambah(a, b):\n    return b + a"}, revision=1))
    db.session.commit()
    response = client.get("/peserta/latihan/tambah/unduh")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    nb = nbformat.reads(text, as_version=4)
    sources = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in nb.cells}
    assert sources["jawaban"].endswith("return b + a")
    assert SECRET not in text and SOLUTION not in text and "BEGIN HIDDEN" not in text
    assert "6 * 7" not in text


def test_submission_page_of_another_trainee_is_forbidden(client, trainee, make_trainee):
    """Can a trainee open another trainee's submission page? (No: 403.)"""
    other = make_trainee()
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    theirs = Submission(trainee_id=other.id, exercise=exercise, exercise_version=exercise.current_version, answers={})
    mine = Submission(trainee_id=trainee.id, exercise=exercise, exercise_version=exercise.current_version,
                      answers={"jawaban": "def tambah(a, b):\n    return 0"}, status="graded", auto_score=0.0, max_score=2.0)
    db.session.add_all([theirs, mine])
    db.session.commit()
    assert client.get(f"/peserta/pengumpulan/{theirs.id}").status_code == 403
    page = client.get(f"/peserta/pengumpulan/{mine.id}").get_data(as_text=True)
    assert "return 0" in page and 'id="jawaban-L2"' in page
    assert SECRET not in page
    assert client.get("/peserta/pengumpulan/99999").status_code == 404


def test_history_lists_own_submissions_only(client, trainee, make_trainee):
    """Does the history list the trainee's own submissions with per-test results, and nobody else's?"""
    from tic_academy.models import TestResult

    other = make_trainee()
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    mine = Submission(trainee_id=trainee.id, exercise=exercise, exercise_version=exercise.current_version,
                      answers={}, status="graded", auto_score=0.0, max_score=2.0)
    mine.test_results.append(TestResult(grade_id="tes-tambah", status="failed", points=0, max_points=2, message="pesan-saya"))
    theirs = Submission(trainee_id=other.id, exercise=exercise, exercise_version=exercise.current_version,
                        answers={}, status="graded", auto_score=2.0, max_score=2.0)
    theirs.test_results.append(TestResult(grade_id="tes-tambah", status="passed", points=2, max_points=2, message="pesan-orang-lain"))
    db.session.add_all([mine, theirs])
    db.session.commit()
    page = client.get("/peserta/latihan/tambah/riwayat").get_data(as_text=True)
    assert "pesan-saya" in page and "pesan-orang-lain" not in page
    assert f"/peserta/pengumpulan/{mine.id}" in page and f"/peserta/pengumpulan/{theirs.id}" not in page


def test_markdown_answer_cell_is_editable_not_rendered(client, trainee, track):
    """Is a markdown answer cell offered as an editable answer rather than rendered text?"""
    nb = workspace_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nJawaban esai\n### END SOLUTION",
                                                  metadata=nbgrader("esai", solution=True, grade=True, points=1)))
    add_exercise(track.stages[0], "esai", 3, nb)
    db.session.commit()
    page = client.get("/peserta/latihan/esai").get_data(as_text=True)
    assert 'data-grade-id="esai"' in page and "Jawaban esai" not in page


def test_practice_cell_is_editable_and_marked_not_graded(client, trainee, track):
    """Is a practice cell offered with its starter code as an editable cell, labelled as not graded?"""
    nb = workspace_notebook()
    practice = nbformat.v4.new_code_cell("latihan_coba = [1, 2, 3]\nprint(sum(latihan_coba))",
                                         metadata=nbgrader("latihan-bebas-1", solution=True))
    practice.metadata["tic"] = {"practice": True}
    nb.cells.append(practice)
    add_exercise(track.stages[0], "berlatih", 4, nb)
    db.session.commit()
    page = client.get("/peserta/latihan/berlatih").get_data(as_text=True)
    section = page.split('data-grade-id="latihan-bebas-1"')[1].split("</section>")[0]
    assert "nb-badge-practice" in section and "nb-badge-answer" not in section
    assert "print(sum(latihan_coba))" in section
    assert 'data-kind="answer"' in page.split('data-grade-id="latihan-bebas-1"')[0].rsplit("<section", 1)[1]
