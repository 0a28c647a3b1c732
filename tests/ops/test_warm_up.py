"""Start-up warm-up: the first request's one-off work is done before a gunicorn worker serves."""
import ast
from pathlib import Path

from tic_academy.ops import warm_up as warm_up_module
from tic_academy.ops.warm_up import start_grading, warm_up

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


def test_a_worker_that_grades_starts_its_engine_at_start_up(app, monkeypatch):
    """With TIC_RUNNER=local, does start_grading start the runner and the grading engine (kernel pool)
    before the first Run; with the Celery runner, does it leave grading to the Celery workers?"""
    started = []
    monkeypatch.setattr(warm_up_module, "get_engine", lambda flask_app: started.append(("engine", flask_app)))
    monkeypatch.setattr(warm_up_module, "get_runner", lambda flask_app: started.append(("runner", flask_app)))
    app.config["RUNNER"] = "celery"
    assert start_grading(app) is False and started == []
    app.config["RUNNER"] = "local"
    assert start_grading(app) is True
    assert started == [("runner", app), ("engine", app)]


def test_gunicorn_starts_grading_after_the_warm_up():
    """Does post_worker_init call start_grading on the worker's app?"""
    tree = ast.parse((ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8"))
    hooks = {node.name: ast.unparse(node) for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert "start_grading(worker.wsgi)" in hooks["post_worker_init"]


def test_each_celery_worker_process_starts_its_engine(monkeypatch):
    """Does a Celery worker process start its grading engine when it starts (worker_process_init)?"""
    from celery.signals import worker_process_init

    from tic_academy.jobs import celery_app

    started = []
    monkeypatch.setattr(celery_app, "get_engine", started.append)
    worker_process_init.send(sender=None)
    assert started == [celery_app.flask_app]


def test_warm_up_compiles_the_notebook_validator(app, monkeypatch):
    """After warm_up, does parsing a notebook (the first workspace view) compile no JSON schema?"""
    import fastjsonschema
    import nbformat

    from tests.notebook_factory import exercise_notebook

    import nbformat.validator

    monkeypatch.setattr(warm_up_module.gc, "freeze", lambda: None)
    monkeypatch.setattr(nbformat.validator, "validators", {})  # as in a new worker, whatever ran before here
    warm_up(app)
    compiled = []
    real = fastjsonschema.compile
    monkeypatch.setattr(fastjsonschema, "compile", lambda *args, **kwargs: compiled.append(1) or real(*args, **kwargs))
    nbformat.reads(nbformat.writes(exercise_notebook(points=1)), as_version=4)
    assert compiled == []
