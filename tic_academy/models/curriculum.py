"""The curriculum aggregate: tracks, stages, exercises and their notebook versions.

Synced from ``curricula/`` and ``notebooks/`` by ``flask curriculum sync``.
Rows that were ever used are retired, never deleted.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..clock import now_utc
from .types import UTCDateTime


class Localised:
    """Rows with an Indonesian title and an optional English one."""

    title_id: Mapped[str]
    title_en: Mapped[Optional[str]]

    def title(self, locale: str) -> str:
        """The title in ``locale``, falling back to Indonesian."""
        return (self.title_en if locale == "en" else None) or self.title_id


class Track(Localised, db.Model):
    """A curriculum track, e.g. "Programmer Pemerintahan" (12 weeks)."""

    __tablename__ = "track"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The id in the YAML file, e.g. "programmer-pemerintahan".
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[Optional[str]] = mapped_column(String(200))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[Optional[str]] = mapped_column(Text)
    weeks: Mapped[int]
    hours_per_week: Mapped[Optional[int]]
    retired: Mapped[bool] = mapped_column(default=False)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="track", order_by="Stage.position"
    )


class Stage(Localised, db.Model):
    """A stage (tahap) of a track: planned weeks, a pass threshold, exercises."""

    __tablename__ = "stage"
    __table_args__ = (UniqueConstraint("track_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[Optional[str]] = mapped_column(String(200))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[Optional[str]] = mapped_column(Text)
    week_start: Mapped[int]
    week_end: Mapped[int]
    #: Share (0..1) of the stage's auto-graded points on required exercises needed to pass.
    pass_threshold: Mapped[float]
    signoff_required: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)

    track: Mapped[Track] = relationship(back_populates="stages")
    exercises: Mapped[list[Exercise]] = relationship(
        back_populates="stage", order_by="Exercise.position"
    )


EXERCISE_KINDS = ("notebook", "project")


class Exercise(Localised, db.Model):
    """An exercise of a stage: a notebook, or a project (a git repository graded with pytest)."""

    __tablename__ = "exercise"
    __table_args__ = (UniqueConstraint("stage_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[Optional[str]] = mapped_column(String(200))
    #: Path under notebooks/, e.g. "programmer-pemerintahan/01-dasar-python/01-x.ipynb" ("" for a project).
    notebook_path: Mapped[str] = mapped_column(String(255))
    #: "notebook" or "project" (EXERCISE_KINDS).
    kind: Mapped[str] = mapped_column(String(16), default="notebook", server_default="notebook")
    #: A project exercise's folder under projects/, e.g. "layanan-pengaduan".
    project: Mapped[Optional[str]] = mapped_column(String(64))
    week: Mapped[int]
    required: Mapped[bool] = mapped_column(default=True)
    minutes: Mapped[int] = mapped_column(default=60)
    #: Limit overrides for grading, e.g. {"cell_timeout_s": 20}.
    limits: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Modules answer cells may import; None means any.
    allowed_imports: Mapped[Optional[list]] = mapped_column(JSON)
    #: Static rules on the answer cells (as in the track file), scored like tests as ``rule:<id>``.
    rules: Mapped[list] = mapped_column(JSON, default=list)
    #: The stage is passed only when this exercise itself reaches the stage's threshold.
    must_pass: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("exercise_version.id", use_alter=True)
    )

    stage: Mapped[Stage] = relationship(back_populates="exercises")

    @property
    def is_project(self) -> bool:
        """Is this a project exercise (a repository per trainee)?"""
        return self.kind == "project"

    current_version: Mapped[Optional[ExerciseVersion]] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[ExerciseVersion]] = relationship(
        back_populates="exercise",
        foreign_keys="ExerciseVersion.exercise_id",
        order_by="ExerciseVersion.id",
    )


class ExerciseVersion(db.Model):
    """One content of an exercise (notebook, or all files of a project), identified by its checksum."""

    __tablename__ = "exercise_version"
    __table_args__ = (UniqueConstraint("exercise_id", "checksum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    #: SHA-256 of the source notebook file, or of every file of a project folder.
    checksum: Mapped[str] = mapped_column(String(64))
    #: The source notebook (with solutions and hidden tests) as JSON text; for a project, what grading
    #: needs: the points map and the hidden test files (grading.project.ProjectSpec JSON).
    source: Mapped[str] = mapped_column(Text)
    #: A project's template/ folder (tar.gz): the first commit of every trainee repository.
    template_archive: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    #: Auto-graded points of the notebook in submit mode.
    max_score: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    exercise: Mapped[Exercise] = relationship(
        back_populates="versions", foreign_keys=[exercise_id]
    )


class CurriculumSync(db.Model):
    """One run of the curriculum sync, with its validation report."""

    __tablename__ = "curriculum_sync"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    ok: Mapped[bool] = mapped_column(default=False)
    #: Human-readable lines: problems found and what changed.
    report: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
