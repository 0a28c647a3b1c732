"""Services take their settings as an argument: built from the config by views and jobs, usable without an app."""

from tic_academy.config import Config
from tic_academy.models import User
from tic_academy.services.accounts import check_password, hash_password
from tic_academy.services.settings import DEFAULT_SETTINGS, ServiceSettings


def test_settings_from_the_config():
    """Does every setting come from its config key?"""
    settings = ServiceSettings.from_config({
        "REVIEW_TARGET_WORKDAYS": 3, "SIMILARITY_THRESHOLD": 0.9,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "LOGIN_MAX_FAILURES": 4, "LOGIN_LOCK_MINUTES": 5,
        "LOGIN_ACCOUNT_MAX_FAILURES": 40, "LOGIN_ACCOUNT_LOCK_MINUTES": 50, "INVITATION_DAYS": 3, "RESET_HOURS": 1,
        "GRADING_LEASE_S": 30,
    })
    assert settings == ServiceSettings(
        review_target_workdays=3, similarity_threshold=0.9, password_time_cost=1,
        password_memory_cost=1024, login_max_failures=4, login_lock_minutes=5, login_account_max_failures=40,
        login_account_lock_minutes=50, invitation_days=3, reset_hours=1, grading_lease_s=30,
    )


def test_defaults_are_the_configs_defaults():
    """Are the service defaults the same values as the production config's defaults?"""
    assert ServiceSettings.from_config({key: getattr(Config, key) for key in dir(Config) if key.isupper()}) \
        == DEFAULT_SETTINGS


def test_password_hash_uses_the_given_cost_without_an_app():
    """Is a password hashed at the cost passed in, and checked, with no app context at all?"""
    cheap = ServiceSettings(password_time_cost=1, password_memory_cost=1024)
    stored = hash_password("rahasia-sekali-123", cheap)
    assert "m=1024,t=1" in stored
    assert check_password(User(password_hash=stored), "rahasia-sekali-123")
    assert not check_password(User(password_hash=stored), "salah-sekali-123")
