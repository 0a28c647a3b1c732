"""CSRF on the workspace's JSON endpoints."""
import pytest
from sqlalchemy import select

from tests.conftest import DEFAULT_PASSWORD, csrf_token_from
from tic_academy.extensions import db
from tic_academy.models.work import Draft


@pytest.fixture
def app_config(app_config):
    """CSRF protection on, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def log_in(client, user):
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    client.post("/masuk", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token})


def test_autosave_needs_the_csrf_header(client, make_trainee):
    """Is a draft save without the X-CSRFToken header refused, and accepted with the page's token?"""
    trainee = make_trainee()
    log_in(client, trainee)
    body = {"answers": {"jawaban": "x = 1"}, "revision": 0}
    assert client.post("/peserta/api/latihan/tambah/draf", json=body).status_code == 400
    assert db.session.scalar(select(Draft)) is None
    page = client.get("/peserta/latihan/tambah").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/peserta/api/latihan/tambah/draf", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_submit_without_csrf_is_refused(client, make_trainee, fake_runner):
    """Is a submission without a CSRF token refused before anything is queued?"""
    log_in(client, make_trainee())
    response = client.post("/peserta/api/latihan/tambah/kumpulkan", json={"answers": {}})
    assert response.status_code == 400 and fake_runner.enqueued == []
