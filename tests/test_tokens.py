"""Invitation and password-reset links."""
import re
from datetime import timedelta

from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent, Invitation, OutboxMessage, User
from tic_academy.clock import now_utc
from tic_academy.services import accounts


def link_in_outbox(recipient: str) -> str:
    """The path of the newest link emailed to ``recipient``."""
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == recipient)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no email to {recipient}"
    match = re.search(r"https?://[^/\s]+(/atur-kata-sandi/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def new_password(client, path, password="kata-sandi-pertama-1"):
    """Post a new password to a token link."""
    return client.post(path, data={"password": password, "confirm": password})


def test_admin_creates_account_and_invitation_sets_first_password(auth, client, make_user, make_opd):
    """Does an admin-created account get an invitation link that sets the first password and logs in?"""
    admin = make_user(role="admin")
    opd = make_opd()
    auth.login(admin)
    response = client.post(
        "/admin/pengguna/baru",
        data={"full_name": "Rina Wulandari", "email": "Rina@Contoh.test", "role": "trainee", "opd_id": opd.id},
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "rina@contoh.test"))
    assert user is not None and user.password_hash is None
    path = link_in_outbox("rina@contoh.test")
    auth.logout()
    assert client.get(path).status_code == 200
    response = new_password(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/peserta/"
    db.session.refresh(user)
    assert user.password_hash is not None
    token = path.rsplit("/", 1)[1]
    assert token not in {row.token_hash for row in db.session.scalars(select(Invitation))}


def test_invitation_cannot_be_reused(client, make_user, app):
    """Is a used invitation link refused the second time?"""
    user = make_user(password=None)
    accounts.send_token_email(user, "invite")
    db.session.commit()
    path = link_in_outbox(user.email)
    assert new_password(client, path).status_code == 302
    client.post("/keluar")
    assert client.get(path).status_code == 410
    assert new_password(client, path, "kata-sandi-lain-22").status_code == 410


def test_expired_invitation_is_refused(client, make_user):
    """Is an expired invitation link refused?"""
    user = make_user(password=None)
    accounts.send_token_email(user, "invite")
    db.session.commit()
    path = link_in_outbox(user.email)
    row = db.session.scalars(select(Invitation)).one()
    row.expires_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "kedaluwarsa" in response.get_data(as_text=True)


def test_unknown_token_is_refused(client):
    """Is a made-up token refused?"""
    assert client.get("/atur-kata-sandi/bukan-token").status_code == 410


def test_short_password_is_refused(client, make_user):
    """Is a too-short password refused on the invitation page, keeping the link usable?"""
    user = make_user(password=None)
    accounts.send_token_email(user, "invite")
    db.session.commit()
    path = link_in_outbox(user.email)
    response = new_password(client, path, "pendek")
    assert response.status_code == 200
    assert client.get(path).status_code == 200


def test_forgot_password_sends_reset_link(auth, client, make_user):
    """Does "forgot password" email a time-limited link that sets a new password?"""
    user = make_user()
    response = client.post("/lupa-kata-sandi", data={"email": user.email.upper()})
    assert response.status_code == 302
    path = link_in_outbox(user.email)
    row = db.session.scalars(select(Invitation)).one()
    assert row.purpose == "reset"
    assert row.expires_at - now_utc() <= timedelta(hours=2)
    assert new_password(client, path, "kata-sandi-baru-99").status_code == 302
    client.post("/keluar")
    assert auth.login(user, "kata-sandi-baru-99").status_code == 302
    assert "password.reset" in db.session.scalars(select(AuditEvent.action)).all()


def test_forgot_password_does_not_reveal_unknown_email(client, make_user):
    """Does "forgot password" answer the same for an unknown email and send nothing?"""
    user = make_user()
    known = client.post("/lupa-kata-sandi", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/lupa-kata-sandi", data={"email": "siapa@contoh.test"}, follow_redirects=True)
    flash = "Jika email tersebut terdaftar"
    assert flash in known.get_data(as_text=True)
    assert flash in unknown.get_data(as_text=True)
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == [user.email]


def test_expired_reset_link_is_refused(client, make_user):
    """Is a reset link refused after its time limit?"""
    user = make_user()
    client.post("/lupa-kata-sandi", data={"email": user.email})
    path = link_in_outbox(user.email)
    row = db.session.scalars(select(Invitation)).one()
    row.expires_at = now_utc() - timedelta(seconds=1)
    db.session.commit()
    assert new_password(client, path).status_code == 410


def test_deactivated_user_token_is_refused(client, make_user):
    """Is the link of a deactivated account refused?"""
    user = make_user(password=None)
    accounts.send_token_email(user, "invite")
    user.active = False
    db.session.commit()
    assert client.get(link_in_outbox(user.email)).status_code == 410


def test_mail_server_failure_keeps_message(app, make_user, monkeypatch):
    """When SMTP fails, is the message kept in the outbox with the error?"""
    from tic_academy.extensions import mail

    app.config["MAIL_SERVER"] = "127.0.0.1"

    def broken_send(message):
        raise ConnectionRefusedError("no SMTP here")

    monkeypatch.setattr(mail, "send", broken_send)
    user = make_user(password=None)
    accounts.send_token_email(user, "invite")
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None
    assert "no SMTP here" in message.error
