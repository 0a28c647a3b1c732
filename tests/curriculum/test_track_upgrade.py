"""A cohort that started on the first version of the track keeps working after the track v2 sync.

The database is synced from the first version's track file (tests/curriculum/data/track-v1.yaml, with
the notebooks and projects it names), a cohort works on it, then the shipped tree is synced over it.
Old submissions keep their exercise versions, and every role's pages still answer.
"""
import shutil
from datetime import timedelta

import yaml
from sqlalchemy import select

from tic_academy.clock import today_wib
from tic_academy.config import BASE_DIR
from tic_academy.curriculum.sync import sync_curricula
from tic_academy.extensions import db
from tic_academy.models import Exercise, Submission

V1 = BASE_DIR / "tests" / "curriculum" / "data" / "track-v1.yaml"
#: Exercises of the first version: kept, made optional or retired by the rewrite (any of those must work).
WORKED_ON = ["list", "konsep-git", "proyek-akhir-api", "flask-pertama", "proyek-api-permohonan-layanan"]


def _v1_tree(root):
    """The first version's track with only the notebooks and projects it names."""
    (root / "curricula").mkdir(parents=True)
    shutil.copy(V1, root / "curricula" / "programmer-pemerintahan.yaml")
    track = yaml.safe_load(V1.read_text(encoding="utf-8"))
    for stage in track["stages"]:
        for entry in stage["exercises"]:
            if entry.get("kind") == "project":
                shutil.copytree(BASE_DIR / "projects" / entry["project"], root / "projects" / entry["project"])
                continue
            source = BASE_DIR / "notebooks" / entry["notebook"]
            target = root / "notebooks" / entry["notebook"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
            sidecar = source.with_name(source.stem + ".wrong.yaml")
            if sidecar.is_file():
                shutil.copy(sidecar, target.with_name(sidecar.name))
    return root


def test_cohort_of_the_first_version_survives_the_rewrite(app, tmp_path, make_user, make_enrollment, auth, client):
    first = sync_curricula(_v1_tree(tmp_path / "v1"))
    assert first.ok, first.report
    mentor = make_user("mentor")
    trainee = make_user("trainee")
    exercises = {e.slug: e for e in db.session.scalars(select(Exercise))}
    track = exercises["list"].stage.track
    enrollment = make_enrollment(trainee, track, start_date=today_wib() - timedelta(days=70), mentor=mentor)
    old = {}
    for slug in WORKED_ON:
        exercise = exercises[slug]
        version = exercise.current_version
        submission = Submission(trainee=trainee, exercise=exercise, exercise_version=version, answers={},
                                mode="submit", status="graded", auto_score=version.max_score, max_score=version.max_score)
        db.session.add(submission)
        db.session.commit()
        old[slug] = (submission.id, version.id)

    second = sync_curricula(BASE_DIR)
    assert second.ok, second.report

    for slug, (submission_id, version_id) in old.items():
        assert db.session.get(Submission, submission_id).exercise_version_id == version_id
    pages = ["/peserta/", "/peserta/kurikulum"] + [f"/peserta/pengumpulan/{s}" for s, _ in old.values()]
    auth.login(trainee)
    for page in pages:
        assert client.get(page).status_code == 200, page
    auth.logout()
    auth.login(mentor)
    for page in ["/mentor/", "/mentor/peserta"] + [f"/mentor/pengumpulan/{s}" for s, _ in old.values()]:
        assert client.get(page).status_code == 200, page
    auth.logout()
    auth.login(make_user("opd_head", opd=trainee.opd))
    assert client.get("/opd/").status_code == 200
    auth.logout()
    auth.login(make_user("admin"))
    for page in ["/admin/", "/admin/dasbor", f"/admin/angkatan/{enrollment.cohort_id}", "/sertifikat/kelulusan",
                 f"/admin/angkatan/{enrollment.cohort_id}/ekspor/peserta.xlsx"]:
        assert client.get(page).status_code == 200, page
