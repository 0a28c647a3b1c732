"""SQLite files are used in write-ahead-log mode: a page being read does not wait for a save being committed."""
import sqlite3

from sqlalchemy import text

from tic_academy import create_app
from tic_academy.extensions import db


def test_a_file_database_is_switched_to_wal_and_readers_do_not_wait_for_a_commit(tmp_path):
    """Is the app's SQLite file in WAL mode, so that a reader sees the last committed state at once
    while another connection holds the write lock of a commit in progress?"""
    path = tmp_path / "wal.sqlite"
    app = create_app({"ENV_NAME": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        with db.engine.begin() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            connection.execute(text("CREATE TABLE note (body TEXT)"))
            connection.execute(text("INSERT INTO note VALUES ('tersimpan')"))
        writer = sqlite3.connect(path, timeout=0, isolation_level=None)
        writer.execute("BEGIN EXCLUSIVE")  # what a commit holds in the old journal mode: every reader waited
        writer.execute("INSERT INTO note VALUES ('belum')")
        try:
            with db.engine.connect() as reader:
                reader.execute(text("PRAGMA busy_timeout = 0"))  # fail at once instead of waiting
                assert reader.execute(text("SELECT body FROM note")).scalars().all() == ["tersimpan"]
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        db.engine.dispose()


def test_an_in_memory_database_is_left_as_it_is():
    """Does an in-memory database (the tests' default on SQLite) keep its own journal (WAL needs a file)?"""
    app = create_app({"ENV_NAME": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "memory"
        db.engine.dispose()
