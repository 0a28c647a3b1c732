"""Which exercises a trainee may open, and where each sits in their progress.

A trainee may open an exercise only when it belongs to an open (or passed)
stage of the track of their current enrollment.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask_babel import get_locale, gettext as _

from ..models import Cohort, Enrollment, Exercise
from . import ServiceError, notebooks
from .enrollment import current_enrollment
from .progress import LOCKED, ExerciseProgress, StageProgress, track_progress


class NotEnrolled(ServiceError):
    """The trainee has no active enrollment, so no curriculum to open."""


class ExerciseNotFound(ServiceError):
    """No active exercise of the trainee's track has this slug."""


class ExerciseLocked(ServiceError):
    """The exercise belongs to a stage the trainee has not opened yet."""


@dataclass
class OpenExercise:
    """An exercise the trainee may work on, with where it sits in their progress."""

    exercise: Exercise
    enrollment: Enrollment
    stages: list[StageProgress]
    stage: StageProgress
    progress: ExerciseProgress

    @property
    def notebook(self) -> notebooks.ExerciseNotebook:
        """The exercise's current notebook, parsed once per version (``services.notebooks``)."""
        return notebooks.of_version(self.exercise.current_version)


def trainee_progress(trainee_id: int) -> tuple[Enrollment, list[StageProgress]]:
    """The trainee's current enrollment and the progress on its track; NotEnrolled without one."""
    enrollment = current_enrollment(trainee_id)
    if enrollment is None:
        raise NotEnrolled(_("You are not enrolled in a cohort yet."))
    return enrollment, track_progress(trainee_id, enrollment.cohort.track)


def open_exercise(trainee_id: int, slug: str) -> OpenExercise:
    """The exercise ``slug`` of the trainee's track, if its stage is open; raises otherwise."""
    enrollment, stages = trainee_progress(trainee_id)
    previous: Optional[StageProgress] = None
    for stage in stages:
        for row in stage.exercises:
            if row.exercise.slug != slug:
                continue
            if stage.state == LOCKED:
                raise ExerciseLocked(_locked_message(stage, previous))
            if row.exercise.current_version is None:
                raise ExerciseNotFound(_("This exercise has no notebook yet."))
            return OpenExercise(row.exercise, enrollment, stages, stage, row)
        previous = stage
    raise ExerciseNotFound(_("This exercise is not part of your curriculum."))


def _locked_message(stage: StageProgress, previous: Optional[StageProgress]) -> str:
    """Why a stage is still locked, in the trainee's words."""
    locale = str(get_locale() or "id")
    if previous is None:
        return _("The stage %(stage)s is not open yet.", stage=stage.stage.title(locale))
    message = _(
        "This exercise belongs to the stage %(stage)s, which opens once you pass the stage %(previous)s.",
        stage=stage.stage.title(locale),
        previous=previous.stage.title(locale),
    )
    missing = previous.must_pass_missing
    if missing:
        message += " " + _(
            "These exercises must each reach the pass mark themselves: %(exercises)s.",
            exercises=", ".join(row.exercise.title(locale) for row in missing),
        )
    return message


def week_plan(cohort: Cohort, stages: list[StageProgress], today) -> list[tuple[StageProgress, ExerciseProgress]]:
    """The exercises planned for the current program week, with their stage."""
    week = cohort.week_on(today)
    return [(stage, row) for stage in stages for row in stage.exercises if row.exercise.week == week]
