"""`flask backup DEST` and `flask restore SRC`: a consistent snapshot with a manifest and checksums.

A backup is a folder ``tic-backup-<UTC time>`` holding:
- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``: one consistent snapshot) or ``database.sqlite``
  (SQLite's online backup API: consistent even while the app writes);
- ``repositories.tar.gz``: the trainees' repositories (``REPO_ROOT``), when configured;
- ``instance.tar.gz``: the other files of the instance folder (not the SQLite database itself);
- ``manifest.json`` (what, when, which migration) and ``SHA256SUMS`` (``sha256sum -c`` reads it).

It is written as ``<name>.partial`` and renamed when complete, so a broken run never looks like a backup.
Restore verifies every checksum before it changes anything and refuses a database that holds data
unless ``--force``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import inspect, select, table, text
from sqlalchemy import func as sql_func

from ..extensions import db
from ..clock import now_utc

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
FORMAT_VERSION = 1
#: SQLite files that belong to the database, never copied as instance files.
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url) -> tuple[str, dict]:
    """A connection string for pg_dump/pg_restore (no password in it) and the environment with the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict | None = None) -> None:
    """Run a PostgreSQL tool; a failure becomes a BackupError with its message."""
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(_("%(tool)s is not installed (Debian package postgresql-client).", tool=command[0])) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(_("%(tool)s failed: %(message)s", tool=command[0],
                            message=(error.stderr or "").strip()[-2000:])) from None


def _migration_revision() -> str | None:
    """The database's Alembic revision, or None when it has none."""
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


def _dump_database(folder: Path) -> dict:
    """Write the database snapshot into ``folder``; returns its manifest entry."""
    url = db.engine.url
    kind = url.get_backend_name()
    if kind == "sqlite":
        target_path = folder / "database.sqlite"
        raw = db.engine.raw_connection()
        try:
            target = sqlite3.connect(target_path)
            try:
                raw.driver_connection.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
    elif kind == "postgresql":
        target_path = folder / "database.dump"
        conninfo, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target_path), "--dbname", conninfo], env)
    else:
        raise BackupError(_("Databases of type %(kind)s cannot be backed up.", kind=kind))
    return {"kind": kind, "file": target_path.name, "revision": _migration_revision()}


def _instance_files(instance: Path, skip: list[Path]) -> list[Path]:
    """Files of the instance folder worth keeping: not the SQLite database, not the folders in ``skip``
    (the backups themselves, the repositories, which have their own archive)."""
    if not instance.is_dir():
        return []
    found = []
    for path in sorted(instance.rglob("*")):
        if not path.is_file() or path.name.endswith(SQLITE_SUFFIXES):
            continue
        if any(folder == path or folder in path.parents for folder in skip):
            continue
        found.append(path)
    return found


def _tar(target: Path, root: Path, paths: list[Path] | None = None) -> None:
    """Pack ``paths`` (default: everything) under ``root`` into a gzip tar with relative names."""
    with tarfile.open(target, "w:gz") as archive:
        if paths is None:
            archive.add(root, arcname=".")
        else:
            for path in paths:
                archive.add(path, arcname=str(path.relative_to(root)))


