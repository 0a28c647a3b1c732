"""``flask curriculum sync``: load tracks, stages and exercises into the database.

Safe to run again. A changed notebook, or any changed file of a project folder, gets a new ExerciseVersion (by checksum);
submissions keep pointing at the version they were graded against. An exercise
removed from its track is retired when it has history, deleted otherwise.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Optional

from sqlalchemy import delete, func, select

from ..extensions import db
from ..grading.notebook import is_test, points
from ..models import BestScore, CurriculumSync, Draft, Exercise, ExerciseVersion, Stage, Submission, Track, User
from ..clock import now_utc
from ..services import audit
from .projects import ProjectFile
from .validate import ExerciseFile, validate


def sync_curricula(path: Path, actor: Optional[User] = None) -> CurriculumSync:
    """Validate (structure and notebooks) and, when valid, load everything; records the run."""
    run = CurriculumSync(actor_id=actor.id if actor else None)
    db.session.add(run)
    report = validate(path)  # structure and format; no execution in the web process
    if report.problems:
        run.report = "\n".join(str(p) for p in report.problems)
        run.ok = False
    else:
        changes = []
        for track_data in report.tracks:
            exercises = [e for e in report.exercises if e.track == track_data["id"]]
            projects = [p for p in report.projects if p.track == track_data["id"]]
            changes.extend(_sync_track(track_data, exercises, projects))
        run.ok = True
        run.report = "\n".join(changes) or "no changes"
    run.finished_at = now_utc()
    audit.record("curriculum.synced", actor=actor, obj=run, ok=run.ok)
    db.session.commit()
    return run


def _sync_track(data: dict, files: list[ExerciseFile], projects: list[ProjectFile] = ()) -> list[str]:
    changes: list[str] = []
    track = db.session.scalar(select(Track).where(Track.slug == data["id"]))
    if track is None:
        track = Track(slug=data["id"], weeks=data["weeks"])
        db.session.add(track)
        changes.append(f"track {data['id']}: created")
    _set(track, changes, f"track {data['id']}",
         title_id=data["title"]["id"], title_en=data["title"].get("en"),
         description_id=data["description"]["id"], description_en=data["description"].get("en"),
         weeks=data["weeks"], hours_per_week=data.get("hours_per_week"), retired=False)
    db.session.flush()
    by_notebook = {f.entry["notebook"]: f for f in files}
    by_project = {p.entry["project"]: p for p in projects}
    kept_exercises: set[int] = set()
    kept_stages: set[int] = set()
    for position, stage_data in enumerate(data["stages"], start=1):
        stage = _sync_stage(track, stage_data, position, changes)
        kept_stages.add(stage.id)
        for e_position, entry in enumerate(stage_data["exercises"], start=1):
            if entry.get("kind") == "project":
                exercise = _sync_project(track, stage, entry, e_position, by_project[entry["project"]], changes)
            else:
                exercise = _sync_exercise(track, stage, entry, e_position, by_notebook[entry["notebook"]], changes)
            kept_exercises.add(exercise.id)
    _retire_missing(track, kept_stages, kept_exercises, changes)
    return changes


def _sync_stage(track: Track, data: dict, position: int, changes: list[str]) -> Stage:
    stage = db.session.scalar(select(Stage).where(Stage.track_id == track.id, Stage.slug == data["id"]))
    if stage is None:
        stage = Stage(track=track, slug=data["id"], position=position, week_start=1, week_end=1, pass_threshold=1.0)
        db.session.add(stage)
        changes.append(f"stage {data['id']}: created")
    description = data.get("description", {"id": ""})
    _set(stage, changes, f"stage {data['id']}",
         position=position, title_id=data["title"]["id"], title_en=data["title"].get("en"),
         description_id=description["id"], description_en=description.get("en"),
         week_start=data["weeks"][0], week_end=data["weeks"][1],
         pass_threshold=float(data["pass_threshold"]),
         signoff_required=bool(data.get("signoff_required", False)), retired=False)
    db.session.flush()
    return stage


def _exercise_row(track: Track, stage: Stage, entry: dict, position: int, changes: list[str], **values) -> Exercise:
    """Find or create the exercise of a track entry and set its fields."""
    # Exercises are keyed by track and id, so one may move between stages.
    exercise = db.session.scalar(
        select(Exercise).join(Stage).where(Stage.track_id == track.id, Exercise.slug == entry["id"])
    )
    label = f"exercise {entry['id']}"
    if exercise is None:
        exercise = Exercise(stage=stage, slug=entry["id"], position=position, title_id="", notebook_path="", week=1)
        db.session.add(exercise)
        changes.append(f"{label}: created")
    _set(exercise, changes, label,
         stage_id=stage.id, position=position, title_id=entry["title"]["id"], title_en=entry["title"].get("en"),
         week=entry["week"], required=entry.get("required", True), minutes=entry["minutes"],
         must_pass=bool(entry.get("must_pass", False)), retired=False, **values)
    db.session.flush()
    return exercise


def _current_version(exercise: Exercise, checksum: str, changes: list[str], **values) -> None:
    """Point the exercise at the version with this checksum, creating it from ``values`` when new."""
    version = db.session.scalar(
        select(ExerciseVersion).where(ExerciseVersion.exercise_id == exercise.id, ExerciseVersion.checksum == checksum)
    )
    if version is None:
        version = ExerciseVersion(exercise=exercise, checksum=checksum, **values)
        db.session.add(version)
        db.session.flush()
        if exercise.current_version_id is not None:
            changes.append(f"exercise {exercise.slug}: new version {checksum[:12]}")
    if exercise.current_version_id != version.id:
        exercise.current_version = version


def _sync_exercise(track: Track, stage: Stage, entry: dict, position: int, file: ExerciseFile, changes: list[str]) -> Exercise:
    exercise = _exercise_row(track, stage, entry, position, changes,
                             kind="notebook", project=None, notebook_path=entry["notebook"],
                             limits=entry.get("limits") or {}, allowed_imports=entry.get("allowed_imports"),
                             rules=entry.get("rules") or [])
    # Rules are scored like tests, so their points count in the maximum.
    max_score = sum(points(cell) for cell in file.notebook.cells if is_test(cell))
    max_score += sum(float(rule["points"]) for rule in entry.get("rules") or [])
    _current_version(exercise, version_checksum(file.text, entry.get("rules") or []), changes,
                     source=file.text, max_score=max_score)
    return exercise


def _sync_project(track: Track, stage: Stage, entry: dict, position: int, project: ProjectFile, changes: list[str]) -> Exercise:
    """A project exercise: its version holds the points map, the hidden tests and the template (tar.gz)."""
    exercise = _exercise_row(track, stage, entry, position, changes,
                             kind="project", project=entry["project"], notebook_path="",
                             limits=project.limits, allowed_imports=None, rules=[])
    _current_version(exercise, project.checksum, changes, source=project.spec.to_json(),
                     max_score=project.spec.max_score, template_archive=project.template_archive())
    return exercise


def version_checksum(text: str, rules: list[dict]) -> str:
    """SHA-256 of the notebook, and of its rules when it has any (new rules grade differently: a new version)."""
    if rules:
        text += "\n" + json.dumps(rules, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _retire_missing(track: Track, kept_stages: set[int], kept_exercises: set[int], changes: list[str]) -> None:
    stages = db.session.scalars(select(Stage).where(Stage.track_id == track.id)).all()
    for stage in stages:
        for exercise in list(stage.exercises):
            if exercise.id in kept_exercises or exercise.retired:
                continue
            if _has_history(exercise):
                exercise.retired = True
                changes.append(f"exercise {exercise.slug}: retired (it has submissions)")
            else:
                _delete_exercise(exercise)
                changes.append(f"exercise {exercise.slug}: removed")
        if stage.id not in kept_stages and not stage.retired:
            db.session.flush()
            if any(True for _ in db.session.scalars(select(Exercise.id).where(Exercise.stage_id == stage.id))):
                stage.retired = True
                changes.append(f"stage {stage.slug}: retired")
            else:
                db.session.delete(stage)
                changes.append(f"stage {stage.slug}: removed")


def _has_history(exercise: Exercise) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Submission).where(Submission.exercise_id == exercise.id)))


def _delete_exercise(exercise: Exercise) -> None:
    exercise.current_version = None
    db.session.flush()
    db.session.execute(delete(Draft).where(Draft.exercise_id == exercise.id))
    # Empty best-score rows only (it has no submissions): left by submissions deleted earlier.
    db.session.execute(delete(BestScore).where(BestScore.exercise_id == exercise.id))
    db.session.execute(delete(ExerciseVersion).where(ExerciseVersion.exercise_id == exercise.id))
    db.session.delete(exercise)


def _set(obj, changes: list[str], label: str, **values) -> None:
    """Assign values; note a change when an existing row really changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed and obj.id is not None:
        changes.append(f"{label}: updated {', '.join(sorted(changed))}")


def latest_sync() -> Optional[CurriculumSync]:
    """The most recent sync run."""
    return db.session.scalars(select(CurriculumSync).order_by(CurriculumSync.id.desc()).limit(1)).first()
