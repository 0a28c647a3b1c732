"""The city's provider unreachable: a clear Indonesian message on the login page, never an error page."""
import pytest


@pytest.fixture
def app_config(app_config):
    """Single sign-on configured against a closed loopback port."""
    return {**app_config, "OIDC_ISSUER": "http://127.0.0.1:9", "OIDC_CLIENT_ID": "tic", "OIDC_CLIENT_SECRET": "x",
            "OIDC_TIMEOUT_S": 2}


def test_the_provider_being_down_is_a_clear_message_not_an_error(app, client):
    answer = client.get("/masuk/sso")
    assert answer.status_code == 302 and answer.location == "/masuk"
    assert "tidak dapat dihubungi" in client.get("/masuk").get_data(as_text=True)
