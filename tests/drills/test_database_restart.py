"""PostgreSQL restarted during requests: a clear 503 with an Indonesian retry message, nothing half-written,
and the same requests work again once the database is back (slow: the PostgreSQL pass only)."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.drills.servers import PrivatePostgres, only_in_postgres_pass
from tests.trainee.conftest import FakeRunner, build_curriculum, enroll
from tic_academy.extensions import db
from tic_academy.models import Draft, Submission

pytestmark = pytest.mark.postgres
ANSWERS = {"jawaban": "def tambah(a, b):\n    return a + b"}
RETRY_TEXT = "coba lagi"


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of this module's own, which the tests stop and start."""
    only_in_postgres_pass()
    server = PrivatePostgres()
    yield server
    server.remove()


@pytest.fixture
def app_config(app_config, postgres):
    """The app on the private server."""
    return {**app_config, "SQLALCHEMY_DATABASE_URI": postgres.url}


@pytest.fixture
def runner(monkeypatch):
    """Record queued submissions instead of grading them."""
    fake = FakeRunner()
    monkeypatch.setattr("tic_academy.trainee.api.get_runner", lambda app=None: fake)
    return fake


@pytest.fixture
def trainee(app, make_user, auth):
    """An enrolled trainee, logged in, with the two-stage test curriculum."""
    user = make_user(role="trainee")
    enroll(user, build_curriculum())
    auth.login(user)
    return user


def _count(model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def test_database_down_gives_503_and_loses_nothing(app, client, postgres, runner, trainee):
    """Submit, autosave and pages while PostgreSQL is down: 503 in Indonesian; afterwards all works again."""
    submit, save = "/peserta/api/latihan/tambah/kumpulkan", "/peserta/api/latihan/tambah/draf"
    assert client.post(submit, json={"answers": ANSWERS}).status_code == 202
    db.session.remove()  # the test's own connection must not hold the server up
    postgres.stop()
    try:
        response = client.post(submit, json={"answers": ANSWERS})
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert RETRY_TEXT in response.get_json()["error"]
        response = client.post(save, json={"answers": ANSWERS, "revision": 0})
        assert response.status_code == 503 and RETRY_TEXT in response.get_json()["error"]
        page = client.get("/peserta/latihan/tambah")
        assert page.status_code == 503
        assert RETRY_TEXT in page.get_data(as_text=True)
        with pytest.raises(OperationalError):
            db.session.execute(select(1))
    finally:
        db.session.remove()
        postgres.start()
    # Back: the pool replaces its dead connections (pre-ping), the retried requests succeed.
    assert client.post(save, json={"answers": ANSWERS, "revision": 0}).status_code == 200
    assert client.post(submit, json={"answers": ANSWERS}).status_code == 202
    assert _count(Submission) == 2  # the refused submit left nothing behind
    assert _count(Draft) == 1
    submissions = db.session.scalars(select(Submission)).all()
    assert [s.answers for s in submissions] == [ANSWERS, ANSWERS]
    assert runner.enqueued == [s.id for s in submissions]
