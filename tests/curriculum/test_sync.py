"""`flask curriculum sync`: idempotent loading, versions, retiring."""
import nbformat
from sqlalchemy import func, select

from tests.notebook_factory import exercise_entry, exercise_notebook, track_data, valid_tree, write_tree
from tic_academy.curriculum.sync import sync_curricula
from tic_academy.extensions import db
from tic_academy.models import CurriculumSync, Exercise, ExerciseVersion, Stage, Submission, Track


def snapshot():
    """Every curriculum row as plain tuples."""
    return (
        db.session.execute(select(Track.slug, Track.title_id, Track.weeks)).all(),
        db.session.execute(select(Stage.slug, Stage.position, Stage.pass_threshold, Stage.retired)).all(),
        db.session.execute(select(Exercise.slug, Exercise.position, Exercise.week, Exercise.retired, Exercise.current_version_id)).all(),
        db.session.execute(select(ExerciseVersion.id, ExerciseVersion.checksum)).all(),
    )


def test_sync_twice_leaves_the_same_database(app, tmp_path):
    """Does a second sync change nothing?"""
    valid_tree(tmp_path)
    first = sync_curricula(tmp_path)
    assert first.ok, first.report
    before = snapshot()
    second = sync_curricula(tmp_path)
    assert second.ok and second.report == "no changes"
    assert snapshot() == before
    assert before[3] and len(before[3]) == 1


def test_changed_notebook_gets_new_version_and_keeps_old_submissions(app, tmp_path, make_user):
    """Does a changed notebook create a new version while old submissions keep theirs?"""
    valid_tree(tmp_path)
    sync_curricula(tmp_path)
    exercise = db.session.scalar(select(Exercise))
    old_version = exercise.current_version
    submission = Submission(trainee=make_user(), exercise=exercise, exercise_version=old_version, answers={}, status="graded")
    db.session.add(submission)
    db.session.commit()
    (tmp_path / "notebooks/uji/tambah.ipynb").write_text(nbformat.writes(exercise_notebook(points=5)))
    run = sync_curricula(tmp_path)
    assert "exercise tambah: new version" in run.report
    db.session.refresh(exercise)
    assert exercise.current_version_id != old_version.id
    assert exercise.current_version.max_score == 5
    db.session.refresh(submission)
    assert submission.exercise_version_id == old_version.id
    assert db.session.scalar(select(func.count()).select_from(ExerciseVersion)) == 2


def test_removed_exercise_with_submissions_is_retired(app, tmp_path, make_user):
    """Is an exercise removed from the track retired (not deleted) when it has submissions?"""
    entries = [exercise_entry("tambah", "uji/tambah.ipynb"), exercise_entry("kurang", "uji/kurang.ipynb")]
    notebooks = {"uji/tambah.ipynb": exercise_notebook(), "uji/kurang.ipynb": exercise_notebook()}
    write_tree(tmp_path, track_data(entries), notebooks)
    sync_curricula(tmp_path)
    kurang = db.session.scalar(select(Exercise).where(Exercise.slug == "kurang"))
    db.session.add(Submission(trainee=make_user(), exercise=kurang, exercise_version=kurang.current_version, answers={}))
    db.session.commit()
    (tmp_path / "notebooks/uji/kurang.ipynb").unlink()
    write_tree(tmp_path, track_data(entries[:1]), {})
    run = sync_curricula(tmp_path)
    assert run.ok, run.report
    assert "exercise kurang: retired (it has submissions)" in run.report
    db.session.refresh(kurang)
    assert kurang.retired


def test_removed_exercise_without_history_is_deleted(app, tmp_path):
    """Is an unused exercise removed from the track deleted?"""
    entries = [exercise_entry("tambah", "uji/tambah.ipynb"), exercise_entry("kurang", "uji/kurang.ipynb")]
    write_tree(tmp_path, track_data(entries), {"uji/tambah.ipynb": exercise_notebook(), "uji/kurang.ipynb": exercise_notebook()})
    sync_curricula(tmp_path)
    (tmp_path / "notebooks/uji/kurang.ipynb").unlink()
    write_tree(tmp_path, track_data(entries[:1]), {})
    run = sync_curricula(tmp_path)
    assert "exercise kurang: removed" in run.report
    assert db.session.scalars(select(Exercise.slug)).all() == ["tambah"]


def test_invalid_tree_is_not_synced(app, tmp_path):
    """Is a tree with problems refused, with the problems in the run's report?"""
    write_tree(tmp_path, track_data([exercise_entry("hilang", "uji/hilang.ipynb")]), {})
    run = sync_curricula(tmp_path)
    assert not run.ok
    assert "notebook not found" in run.report
    assert db.session.scalar(select(func.count()).select_from(Track)) == 0
    assert db.session.scalar(select(func.count()).select_from(CurriculumSync)) == 1


def test_sync_cli(runner, tmp_path):
    """Does `flask curriculum sync PATH` load the tree and exit 0?"""
    valid_tree(tmp_path)
    result = runner.invoke(args=["curriculum", "sync", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "exercise tambah: created" in result.output


def test_validate_cli_reports_problems_and_fails(runner, tmp_path):
    """Does `flask curriculum validate` print one line per problem, a summary, and exit non-zero?"""
    write_tree(tmp_path, track_data([exercise_entry("hilang", "uji/hilang.ipynb")], threshold=2), {})
    result = runner.invoke(args=["curriculum", "validate", "--no-execute", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "1 track(s), 0 exercise(s) checked: 2 problem(s)"
    assert any("threshold 2 is not within 0..1" in line for line in lines)


def test_admin_curriculum_page_and_resync(app, client, auth, make_user, tmp_path, monkeypatch):
    """Can an admin see the tracks and re-sync, with the report shown?"""
    import tic_academy.admin.curriculum as page

    valid_tree(tmp_path)
    monkeypatch.setattr(page, "BASE_DIR", tmp_path)
    auth.login(make_user(role="admin"))
    response = client.post("/admin/kurikulum/sinkron", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Kurikulum disinkronkan." in html
    assert "Tambah" in html and "exercise tambah: created" in html


def test_rules_and_must_pass_are_stored_and_rules_count_in_max_score(app, tmp_path):
    """Are an exercise's rules and must_pass flag stored, with rule points in the version's maximum?"""
    rule = {"id": "tanpa-abs", "check": "forbid_call", "names": ["abs"], "points": 1.5,
            "message": {"id": "Jangan memakai abs.", "en": "Do not use abs."}}
    entry = {**exercise_entry("tambah", "uji/tambah.ipynb"), "must_pass": True, "rules": [rule]}
    write_tree(tmp_path, track_data([entry]), {"uji/tambah.ipynb": exercise_notebook(points=2)})
    run = sync_curricula(tmp_path)
    assert run.ok, run.report
    exercise = db.session.scalar(select(Exercise))
    assert exercise.must_pass and exercise.rules == [rule]
    assert exercise.current_version.max_score == 3.5
    changed = {**entry, "rules": [{**rule, "points": 2}]}
    write_tree(tmp_path, track_data([changed]), {"uji/tambah.ipynb": exercise_notebook(points=2)})
    run = sync_curricula(tmp_path)
    assert "exercise tambah: new version" in run.report
    db.session.refresh(exercise)
    assert exercise.current_version.max_score == 4
