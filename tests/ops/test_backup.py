"""`flask backup` and `flask restore`: real data goes out and comes back the same (SQLite; PostgreSQL with
TIC_TEST_DATABASE_URL)."""
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import column, inspect, select, table

from tic_academy.demo import create_demo_data
from tic_academy.extensions import db
from tic_academy.models import Submission
from tic_academy.ops import backup


@pytest.fixture(autouse=True)
def instance(app, tmp_path):
    """An instance folder of this test's own, with one file worth keeping."""
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "catatan.txt").write_text("kunci lokal\n")
    app.instance_path = str(folder)
    return folder


@pytest.fixture
def repo_root(app, tmp_path):
    """A repositories folder with one repository file in it."""
    root = tmp_path / "repos"
    (root / "peserta1" / "proyek").mkdir(parents=True)
    (root / "peserta1" / "proyek" / "app.py").write_text("print('halo')\n")
    app.config["REPO_ROOT"] = str(root)
    return root


@pytest.fixture
def data(app, make_user, make_track, make_submission):
    """Demo OPDs and accounts plus a graded submission with answers and an executed notebook."""
    create_demo_data()
    exercise = make_track([{"exercises": [{}]}]).stages[0].exercises[0]
    trainee = make_user()
    submission = make_submission(trainee, exercise, score=7.5, answers={"jawaban": "x = 1\n"})
    submission.store_notebook('{"cells": []}')
    db.session.commit()
    return submission


def everything() -> dict:
    """Every row of every table, as sorted tuples, by table name."""
    db.session.remove()
    rows = {}
    for name in sorted(inspect(db.engine).get_table_names()):
        columns = [column(info["name"]) for info in inspect(db.engine).get_columns(name)]
        rows[name] = sorted(tuple(map(repr, row)) for row in db.session.execute(select(table(name, *columns))))
    return rows


def empty_the_database():
    """Drop every table, as on a new server."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_round_trip(app, runner, data, repo_root, tmp_path):
    """Backup, lose everything, restore into an empty database: every row and the repositories come back."""
    submission_id = data.id
    before = everything()
    assert before["submission"] and before["user"]
    result = runner.invoke(args=["backup", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "cadangan").iterdir()
    assert folder.name.startswith("tic-backup-") and not folder.name.endswith(".partial")
    manifest = json.loads((folder / "manifest.json").read_text())
    kind = db.engine.url.get_backend_name()
    assert manifest["database"]["kind"] == kind
    assert set(manifest["files"]) >= {manifest["database"]["file"], "repositories.tar.gz"}
    assert (folder / "SHA256SUMS").read_text().count("\n") == len(manifest["files"])

    empty_the_database()
    new_root = tmp_path / "repos-baru"
    app.config["REPO_ROOT"] = str(new_root)
    new_instance = tmp_path / "instance-baru"
    app.instance_path = str(new_instance)
    result = runner.invoke(args=["restore", str(folder)])
    assert result.exit_code == 0, result.output
    assert everything() == before
    assert (new_root / "peserta1" / "proyek" / "app.py").read_text() == "print('halo')\n"
    assert (new_instance / "catatan.txt").read_text() == "kunci lokal\n"
    restored = db.session.scalar(select(Submission).where(Submission.id == submission_id))
    assert restored.auto_score == 7.5 and restored.answers == {"jawaban": "x = 1\n"}


def test_restore_refuses_a_database_with_data(app, runner, data, tmp_path):
    """Restoring over data needs --force; without it nothing changes."""
    folder = backup.make_backup(app, tmp_path / "cadangan")
    extra = Submission(**{k: getattr(data, k) for k in ("trainee_id", "exercise_id", "exercise_version_id")},
                       answers={}, status="queued")
    db.session.add(extra)
    db.session.commit()
    extra_id = extra.id
    before = everything()
    result = runner.invoke(args=["restore", str(folder)])
    assert result.exit_code != 0
    assert "tidak kosong" in result.output  # Indonesian: "the database is not empty"
    assert everything() == before
    result = runner.invoke(args=["restore", "--force", str(folder)])
    assert result.exit_code == 0, result.output
    assert db.session.get(Submission, extra_id) is None


def test_restore_verifies_checksums_first(app, runner, data, tmp_path):
    """A damaged file is found before anything is restored."""
    folder = backup.make_backup(app, tmp_path / "cadangan")
    manifest = json.loads((folder / "manifest.json").read_text())
    dump = folder / manifest["database"]["file"]
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    dump.write_bytes(bytes(content))
    empty_the_database()
    result = runner.invoke(args=["restore", str(folder)])
    assert result.exit_code != 0
    assert manifest["database"]["file"] in result.output
    assert inspect(db.engine).get_table_names() == []


def test_restore_refuses_a_folder_that_is_not_a_backup(runner, tmp_path):
    """A folder without a manifest is refused with a clear message."""
    result = runner.invoke(args=["restore", str(tmp_path)])
    assert result.exit_code != 0
    assert "manifest.json" in result.output


def test_sqlite_file_database_round_trip(app_config, tmp_path):
    """The embedded setup (a SQLite file under instance/) round-trips while the app holds it open."""
    from tic_academy import create_app

    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'tic.sqlite'}"})
    app.instance_path = str(tmp_path)  # the database file sits in the instance folder, as in `make run`
    with app.app_context():
        db.create_all()
        create_demo_data()
        before = everything()
        folder = backup.make_backup(app, tmp_path / "cadangan")
        with tarfile.open(folder / "instance.tar.gz") as archive:
            names = archive.getnames()
        assert "instance/catatan.txt" in names and not any("tic.sqlite" in name for name in names)
        empty_the_database()
        backup.restore_backup(app, Path(folder))
        assert everything() == before
        db.session.remove()
        db.engine.dispose()
