"""Revealing hints: one at a time, in order, once, only by the trainee working on the exercise."""
import pytest
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.models import HintReveal

from .conftest import FIRST, THIRD, use_hints

URL = "/peserta/latihan/tambah/petunjuk"
PAGE = "/peserta/latihan/tambah"


def reveals() -> list[tuple[str, int, float]]:
    """(task, hint index, cost share) of every stored reveal."""
    return [(row.task_key, row.hint_index, row.cost_share)
            for row in db.session.scalars(select(HintReveal).order_by(HintReveal.id))]


def test_workspace_offers_the_first_hint_without_showing_any(client, auth, trainee):
    """Does the workspace show "Lihat petunjuk 1 dari 3" and none of the hints' texts before a reveal?"""
    auth.login(trainee)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Lihat petunjuk 1 dari 3" in html
    assert FIRST not in html and THIRD not in html


def test_reveal_one_at_a_time_and_it_stays_after_reload(client, auth, trainee, exercise):
    """Does each POST reveal the next hint, recorded with the version, and stay visible on reload?"""
    auth.login(trainee)
    response = client.post(URL, data={"task": "tes-tambah", "number": 1})
    assert response.status_code == 302 and response.location.endswith("#petunjuk-tes-tambah")
    html = client.get(PAGE).get_data(as_text=True)
    assert FIRST in html and "menjumlahkan" not in html and "Lihat petunjuk 2 dari 3" in html
    row = db.session.scalar(select(HintReveal))
    assert (row.trainee_id, row.exercise_id, row.exercise_version_id) == (trainee.id, exercise.id,
                                                                          exercise.current_version_id)
    answer = client.post(URL, data={"task": "tes-tambah", "number": 2}, headers={"Accept": "application/json"})
    assert answer.status_code == 200 and "menjumlahkan dua bilangan" in answer.json["html"] and "Lihat petunjuk 3 dari 3" in answer.json["html"]
    assert reveals() == [("tes-tambah", 0, 0.0), ("tes-tambah", 1, 0.0)]


def test_double_click_records_one_reveal(client, auth, trainee):
    """Does the same reveal sent twice leave one record?"""
    auth.login(trainee)
    client.post(URL, data={"task": "tes-tambah", "number": 1})
    client.post(URL, data={"task": "tes-tambah", "number": 1})
    assert reveals() == [("tes-tambah", 0, 0.0)]


def test_cannot_skip_ahead(client, auth, trainee):
    """Is hint 3 refused while hint 2 is hidden, with nothing recorded?"""
    auth.login(trainee)
    client.post(URL, data={"task": "tes-tambah", "number": 1})
    answer = client.post(URL, data={"task": "tes-tambah", "number": 3}, headers={"Accept": "application/json"})
    assert answer.status_code == 400 and "petunjuk 2" in answer.json["error"]
    assert client.post(URL, data={"task": "tes-dua", "number": 1},
                       headers={"Accept": "application/json"}).status_code == 400  # a task without hints
    assert reveals() == [("tes-tambah", 0, 0.0)]


def test_costly_hint_shows_its_cost_and_needs_confirmation(client, auth, trainee, exercise):
    """Is a 10% hint's cost shown before revealing, and refused until the trainee ticks the box?"""
    use_hints(exercise, 0.1)
    auth.login(trainee)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Petunjuk ini mengurangi 10% poin tugas ini" in html and 'name="confirm"' in html
    refused = client.post(URL, data={"task": "tes-tambah", "number": 1}, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and reveals() == []
    client.post(URL, data={"task": "tes-tambah", "number": 1, "confirm": "1"})
    assert reveals() == [("tes-tambah", 0, 0.1)]


def test_a_trainee_reveals_only_for_themselves(client, auth, trainee, make_user, track):
    """Does another trainee's reveal leave this trainee's hints hidden?"""
    from .conftest import enroll
    other = make_user(role="trainee")
    enroll(other, track)
    auth.login(other)
    client.post(URL, data={"task": "tes-tambah", "number": 1})
    auth.logout()
    auth.login(trainee)
    assert FIRST not in client.get(PAGE).get_data(as_text=True)
    assert [row.trainee_id for row in db.session.scalars(select(HintReveal))] == [other.id]


@pytest.mark.parametrize("who", ["mentor", "not_enrolled"])
def test_mentor_and_unenrolled_trainee_cannot_reveal(client, auth, trainee, mentor, make_user, who):
    """Are the mentor and a trainee who is not enrolled refused (403/404), with nothing recorded?"""
    user = mentor if who == "mentor" else make_user(role="trainee")
    auth.login(user)
    status = client.post(URL, data={"task": "tes-tambah", "number": 1}).status_code
    assert status in (403, 404)
    assert db.session.scalar(select(func.count(HintReveal.id))) == 0


def test_locked_exercise_cannot_be_revealed(client, auth, trainee):
    """Is a hint of an exercise in a stage not yet open refused?"""
    auth.login(trainee)
    assert client.post("/peserta/latihan/kurang/petunjuk", data={"task": "tes-tambah", "number": 1}).status_code == 403


def test_downloaded_notebook_has_no_hints_even_after_a_reveal(client, auth, trainee):
    """Does the trainee's .ipynb download leave every hint out (revealed ones are on the page only)?"""
    auth.login(trainee)
    client.post(URL, data={"task": "tes-tambah", "number": 1})
    text = client.get(f"{PAGE}/unduh").get_data(as_text=True)
    assert '"tes-tambah"' in text
    assert FIRST not in text and THIRD not in text and "hint_cost" not in text
