"""Access policy of single sign-on (tests/oidc has the protocol's own tests)."""
POLICY = {
    # Public: the provider's round trip starts and ends before anyone is logged in (404 when not configured).
    "auth.sso_start": {"anonymous", "trainee", "mentor", "opd_head", "admin"},
    "auth.sso_callback": {"anonymous", "trainee", "mentor", "opd_head", "admin"},
    # Every logged-in person may open it; only an account without a role stays there.
    "auth.pending": {"trainee", "mentor", "opd_head", "admin"},
    "admin.sso_settings": {"admin"},
}
