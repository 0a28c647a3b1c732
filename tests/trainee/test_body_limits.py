"""Oversized and deeply nested bodies on the workspace's JSON endpoints and the upload (issue 11)."""
import io
import json

import pytest
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import Exercise
from tic_academy.models.work import Draft

BASE = "/peserta/api/latihan/tambah"
#: JSON nested far deeper than Python's parser can follow.
NESTED = "[" * 200_000


@pytest.fixture
def app_config(app_config):
    """Small caps, so the tests send small bodies (the real defaults are a few MiB)."""
    return {**app_config, "MAX_CONTENT_LENGTH": 64 * 1024, "WORKSPACE_JSON_MAX_LENGTH": 16 * 1024}


def draft_answers(user) -> dict | None:
    db.session.expire_all()
    draft = db.session.scalar(select(Draft).where(Draft.trainee_id == user.id))
    return draft.answers if draft else None


def test_oversized_autosave_is_refused_and_keeps_the_draft(client, trainee):
    """Is an autosave body over its own (smaller) cap refused with 413 and an Indonesian JSON error?"""
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "kode lama"}, "revision": 0})
    body = json.dumps({"answers": {"jawaban": "x" * 40_000}, "revision": 1})  # over 16 KiB, under 64 KiB
    response = client.post(f"{BASE}/draf", data=body, content_type="application/json")
    assert response.status_code == 413
    assert "terlalu besar" in response.json["error"] and "16 KB" in response.json["error"]
    assert draft_answers(trainee) == {"jawaban": "kode lama"}


@pytest.mark.parametrize("action", ["jalankan", "periksa", "kumpulkan"])
def test_other_workspace_json_endpoints_have_the_same_cap(client, trainee, fake_runner, action):
    """Do run, check and submit refuse the same oversized body before the runner sees anything?"""
    body = json.dumps({"answers": {"jawaban": "x" * 40_000}})
    response = client.post(f"{BASE}/{action}", data=body, content_type="application/json")
    assert response.status_code == 413 and response.json["error"]
    assert fake_runner.jobs == [] and fake_runner.enqueued == []


def test_oversized_upload_is_refused_with_the_general_cap(client, trainee):
    """Is an upload body over the general cap refused with 413 before it is spooled and read?"""
    big = io.BytesIO(b"{" + b" " * (100 * 1024) + b"}")
    response = client.post(f"{BASE}/unggah", data={"notebook": (big, "besar.ipynb"), "revision": "0"},
                           content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert response.status_code == 413 and "terlalu besar" in response.json["error"]
    assert draft_answers(trainee) is None


@pytest.mark.parametrize("action", ["draf", "jalankan", "periksa", "kumpulkan"])
def test_deeply_nested_json_is_a_clear_400(app, client, trainee, fake_runner, action):
    """Does JSON nested 200,000 levels deep answer 400 with an explanation instead of crashing (500)?"""
    app.config.update(MAX_CONTENT_LENGTH=None, WORKSPACE_JSON_MAX_LENGTH=1024 * 1024)  # the defaults let it in
    response = client.post(f"{BASE}/{action}", data=NESTED, content_type="application/json")
    assert response.status_code == 400
    assert "bersarang" in response.json["error"]
    assert fake_runner.jobs == []


def test_deeply_nested_upload_is_a_clear_400_and_loses_nothing(app, client, trainee):
    """Is an uploaded "notebook" of 200,000 nested brackets refused with 400 while the draft stays?"""
    app.config.update(MAX_CONTENT_LENGTH=None)
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "kode lama"}, "revision": 0})
    data = {"notebook": (io.BytesIO(NESTED.encode()), "bersarang.ipynb"), "revision": "1"}
    response = client.post(f"{BASE}/unggah", data=data, content_type="multipart/form-data",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "tidak bisa dibaca sebagai notebook" in response.json["error"]  # plain words, as any broken file
    assert draft_answers(trainee) == {"jawaban": "kode lama"}


def test_deeply_nested_json_in_a_form_field_is_a_clear_400(app, client, trainee):
    """Does the "ask my mentor" form, whose answers field is JSON, answer 400 to 200,000 nested brackets?"""
    app.config.update(MAX_CONTENT_LENGTH=None)
    exercise_id = db.session.scalar(select(Exercise.id).where(Exercise.slug == "tambah"))
    response = client.post("/diskusi/bantuan", data={"exercise_id": exercise_id, "question": "Kenapa?",
                                                    "answers": NESTED})
    assert response.status_code == 400
    assert "bersarang" in response.get_data(as_text=True)
