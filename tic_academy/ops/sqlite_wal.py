"""SQLite in write-ahead-log mode, so a page being read does not wait for a save being written.

SQLite's default journal ("delete" mode) locks the whole file while a transaction commits: every
reader waits, and SQLite's busy handler makes it wait in sleeps of 1 to 100 ms. Under gunicorn's
threads, with trainees saving drafts every few seconds and logging in, pages queued behind those
commits: the load bench (bench/load.py) measured the trainee home page at p95 159 ms while 57 people
logged in. In WAL mode readers see the last committed state while one writer appends to the log.

The mode is a property of the database file (set once, kept), but it is asked for on every new
connection, which costs nothing when it is already set. An in-memory database (the tests' default)
stays as it is. PostgreSQL, the production database, never needed this.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: How long a writer waits for another writer before "database is locked" (milliseconds).
BUSY_TIMEOUT_MS = 5000


@event.listens_for(Engine, "connect")
def _use_wal(dbapi_connection, _record) -> None:
    """Switch a file database to WAL mode and set how long to wait for a lock."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # "" for an in-memory database
            cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()
