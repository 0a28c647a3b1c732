"""Work a fresh process would otherwise do inside its first requests, done at start-up instead.

Measured with cProfile (fresh process, development config, a small SQLite
database): the first request to the admin overview or the mentor queue spent
most of its time configuring the SQLAlchemy mappers, setting up each
relationship's loader the first time a query uses it (with SQLAlchemy's own
lazily imported modules), compiling the Jinja templates of the page and its base
layout, and loading the translation catalogue and Babel's locale data. None of
it depends on the request.

The first notebook a process parses also compiles nbformat's JSON-schema validator (54 ms of CPU, then
0.2 ms a parse): a tiny notebook is parsed here so the first workspace view does not pay for it.

Then the objects alive after start-up (modules, mappers, templates: about a quarter
of a million) are moved out of the garbage collector's reach with ``gc.freeze()``:
they live as long as the worker, yet every full collection walked them. On the
bench's city dashboard (1,000 trainees) that walking was 180 of 278 ms of CPU per
view (``gc.disable()`` gave 98 ms; after ``gc.freeze()`` 129 ms).
gunicorn calls ``warm_up`` in each worker before it accepts requests
(deploy/gunicorn.conf.py ``post_worker_init``); the CLI and the tests do not pay for it.

``start_grading`` does the same for a worker that grades itself (``TIC_RUNNER=local``): its grading
engine, fork server and warm kernels start with the worker, in the background, instead of inside the
first trainee's Run (which took 0.7 s instead of 0.12 s, and put the fork server's start-up, a second of
CPU, in the middle of whatever else the host was doing).
"""
from __future__ import annotations

import gc
import time

import nbformat
from flask import Flask
from flask_babel import force_locale, format_decimal, get_translations
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers, joinedload, selectinload

from ..extensions import db
from ..jobs.runners import get_engine, get_runner


def warm_up(app: Flask) -> float:
    """Configure the mappers and their loaders, compile every template, load each language's catalogue,
    then freeze what is alive; returns the seconds taken."""
    began = time.perf_counter()
    configure_mappers()
    with app.app_context():
        dialect = db.engine.dialect
        for mapper in db.Model.registry.mappers:
            model = mapper.class_
            select(model).compile(dialect=dialect)  # the default loaders of every attribute
            for relationship in mapper.relationships:
                attribute = getattr(model, relationship.key)
                select(model).options(selectinload(attribute)).compile(dialect=dialect)
                select(model).options(joinedload(attribute)).compile(dialect=dialect)
    environment = app.jinja_env
    for name in environment.list_templates(extensions=["html", "txt"]):
        environment.get_template(name)
    nbformat.reads(nbformat.writes(nbformat.v4.new_notebook()), as_version=4)  # compiles the schema validator
    with app.test_request_context():
        for locale in app.config["LANGUAGES"]:
            with force_locale(locale):
                get_translations()
                format_decimal(1234.5)
    gc.collect()
    gc.freeze()  # start-up objects stay for the worker's life: full collections need not walk them
    return time.perf_counter() - began


def start_grading(app: Flask) -> bool:
    """Start this process's grading engine (its kernel pool fills in the background) when the app grades
    in this process (``TIC_RUNNER=local``); True when it did."""
    if app.config.get("RUNNER", "local") != "local":
        return False  # Celery workers grade; they start their own engine (jobs/worker.py)
    get_runner(app)  # the runner's sweep of lost jobs, as the first submission would start it
    get_engine(app)
    return True
