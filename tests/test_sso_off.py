"""Without TIC_OIDC_ISSUER there is no single sign-on: no button, no routes, password log-in as before."""
from tic_academy.extensions import db
from tic_academy.services import sso


def test_without_a_provider_there_is_no_city_account_login(app, client, auth, make_user):
    assert client.get("/masuk/sso").status_code == 404
    assert client.get("/masuk/sso/kembali?code=x&state=y").status_code == 404
    assert "Masuk dengan akun Pemkot" not in client.get("/masuk").get_data(as_text=True)
    # A switch left on cannot lock everyone out while the provider is not configured.
    admin = make_user("admin")
    sso.set_switches(sso.Switches(password_admins_only=True), admin, None)
    db.session.commit()
    assert auth.login(make_user("trainee")).status_code == 302
