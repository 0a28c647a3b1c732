"""The app factory: the Flask app with its extensions, blueprints and commands (``tic_academy.create_app``)."""
import os

from flask import Flask

from . import extensions, i18n, ops, security
from .admin import bp as admin_bp
from .auth import bp as auth_bp
from .auth.policy import init_login
from .auth.sso import init_sso
from .certificates import bp as certificates_bp
from .config import CONFIGS, DEFAULT_SECRET_KEY, INSTANCE_DIR
from .curriculum.cli import curriculum_cli
from .demo import demo_command
from .discussion import bp as discussion_bp
from .errors import bp as errors_bp
from .gitserve import bp as git_bp, git_cli
from .jobs.commands import sweep_command, warnings_command
from .jobs.maintenance import rebuild_best_scores_command
from .jobs.shape_commands import shapes_cli
from .mentor import bp as mentor_bp
from .opd import bp as opd_bp
from .trainee import bp as trainee_bp


def create_app(config=None) -> Flask:
    """Build the Flask app. ``config`` is a name, a Config class or a dict of overrides.

    Does nothing else: no database creation, no network, no prompts.
    """
    app = Flask("tic_academy", instance_path=str(INSTANCE_DIR))  # named after the package, as before factory.py
    app.config.from_object(_config_class(config))
    if isinstance(config, dict):
        app.config.update(config)
    if app.config.get("PRODUCTION") and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError(
            "TIC_SECRET_KEY must be set to a long random value in production."
        )

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app,
        extensions.db,
        directory=os.path.join(app.root_path, "..", "migrations"),
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        compare_type=True,
    )
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    extensions.mail.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    ops.init_app(app)

    init_login(app)
    init_sso(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _config_class(config):
    if config is None:
        return CONFIGS[os.environ.get("TIC_ENV", "default")]
    if isinstance(config, str):
        return CONFIGS[config]
    if isinstance(config, dict):
        return CONFIGS[config.get("ENV_NAME", "testing" if config.get("TESTING") else "default")]
    return config


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(errors_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(trainee_bp, url_prefix="/peserta")
    app.register_blueprint(mentor_bp, url_prefix="/mentor")
    app.register_blueprint(discussion_bp, url_prefix="/diskusi")
    app.register_blueprint(opd_bp, url_prefix="/opd")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(certificates_bp, url_prefix="/sertifikat")
    app.register_blueprint(git_bp)


def _register_commands(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(curriculum_cli)
    app.cli.add_command(sweep_command)
    app.cli.add_command(warnings_command)
    app.cli.add_command(git_cli)
    app.cli.add_command(shapes_cli)
    app.cli.add_command(rebuild_best_scores_command)
