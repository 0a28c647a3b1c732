"""Run and Check leave no submission: the workspace counts them per day for the early warning."""
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import RunCount

BASE = "/peserta/api/latihan/tambah"


def test_run_and_check_are_counted(client, trainee, fake_runner):
    """Do two Runs and one Check of an exercise end up as 2 runs and 1 check on today's row?"""
    client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": 2})
    client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": 2})
    client.post(f"{BASE}/periksa", json={"answers": {}})
    [row] = db.session.scalars(select(RunCount).where(RunCount.trainee_id == trainee.id)).all()
    assert (row.runs, row.checks) == (2, 1)
