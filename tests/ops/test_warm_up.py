"""Start-up warm-up: the first request's one-off work is done before a gunicorn worker serves."""
import ast
from pathlib import Path

from tic_academy.ops import warm_up as warm_up_module
from tic_academy.ops.warm_up import warm_up

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_compiles_every_template_and_loads_the_catalogues(app, monkeypatch):
    """After warm_up, are the overview's and the queue's templates compiled, the catalogues loaded and
    the start-up objects frozen out of the garbage collector's walks?"""
    frozen = []
    monkeypatch.setattr(warm_up_module.gc, "freeze", lambda: frozen.append(True))  # not the test process's objects
    seconds = warm_up(app)
    assert seconds > 0 and frozen == [True]
    cached = {key[1] for key in app.jinja_env.cache.keys()}
    assert {"admin/home.html", "mentor/home.html", "base.html"} <= cached
    babel = app.extensions["babel"]
    assert len(babel.instance.domain_instance.cache) >= len(app.config["LANGUAGES"])


def test_gunicorn_warms_each_worker_up():
    """Does the gunicorn configuration call warm_up in post_worker_init?"""
    tree = ast.parse((ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8"))
    hooks = {node.name: ast.unparse(node) for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert "warm_up(worker.wsgi)" in hooks["post_worker_init"]
