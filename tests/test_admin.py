"""Admin screens: OPDs, users, outbox and audit log."""
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent, Opd, OutboxMessage, User


def login_admin(auth, make_user):
    admin = make_user(role="admin", email="admin@contoh.test")
    auth.login(admin)
    return admin


def test_create_edit_and_deactivate_opd(auth, client, make_user):
    """Can an admin create, edit and deactivate an OPD, with each step audited?"""
    login_admin(auth, make_user)
    response = client.post("/admin/opd/baru", data={"code": "DINKES", "name": "Dinas Kesehatan", "short_name": "Dinkes"})
    assert response.status_code == 302
    opd = db.session.scalar(select(Opd).where(Opd.code == "DINKES"))
    client.post(f"/admin/opd/{opd.id}", data={"code": "DINKES", "name": "Dinas Kesehatan Kota", "short_name": "Dinkes"})
    client.post(f"/admin/opd/{opd.id}/aktif")
    db.session.refresh(opd)
    assert opd.name == "Dinas Kesehatan Kota" and not opd.active
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"opd.created", "opd.updated", "opd.deactivated"} <= set(actions)
    assert "Dinas Kesehatan Kota" in client.get("/admin/opd").get_data(as_text=True)


def test_duplicate_opd_code_is_refused(auth, client, make_user, make_opd):
    """Is a second OPD with the same code refused with a message?"""
    login_admin(auth, make_user)
    make_opd(code="BAPPEDA")
    response = client.post("/admin/opd/baru", data={"code": "BAPPEDA", "name": "Lain", "short_name": "Lain"})
    assert response.status_code == 200
    assert "Kode ini sudah dipakai." in response.get_data(as_text=True)


def test_bad_opd_form_shows_errors(auth, client, make_user):
    """Does a wrongly filled OPD form come back with field errors and save nothing?"""
    login_admin(auth, make_user)
    response = client.post("/admin/opd/baru", data={"code": "huruf kecil", "name": "", "short_name": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Opd)) is None


def test_user_list_search_filter_and_pagination(auth, client, make_user, make_opd):
    """Does the user list search, filter by role and OPD, and paginate?"""
    login_admin(auth, make_user)
    opd = make_opd(name="Dinas Perhubungan")
    for n in range(30):
        make_user(role="trainee", opd=opd, full_name=f"Peserta Dishub {n:02d}")
    make_user(role="mentor", full_name="Mentor Satu")
    page1 = client.get(f"/admin/pengguna?role=trainee&opd={opd.id}").get_data(as_text=True)
    assert "30 pengguna" in page1
    assert "Peserta Dishub 00" in page1 and "Peserta Dishub 29" not in page1
    page2 = client.get(f"/admin/pengguna?role=trainee&opd={opd.id}&page=2").get_data(as_text=True)
    assert "Peserta Dishub 29" in page2
    found = client.get("/admin/pengguna?q=mentor satu").get_data(as_text=True)
    assert "Mentor Satu" in found and "Peserta Dishub" not in found


def test_create_user_requires_opd_for_trainee(auth, client, make_user):
    """Is a trainee without an OPD refused with a clear message?"""
    login_admin(auth, make_user)
    response = client.post("/admin/pengguna/baru", data={"full_name": "A", "email": "a@contoh.test", "role": "trainee", "opd_id": 0})
    assert "harus tergabung dalam sebuah OPD" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "a@contoh.test")) is None


def test_create_user_duplicate_email(auth, client, make_user):
    """Is a second account with the same email (other capitals) refused?"""
    login_admin(auth, make_user)
    make_user(role="mentor", email="dewi@contoh.test")
    response = client.post("/admin/pengguna/baru", data={"full_name": "Dewi", "email": "DEWI@contoh.test", "role": "mentor", "opd_id": 0})
    assert "Sudah ada akun dengan email ini." in response.get_data(as_text=True)


def test_change_role_is_audited(auth, client, make_user, make_opd):
    """Is a role change saved and audited with the old and new role?"""
    login_admin(auth, make_user)
    user = make_user(role="mentor")
    opd = make_opd()
    client.post(f"/admin/pengguna/{user.id}", data={"role": "opd_head", "opd_id": opd.id})
    db.session.refresh(user)
    assert user.role == "opd_head" and user.opd_id == opd.id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.role_changed")).one()
    assert event.detail == {"old": "mentor", "new": "opd_head"}


def test_admin_cannot_demote_themselves(auth, client, make_user):
    """Is an admin stopped from removing their own admin role?"""
    admin = login_admin(auth, make_user)
    client.post(f"/admin/pengguna/{admin.id}", data={"role": "mentor", "opd_id": 0})
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_deactivate_user(auth, client, make_user):
    """Can an admin deactivate an account, and is it audited?"""
    login_admin(auth, make_user)
    user = make_user()
    client.post(f"/admin/pengguna/{user.id}/aktif")
    db.session.refresh(user)
    assert not user.active
    assert "account.deactivated" in db.session.scalars(select(AuditEvent.action)).all()


