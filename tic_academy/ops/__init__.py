"""Operations: trusted proxy headers, request ids and JSON logs, health checks, metrics, backups,
static file caching and compression.

Layer: web (it may read the database and call jobs and services); see docs/deploy.md.
"""
from flask import Flask

from . import backup, compression, health, logs, metrics, sqlite_wal, static_version  # noqa: F401 (sqlite_wal: its hook)
from .proxy import TrustedProxyFix, parse_networks


def init_app(app: Flask) -> None:
    """Wire the operations features into the app."""
    networks = parse_networks(app.config.get("TRUSTED_PROXIES", ""))
    if networks:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, networks)
    parse_networks(app.config.get("METRICS_ALLOW", ""))  # a typo fails at start-up, not at the first scrape
    logs.init_app(app)
    metrics.init_app(app)
    compression.init_app(app)
    static_version.init_app(app)  # after compression: its hook runs first (Flask runs them in reverse)
    app.register_blueprint(health.bp)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