def make_backup(app: Flask, dest: Path) -> Path:
    """Write a complete backup folder under ``dest`` and return its path."""
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    created = now_utc()
    name = f"tic-backup-{created:%Y%m%dT%H%M%SZ}"
    final = dest / name
    number = 1
    while final.exists() or final.with_name(final.name + ".partial").exists():
        number += 1
        final = dest / f"{name}-{number}"
    work = final.with_name(final.name + ".partial")
    work.mkdir()
    try:
        manifest = {"format": FORMAT_VERSION, "created_at": created.isoformat(), "database": _dump_database(work)}
        repo_root = app.config.get("REPO_ROOT")
        skip = [dest]
        if repo_root and Path(repo_root).is_dir():
            _tar(work / "repositories.tar.gz", Path(repo_root))
            manifest["repositories"] = "repositories.tar.gz"
            skip.append(Path(repo_root).resolve())
        instance = Path(app.instance_path)
        extra = _instance_files(instance, skip)
        if extra:
            _tar(work / "instance.tar.gz", instance, extra)
            manifest["instance"] = "instance.tar.gz"
        files = sorted(path.name for path in work.iterdir())
        manifest["files"] = {file: {"sha256": sha256_of(work / file), "bytes": (work / file).stat().st_size}
                             for file in files}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        sums = "".join(f"{entry['sha256']}  {file}\n" for file, entry in manifest["files"].items())
        (work / CHECKSUMS).write_text(sums, encoding="utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    work.rename(final)
    return final


def read_verified_manifest(source: Path) -> dict:
    """The manifest of a backup folder, after checking every file's size and SHA-256."""
    manifest_path = Path(source) / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(_("%(path)s is not a backup folder: manifest.json is missing or unreadable.",
                            path=source)) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("This backup has format %(found)s; this version reads format %(expected)s.",
                            found=manifest.get("format"), expected=FORMAT_VERSION))
    for file, entry in (manifest.get("files") or {}).items():
        path = Path(source) / file
        if not path.is_file():
            raise BackupError(_("The backup is incomplete: %(file)s is missing.", file=file))
        if path.stat().st_size != entry["bytes"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(_("The backup is damaged: the checksum of %(file)s does not match.", file=file))
    database = manifest.get("database") or {}
    if database.get("file") not in (manifest.get("files") or {}):
        raise BackupError(_("The backup holds no database snapshot."))
    return manifest


def tables_with_rows() -> list[str]:
    """Tables of the current database that hold at least one row (the migration table aside)."""
    names = [name for name in inspect(db.engine).get_table_names() if name != "alembic_version"]
    busy = []
    for name in names:
        if db.session.scalar(select(sql_func.count()).select_from(table(name))):
            busy.append(name)
    db.session.rollback()
    return busy


def _not_empty(folder: Path) -> bool:
    """True when ``folder`` exists and holds anything."""
    return folder.is_dir() and any(folder.iterdir())


def _extract(archive_path: Path, target: Path, overwrite: bool = True) -> int:
    """Unpack a backup archive into ``target`` (no absolute paths, no links leaving it).

    With ``overwrite`` False, files that already exist are kept; returns how many were kept.
    """
    target.mkdir(parents=True, exist_ok=True)
    kept = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            if not overwrite and member.isfile() and (target / member.name).exists():
                kept += 1
                continue
            archive.extract(member, target, filter="data")
    return kept


def _restore_database(source: Path, database: dict) -> None:
    """Load the snapshot into the current database (already checked: same kind)."""
    path = source / database["file"]
    db.session.remove()
    if database["kind"] == "sqlite":
        raw = db.engine.raw_connection()
        try:
            snapshot = sqlite3.connect(path)
            try:
                snapshot.backup(raw.driver_connection)
            finally:
                snapshot.close()
        finally:
            raw.close()
        return
    db.engine.dispose()  # pg_restore must not wait behind our own idle connections
    conninfo, env = _libpq(db.engine.url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--dbname", conninfo, str(path)], env)


def restore_backup(app: Flask, source: Path, force: bool = False) -> dict:
    """Restore a verified backup; every refusal happens before anything is changed. Returns the manifest."""
    source = Path(source)
    manifest = read_verified_manifest(source)
    database = manifest["database"]
    kind = db.engine.url.get_backend_name()
    if database.get("kind") != kind:
        raise BackupError(_("This backup holds a %(backup)s database; the configured database is %(current)s.",
                            backup=database.get("kind"), current=kind))
    busy = tables_with_rows()
    if busy and not force:
        raise BackupError(_("The database is not empty (%(tables)s). Restore into an empty database,"
                            " or use --force to replace its data.", tables=", ".join(busy[:5])))
    repo_root = app.config.get("REPO_ROOT")
    if manifest.get("repositories"):
        if not repo_root:
            raise BackupError(_("The backup holds repositories but TIC_REPO_ROOT is not set."))
        if _not_empty(Path(repo_root)) and not force:
            raise BackupError(_("The repositories folder %(path)s is not empty; use --force to restore over it.",
                                path=repo_root))
    _restore_database(source, database)
    if manifest.get("repositories"):
        _extract(source / manifest["repositories"], Path(repo_root))
    if manifest.get("instance"):
        # Instance files already on this server (e.g. its own settings) stay unless --force.
        _extract(source / manifest["instance"], Path(app.instance_path), overwrite=force)
    return manifest


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(dest: str) -> None:
    """Write a backup (database, repositories, instance files) into a new folder under DEST."""
    try:
        folder = make_backup(current_app, Path(dest))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Backup written to %(folder)s", folder=folder))


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace data in a database (and repositories folder) that is not empty.")
@with_appcontext
def restore_command(source: str, force: bool) -> None:
    """Restore the backup folder SOURCE into an empty database (checksums are verified first)."""
    try:
        manifest = restore_backup(current_app, Path(source), force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Backup of %(created)s restored (migration %(revision)s).",
                 created=manifest.get("created_at"), revision=manifest["database"].get("revision") or "-"))
