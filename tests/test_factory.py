"""The app factory and configuration."""
import pytest

from tic_academy import create_app
from tic_academy.config import DEFAULT_SECRET_KEY, ProductionConfig


def test_factory_testing_flag():
    """Does the factory honour a testing configuration?"""
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_factory_has_no_side_effects(tmp_path, monkeypatch):
    """Does building the app leave the database untouched (no file created)?"""
    target = tmp_path / "never.sqlite"
    monkeypatch.setenv("TIC_DATABASE_URL", f"sqlite:///{target}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("never.sqlite")
    assert not target.exists()


def test_production_refuses_default_secret_key(monkeypatch):
    """Does production configuration refuse to start with the default secret key (as a dict or the class)?"""
    with pytest.raises(RuntimeError, match="TIC_SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": DEFAULT_SECRET_KEY})
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", DEFAULT_SECRET_KEY)  # as when TIC_SECRET_KEY is unset
    with pytest.raises(RuntimeError, match="TIC_SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_real_secret_key():
    """Does production start once a real secret key is given, with secure cookies?"""
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 40})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_config_reads_tic_environment(monkeypatch):
    """Are settings read from TIC_* environment variables?"""
    monkeypatch.setenv("TIC_LOGIN_MAX_FAILURES", "9")
    import importlib

    import tic_academy.config as config

    importlib.reload(config)
    try:
        assert config.Config.LOGIN_MAX_FAILURES == 9
    finally:
        monkeypatch.delenv("TIC_LOGIN_MAX_FAILURES")
        importlib.reload(config)
