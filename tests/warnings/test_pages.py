"""Where early warnings show: the mentor's item page and "my trainees", the OPD head's dashboard, the admin's settings."""
from datetime import timedelta

from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent
from tic_academy.services import warnings
from tic_academy.services.warnings import WarningSettings

from .conftest import NOW
from .test_signals import QUIET, open_signals


def test_mentor_sees_reason_and_records_action(client, auth, trainee, mentor):
    """Does the queue item lead to a page with the Indonesian reason, whose form closes the warning?"""
    warnings.run_daily(QUIET, NOW)
    [signal] = open_signals("deadline", trainee)
    auth.login(mentor)
    page = client.get(f"/mentor/antrean/{signal.item_id}", follow_redirects=True)
    assert page.status_code == 200
    assert "Tahap Tahap 1 belum lolos" in page.get_data(as_text=True)
    response = client.post(f"/mentor/peringatan/{signal.item_id}", data={"action": "called", "note": "Sudah ditelepon"})
    assert response.status_code == 302
    db.session.expire_all()
    assert signal.closed_how == "handled" and signal.action_note == "Sudah ditelepon"


def test_other_mentor_cannot_open_the_warning(client, auth, trainee, make_user):
    """Is a mentor who is not the trainee's refused the warning page?"""
    warnings.run_daily(QUIET, NOW)
    [signal] = open_signals("deadline", trainee)
    auth.login(make_user(role="mentor"))
    assert client.get(f"/mentor/peringatan/{signal.item_id}").status_code == 403


def test_my_trainees_shows_a_badge(client, auth, trainee, mentor):
    """Does "Peserta saya" show a badge with the number of open warnings?"""
    warnings.run_daily(QUIET, NOW)
    auth.login(mentor)
    html = client.get("/mentor/peserta").get_data(as_text=True)
    assert "1 peringatan dini" in html


def test_opd_head_sees_own_staff_warnings_only(client, auth, trainee, make_user):
    """Does the OPD head see the warning about their staff (reason, since when), and another OPD's head not?"""
    warnings.run_daily(QUIET, NOW)
    auth.login(make_user(role="opd_head", opd=trainee.opd))
    html = client.get("/opd/").get_data(as_text=True)
    assert trainee.full_name in html and "Tenggat tahap sudah dekat" in html
    auth.logout()
    auth.login(make_user(role="opd_head"))
    assert trainee.full_name not in client.get("/opd/").get_data(as_text=True)


def test_admin_changes_thresholds(client, auth, make_user):
    """Does the admin's settings page store new thresholds (audited) and refuse a zero?"""
    auth.login(make_user(role="admin"))
    assert client.get("/admin/peringatan-dini").status_code == 200
    form = {"inactive_workdays": 5, "behind_exercises": 3, "failed_in_a_row": 5, "runs_without_check": 20,
            "slow_factor": "2.5", "deadline_workdays": 3}
    assert client.post("/admin/peringatan-dini", data=form).status_code == 302
    assert warnings.load_settings() == WarningSettings(inactive_workdays=5, slow_factor=2.5, reminders=False)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "warnings.settings_changed"))
    response = client.post("/admin/peringatan-dini", data={**form, "failed_in_a_row": 0})
    assert response.status_code == 200
    assert warnings.load_settings().failed_in_a_row == 5


def test_reason_reads_as_a_sentence(app, enrol):
    """Is the reason plain Indonesian with local numbers and dates ("4 hari kerja", "26 Nov 2026")?"""
    trainee = enrol(last_login_at=NOW - timedelta(days=6))
    warnings.run_daily(QUIET, NOW)
    [signal] = open_signals("inactive", trainee)
    with app.test_request_context():
        assert warnings.reason(signal) == "Tidak ada aktivitas selama 4 hari kerja (terakhir pada 26 Nov 2026)."