def test_unknown_user_is_404(auth, client, make_user):
    """Does an unknown user id give a 404 page?"""
    login_admin(auth, make_user)
    response = client.get("/admin/pengguna/9999")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_outbox_and_message_pages(auth, client, make_user):
    """Can an admin read the outbox and each message in it?"""
    login_admin(auth, make_user)
    message = OutboxMessage(recipient="budi@contoh.test", subject="Undangan", body="Halo Budi http://x.test/a")
    db.session.add(message)
    db.session.commit()
    assert "budi@contoh.test" in client.get("/admin/kotak-keluar").get_data(as_text=True)
    assert "Halo Budi" in client.get(f"/admin/kotak-keluar/{message.id}").get_data(as_text=True)


def test_audit_log_filters(auth, client, make_user):
    """Does the audit log filter by action and by actor?"""
    login_admin(auth, make_user)
    make_user(email="gagal@contoh.test")
    auth.login("gagal@contoh.test", "salah-sekali-000")
    login_admin_again = client.get("/admin/audit?action=login.failure").get_data(as_text=True)
    assert "login.failure" in login_admin_again
    assert 'title="login.success"' not in login_admin_again
    by_admin = client.get("/admin/audit?actor=admin@contoh").get_data(as_text=True)
    assert 'title="login.success"' in by_admin
    bad = client.get("/admin/audit?since=kemarin").get_data(as_text=True)
    assert "TTTT-BB-HH" in bad


def test_demo_command_is_idempotent(runner):
    """Does `flask demo` create the city's OPDs and demo accounts, and is a second run harmless?"""
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    counts = (db.session.query(Opd).count(), db.session.query(User).count())
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert (db.session.query(Opd).count(), db.session.query(User).count()) == counts
    assert counts[0] >= 10
    emails = set(db.session.scalars(select(User.email)))
    assert {"admin@tic.test", "mentor1@tic.test", "kepala.bappeda@tic.test", "peserta6@tic.test"} <= emails
    assert db.session.scalar(select(Opd).where(Opd.code == "DISKOMINFO")).name == "Dinas Komunikasi dan Informatika"


def _opd_rows():
    """(OPD rows, audit rows, each OPD's code and names) as the database holds them."""
    opds = db.session.execute(select(Opd.id, Opd.code, Opd.name, Opd.short_name).order_by(Opd.id)).all()
    audits = db.session.scalar(select(func.count()).select_from(AuditEvent))
    return len(opds), audits, [tuple(row) for row in opds]


def test_refused_opd_create_changes_nothing_and_keeps_the_input(auth, client, make_user, make_opd):
    """Does a create with a used code leave the database as it was, say why in Indonesian and keep the input?"""
    login_admin(auth, make_user)
    make_opd(code="BAPPEDA")
    before = _opd_rows()
    response = client.post("/admin/opd/baru", data={"code": "BAPPEDA", "name": "Badan Lain", "short_name": "Lain"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kode ini sudah dipakai." in html
    assert 'value="Badan Lain"' in html
    assert _opd_rows() == before


def test_refused_opd_edit_changes_nothing_and_keeps_the_input(auth, client, make_user, make_opd):
    """Does an edit to another OPD's code leave both OPDs as they were, with the message and the input shown?"""
    login_admin(auth, make_user)
    first = make_opd(code="DINKES", name="Dinas Kesehatan")
    make_opd(code="BAPPEDA")
    before = _opd_rows()
    response = client.post(f"/admin/opd/{first.id}",
                           data={"code": "BAPPEDA", "name": "Nama Baru", "short_name": "Baru"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kode ini sudah dipakai." in html
    assert 'value="Nama Baru"' in html
    assert _opd_rows() == before


def test_opd_service_validates_before_changing(make_user, make_opd):
    """Does a refused update leave nothing pending, so a later commit in the same session changes nothing?"""
    from tic_academy.services import ServiceError, opds

    admin = make_user(role="admin")
    first = make_opd(code="DINKES", name="Dinas Kesehatan")
    make_opd(code="BAPPEDA")
    before = _opd_rows()
    try:
        opds.update_opd(first, "BAPPEDA", "Nama Baru", "Baru", actor=admin)
    except ServiceError as exc:
        assert str(exc) == "Kode ini sudah dipakai."
    else:
        raise AssertionError("the used code was accepted")
    db.session.commit()
    assert _opd_rows() == before


def test_invitation_pages_warn_when_the_external_url_is_not_the_address_in_use(app, auth, client, make_user):
    """Is the admin warned on the new-user page when TIC_EXTERNAL_URL differs from the address in use, and not when it matches?"""
    login_admin(auth, make_user)
    app.config["EXTERNAL_URL"] = "http://127.0.0.1:5000"
    html = client.get("/admin/pengguna/baru").get_data(as_text=True)
    assert 'id="external-url-warning"' in html and "http://127.0.0.1:5000" in html and "http://localhost" in html
    app.config["EXTERNAL_URL"] = "http://localhost/"
    assert 'id="external-url-warning"' not in client.get("/admin/pengguna/baru").get_data(as_text=True)
    app.config["EXTERNAL_URL"] = "http://localhost/academy"
    assert 'id="external-url-warning"' in client.get("/admin/pengguna/baru").get_data(as_text=True)
