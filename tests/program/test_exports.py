"""Exports: CSV and Excel with Indonesian headers, exactly the rows the viewer may see."""
import csv
import io

import pytest
from openpyxl import load_workbook

from tests.program.conftest import grade
from tic_academy.extensions import db


@pytest.fixture
def world(make_cohort, make_user, enroll):
    """A running cohort with two trainees of one OPD and one of another."""
    cohort = make_cohort(status="running")
    head, other_head = make_user(role="opd_head"), make_user(role="opd_head")
    ours = [make_user(role="trainee", opd=head.opd, full_name=f"Peserta Kita {n}") for n in (1, 2)]
    theirs = make_user(role="trainee", opd=other_head.opd, full_name="=Peserta Tetangga")
    for trainee in ours + [theirs]:
        enroll(cohort, trainee)
    grade(ours[0], cohort.track.stages[0].exercises[0], 8.0)
    db.session.commit()
    return cohort, head, make_user(role="admin")


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download (byte-order mark removed)."""
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_opd_head_csv_has_only_own_trainees(client, auth, world):
    """Does an OPD head's export hold exactly their own OPD's trainees?"""
    cohort, head, _admin = world
    auth.login(head)
    response = client.get(f"/opd/ekspor/{cohort.id}/peserta.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = read_csv(response)
    assert rows[0][:3] == ["Nama", "Email", "OPD"]
    assert sorted(r[0] for r in rows[1:]) == ["Peserta Kita 1", "Peserta Kita 2"]
    assert [r[6:9] for r in rows[1:] if r[0] == "Peserta Kita 1"] == [["0", "8.0", "20.0"]]


def test_opd_head_per_opd_export_has_one_line(client, auth, world):
    """Does an OPD head's per-OPD export hold only their own OPD's line?"""
    cohort, head, _admin = world
    auth.login(head)
    rows = read_csv(client.get(f"/opd/ekspor/{cohort.id}/opd.csv"))
    assert rows[0][0] == "OPD" and len(rows) == 2 and rows[1][0] == head.opd.short_name


def test_admin_xlsx_has_every_trainee(client, auth, world):
    """Does the admin's Excel export hold every trainee, with Indonesian headers, formulas neutralised?"""
    cohort, _head, admin = world
    auth.login(admin)
    response = client.get(f"/admin/angkatan/{cohort.id}/ekspor/peserta.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Nama", "Email", "OPD", "Mentor"]
    assert sorted(v[0] for v in values[1:]) == ["'=Peserta Tetangga", "Peserta Kita 1", "Peserta Kita 2"]


def test_admin_per_opd_csv(client, auth, world):
    """Does the admin's per-OPD export hold one line per OPD with its figures?"""
    cohort, head, admin = world
    auth.login(admin)
    rows = read_csv(client.get(f"/admin/angkatan/{cohort.id}/ekspor/opd.csv"))
    assert rows[0] == ["OPD", "Diusulkan", "Disetujui", "Aktif", "Sesuai jadwal (%)", "Rata-rata kemajuan (%)", "Tahap lolos", "Lulus program"]
    by_name = {r[0]: r for r in rows[1:]}
    assert len(by_name) == 2 and by_name[head.opd.short_name][3] == "2"


def test_unknown_export_kind_is_not_found(client, auth, world):
    """Is an unknown export kind or format a 404?"""
    cohort, _head, admin = world
    auth.login(admin)
    assert client.get(f"/admin/angkatan/{cohort.id}/ekspor/peserta.pdf").status_code == 404
    assert client.get(f"/admin/angkatan/{cohort.id}/ekspor/semua.csv").status_code == 404


def test_last_activity_is_exported_in_wib(client, auth, make_cohort, make_user, enroll):
    """Is a submission at 20:00 UTC exported as 03:00 the next morning, WIB?"""
    from datetime import datetime, timezone

    cohort = make_cohort(status="running")
    admin, trainee = make_user(role="admin"), make_user(role="trainee", full_name="Peserta Malam")
    enroll(cohort, trainee)
    grade(trainee, cohort.track.stages[0].exercises[0], 8.0, when=datetime(2026, 3, 4, 20, 0, tzinfo=timezone.utc))
    db.session.commit()
    auth.login(admin)
    rows = read_csv(client.get(f"/admin/angkatan/{cohort.id}/ekspor/peserta.csv"))
    assert rows[0][10] == "Terakhir aktif (WIB)"
    assert [r[10] for r in rows[1:] if r[0] == "Peserta Malam"] == ["2026-03-05 03:00"]


def test_excel_holds_last_activity_as_a_wib_date_time(client, auth, make_cohort, make_user, enroll):
    """Is last activity in Excel a real date-time cell on WIB clocks (not text), under a WIB header?"""
    from datetime import datetime, timezone

    cohort = make_cohort(status="running")
    admin, trainee = make_user(role="admin"), make_user(role="trainee", full_name="Peserta Malam")
    enroll(cohort, trainee)
    grade(trainee, cohort.track.stages[0].exercises[0], 8.0, when=datetime(2026, 3, 4, 20, 0, tzinfo=timezone.utc))
    db.session.commit()
    auth.login(admin)
    sheet = load_workbook(io.BytesIO(client.get(f"/admin/angkatan/{cohort.id}/ekspor/peserta.xlsx").data)).active
    assert sheet.cell(1, 11).value == "Terakhir aktif (WIB)"
    cell = next(row[10] for row in sheet.iter_rows(min_row=2) if row[0].value == "Peserta Malam")
    assert cell.value == datetime(2026, 3, 5, 3, 0)
    assert cell.is_date and "hh:mm" in cell.number_format


def test_csv_leaves_last_activity_empty_for_someone_never_active(client, auth, make_cohort, make_user, enroll):
    """Is a trainee who never logged in or submitted exported with an empty last-activity cell?"""
    cohort = make_cohort(status="running")
    admin, trainee = make_user(role="admin"), make_user(role="trainee", full_name="Peserta Baru")
    enroll(cohort, trainee)
    db.session.commit()
    auth.login(admin)
    rows = read_csv(client.get(f"/admin/angkatan/{cohort.id}/ekspor/peserta.csv"))
    assert [r[10] for r in rows[1:] if r[0] == "Peserta Baru"] == [""]
