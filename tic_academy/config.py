"""Configuration classes, read from ``TIC_*`` environment variables."""
import os
from pathlib import Path

from .clock import WIB_NAME

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-change-me"


def env(name: str, default=None):
    """Return the ``TIC_<name>`` environment variable, or ``default`` when unset or empty."""
    return os.environ.get(f"TIC_{name}") or default


def env_int(name: str, default: int) -> int:
    """Return ``TIC_<name>`` as an integer."""
    return int(env(name, default))


def env_bool(name: str, default: bool) -> bool:
    """Return ``TIC_<name>`` as a boolean ("1", "true", "yes" are true)."""
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """The embedded default: SQLite under instance/, local runner, outbox mail."""

    SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = env(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tic_academy.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session

    # Request bodies: refused with 413 before they are parsed (security.LimitedRequest).
    #: Any request body, in bytes.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024)
    #: Workspace JSON (autosave, run, check, submit): all answer cells of a notebook fit easily.
    WORKSPACE_JSON_MAX_LENGTH = env_int("WORKSPACE_JSON_MAX_LENGTH", 2 * 1024 * 1024)
    #: Notebook upload: the 1 MiB notebook cap plus room for the multipart wrapping.
    UPLOAD_MAX_LENGTH = env_int("UPLOAD_MAX_LENGTH", 1024 * 1024 + 64 * 1024)
    #: Log-in and password forms: an email and a few passwords.
    AUTH_FORM_MAX_LENGTH = env_int("AUTH_FORM_MAX_LENGTH", 16 * 1024)

    # Language
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = WIB_NAME  # pages show moments on the program's clock (tic_academy/clock.py)
    LANGUAGES = ("id", "en")

    # Accounts
    #: Failed log-ins under one email from one address before that pair pauses (someone
    #: elsewhere, e.g. the account's owner, can still log in).
    LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
    #: The slower ceiling: failed log-ins under one email from all addresses together.
    LOGIN_ACCOUNT_MAX_FAILURES = env_int("LOGIN_ACCOUNT_MAX_FAILURES", 50)
    LOGIN_ACCOUNT_LOCK_MINUTES = env_int("LOGIN_ACCOUNT_LOCK_MINUTES", 60)
    LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "20 per minute")
    INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
    RESET_HOURS = env_int("RESET_HOURS", 2)
    # argon2id costs of new password hashes (README "Passwords": OWASP's 19 MiB, 2 passes, 1 lane, so one
    # hash keeps one core busy); a hash with other costs is replaced at its next log-in. Tests lower them.
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 2)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 19456)
    ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 1)
    #: Password hashes at once on this host (every worker together): one core less than the host has, so a
    #: burst of log-ins leaves a core to the page views. A log-in waits at most PASSWORD_HASH_WAIT_S seconds.
    PASSWORD_HASH_SLOTS = env_int("PASSWORD_HASH_SLOTS", max(1, (os.cpu_count() or 2) - 1))
    PASSWORD_HASH_WAIT_S = env_int("PASSWORD_HASH_WAIT_S", 10)
    #: How much nicer (lower priority, 0..19) a hash runs than the page views: they go first in a burst.
    PASSWORD_HASH_NICE = env_int("PASSWORD_HASH_NICE", 10)
    #: The slots' lock files (unset: a folder per user in the temporary folder, shared by the host's workers).
    PASSWORD_SLOTS_DIR = env("PASSWORD_SLOTS_DIR")
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    # Mail: with no server, messages stay in the outbox table.
    MAIL_SERVER = env("MAIL_SERVER")
    MAIL_PORT = env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env("MAIL_SENDER", "TIC Academy <no-reply@tic.test>")
    # Base URL put into links in email (invitations, resets).
    EXTERNAL_URL = env("EXTERNAL_URL", "http://127.0.0.1:5000")

    # Single sign-on with the city's identity provider (OpenID Connect; README "Single sign-on").
    #: The provider's issuer URL (its metadata is read from <issuer>/.well-known/openid-configuration);
    #: unset: no single sign-on, password log-in only.
    OIDC_ISSUER = env("OIDC_ISSUER")
    OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
    #: Optional: the claim holding the person's OPD code, used for accounts made by a first log-in.
    OIDC_OPD_CLAIM = env("OIDC_OPD_CLAIM")
    #: Seconds to wait for the provider (metadata, keys, token endpoint).
    OIDC_TIMEOUT_S = env_int("OIDC_TIMEOUT_S", 10)

    # Grading
    SANDBOX = env("SANDBOX", "bwrap")
    RUNNER = env("RUNNER", "local")
    REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
    KERNEL_POOL_SIZE = env_int("KERNEL_POOL_SIZE", 2)
    #: Live sandboxed kernels per process, warm and cold together (unset: pool size + 2).
    KERNEL_MAX_LIVE = env("KERNEL_MAX_LIVE")
    #: Fork kernels from a zygote that imported ipykernel once (bwrap as root); false starts a Python each.
    FORK_SERVER = env_bool("FORK_SERVER", True)
    #: Seconds before Redis hands an unacknowledged grading job to another worker.
    GRADING_VISIBILITY_TIMEOUT = env_int("GRADING_VISIBILITY_TIMEOUT", 600)
    #: Seconds a worker's claim on a submission lasts; the worker renews it every third of that while grading.
    GRADING_LEASE_S = env_int("GRADING_LEASE_S", 60)

    # Workspace: per-trainee rate limits on running, checking and submitting
    WORKSPACE_RUN_LIMIT = env("WORKSPACE_RUN_LIMIT", "30 per minute")
    WORKSPACE_CHECK_LIMIT = env("WORKSPACE_CHECK_LIMIT", "15 per minute")
    WORKSPACE_SUBMIT_LIMIT = env("WORKSPACE_SUBMIT_LIMIT", "5 per minute")

    # Project repositories and git over HTTP (tic_academy/gitserve)
    #: Folder holding the trainees' bare repositories: <root>/<user id>/<exercise id>.git.
    REPO_ROOT = Path(env("REPO_ROOT", INSTANCE_DIR / "repos"))
    #: Largest push (request body, after gzip is undone), refused before git processes the pack.
    GIT_PUSH_MAX_BYTES = env_int("GIT_PUSH_MAX_BYTES", 20 * 1024 * 1024)
    #: Largest single file in a pushed commit (checked by the repositories' pre-receive hook).
    GIT_FILE_MAX_BYTES = env_int("GIT_FILE_MAX_BYTES", 2 * 1024 * 1024)
    #: git requests per token, and per client address (a clone or a push is 2-3 requests).
    GIT_TOKEN_RATE_LIMIT = env("GIT_TOKEN_RATE_LIMIT", "60 per minute")
    GIT_ADDRESS_RATE_LIMIT = env("GIT_ADDRESS_RATE_LIMIT", "120 per minute")
    #: Most personal access tokens a user may have active at once.
    TOKEN_MAX_ACTIVE = env_int("TOKEN_MAX_ACTIVE", 10)

    # Mentoring
    REVIEW_TARGET_WORKDAYS = env_int("REVIEW_TARGET_WORKDAYS", 2)
    SIMILARITY_THRESHOLD = float(env("SIMILARITY_THRESHOLD", 0.8))

    # Operations (tic_academy/ops): proxy, health, metrics, logs
    #: Addresses or networks of the reverse proxy (comma-separated); only their X-Forwarded-* headers count.
    TRUSTED_PROXIES = env("TRUSTED_PROXIES", "")
    #: Networks that may read /metrics (comma-separated); everyone else gets 404.
    METRICS_ALLOW = env("METRICS_ALLOW", "127.0.0.0/8,::1/128")
    #: "text" (readable lines) or "json" (one JSON object per line, with request and user ids).
    LOG_FORMAT = env("LOG_FORMAT", "text")
    LOG_LEVEL = env("LOG_LEVEL", "INFO")
    #: /readyz fails when the oldest queued submission has waited longer than this many seconds.
    READY_QUEUE_MAX_AGE = env_int("READY_QUEUE_MAX_AGE", 300)
    #: /readyz starts a sandboxed kernel (at most every 30 s); "false" on web hosts that never grade.
    READY_KERNEL_CHECK = env_bool("READY_KERNEL_CHECK", True)

    DEMO_PASSWORD = env("DEMO_PASSWORD", "tic-demo-2026")
    TESTING = False
    PRODUCTION = False


class ProductionConfig(Config):
    """Production: secure cookies; refuses the default secret key."""

    PRODUCTION = True
    LOG_FORMAT = env("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestingConfig(Config):
    """Tests: in-memory SQLite (or TIC_TEST_DATABASE_URL), cheap hashes."""

    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = env("TEST_DATABASE_URL", "sqlite://")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    RATELIMIT_STORAGE_URI = "memory://"
    SANDBOX = env("SANDBOX", "bwrap")
    KERNEL_POOL_SIZE = 1
    SERVER_NAME = None


CONFIGS = {
    "default": Config,
    "development": Config,
    "production": ProductionConfig,
    "testing": TestingConfig,
}
