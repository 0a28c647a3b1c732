"""The Celery side of grading (the worker command: ``celery -A tic_academy.jobs.celery_app worker``).

Redis is broker and result backend (``TIC_REDIS_URL``). Tasks acknowledge
late and are rejected when their worker is lost, so a job whose worker was
killed mid-grade goes back to the queue and is graded by the next worker;
grading is idempotent, so a job delivered twice leaves one set of results.
A worker grades only after claiming the submission (services.submissions): a
copy of the job that finds another worker's live claim tries again once that
claim's lease would lapse, and then does nothing if the holder finished.
"""
from __future__ import annotations

import base64
from pathlib import Path

from celery import Celery
from flask import Flask

from ..grading import GradingEngine, ProjectSpec
from ..services.settings import ServiceSettings
from ..services.submissions import claim_held_elsewhere, grade_submission

#: Seconds before Redis hands an unacknowledged job to another worker.
#: Must be longer than the longest grading (total timeout plus queueing).
DEFAULT_VISIBILITY_TIMEOUT = 600
#: How often a copy of a job waits for another worker's claim before giving up (the sweep remains).
MAX_CLAIM_RETRIES = 20


def repo_root_of(app: Flask) -> Path | None:
    """Where the trainees' repositories are (REPO_ROOT): a project's repository checks are read there."""
    return Path(app.config["REPO_ROOT"]) if app.config.get("REPO_ROOT") else None


def grade_job(engine: GradingEngine, job: dict) -> dict:
    """Grade a run/check job with the engine; the trainee-safe result."""
    if job.get("kind") == "project":  # "Jalankan uji" of the project editor (services/project_editor.py)
        spec = ProjectSpec.from_json(job["spec"])
        snapshot = base64.b64decode(job["snapshot"])
        return engine.grade_project(spec, snapshot, limits=job.get("limits") or None, mode="check").to_dict()
    result = engine.grade(
        job["source"],
        job.get("answers") or {},
        mode=job.get("mode", "check"),
        limits=job.get("limits") or None,
        allowed_imports=job.get("allowed_imports"),
        run_until=job.get("run_until"),
        rules=job.get("rules"),
    )
    return result.to_dict()


def make_celery(app: Flask, engine_for) -> Celery:
    """A Celery app configured from the Flask config, with our tasks registered.

    ``engine_for(app)`` returns this process's grading engine (runners.get_engine), passed in so the
    worker and the runners do not import each other.
    """
    url = app.config["REDIS_URL"]
    celery = Celery("tic_academy", broker=url, backend=url, set_as_current=False)
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": int(app.config.get("GRADING_VISIBILITY_TIMEOUT", DEFAULT_VISIBILITY_TIMEOUT))
        },
        worker_hijack_root_logger=False,
    )

    @celery.task(name="tic.grade_submission", bind=True, max_retries=MAX_CLAIM_RETRIES, shared=False)
    def grade_submission_task(self, submission_id: int) -> str:
        """Grade a recorded submission (idempotent); retry later while another worker holds its claim."""
        with app.app_context():
            submission = grade_submission(submission_id, engine_for(app), ServiceSettings.from_config(app.config),
                                          repo_root_of(app))
            wait_s = claim_held_elsewhere(submission)
            if wait_s is not None:
                # The holder may be slow (renewing its lease) or dead (the lease lapses): look again then.
                raise self.retry(countdown=wait_s + 1)
            return submission.status if submission else "missing"

    @celery.task(name="tic.grade_job", shared=False)
    def grade_job_task(job: dict) -> dict:
        """Grade a run/check job and return the trainee-safe result."""
        return grade_job(engine_for(app), job)

    return celery
