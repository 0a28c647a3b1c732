"""The `grade` command."""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from tic_academy.grading import GradingSettings, make_trainee_version
from tic_academy.jobs.grade import grade_command

ANSWER = "def tambah(a, b):\n    return a + b"


def _files(tmp_path, nbf, answer):
    """Write the source and a trainee submission with this answer; return their paths."""
    source = tmp_path / "sumber.ipynb"
    source.write_text(nbformat.writes(nbf.exercise()))
    submission = make_trainee_version(nbf.exercise())
    submission.cells[2].source = answer
    path = tmp_path / "kiriman.ipynb"
    path.write_text(nbformat.writes(submission))
    return str(source), str(path)


@pytest.mark.kernel
@pytest.mark.parametrize("answer, score", [("def tambah(a, b):\n    return a + b", 3),
                                           ("def tambah(a, b):\n    return abs(a) + b", 1)])
def test_grade_prints_json_and_exits_zero(tmp_path, nbf, answer, score):
    """Does `grade --json` print the score and tests and exit 0 whatever the score?"""
    result = CliRunner().invoke(grade_command, [*_files(tmp_path, nbf, answer), "--json"],
                                env={"TIC_SANDBOX": "bwrap"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["score"], data["max_score"]) == (score, 3)
    assert set(data["tests"][0]) == {"grade_id", "status", "points", "max_points", "message", "title", "hint", "title_en"}
    assert {"flags", "duration_s"} <= set(data)
    assert data["isolation"]["sandbox"] == "bwrap" and data["isolation"]["seccomp"] is True
    assert data["isolation"]["total_bound"] in ("cgroup2", "cgroup1", "rlimits")


@pytest.mark.kernel
def test_grade_check_mode(tmp_path, nbf):
    """Does `--mode check` leave the hidden test out?"""
    answer = "def tambah(a, b):\n    return abs(a) + b"
    result = CliRunner().invoke(grade_command, [*_files(tmp_path, nbf, answer), "--mode", "check", "--json"])
    assert json.loads(result.output)["score"] == 3


def test_unusable_input_exits_non_zero_with_one_line(tmp_path, nbf):
    """Does a malformed submission give a non-zero exit and a one-line error?"""
    source, _ = _files(tmp_path, nbf, "")
    bad = tmp_path / "rusak.ipynb"
    bad.write_text("{ bukan notebook")
    result = CliRunner().invoke(grade_command, [source, str(bad), "--json"], env={"TIC_SANDBOX": "bwrap"})
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "JSON" in result.output


def test_missing_file_exits_non_zero(tmp_path, nbf):
    """Does a missing file give a non-zero exit and a one-line error?"""
    source, _ = _files(tmp_path, nbf, "")
    result = CliRunner().invoke(grade_command, [source, str(tmp_path / "tidak-ada.ipynb")])
    assert result.exit_code != 0 and "tidak-ada.ipynb" in result.output


def test_settings_come_from_the_environment(monkeypatch):
    """Does the command read its sandbox settings from the TIC_* variables (it loads no app config)?"""
    monkeypatch.setenv("TIC_SANDBOX", "none")
    monkeypatch.setenv("TIC_KERNEL_POOL_SIZE", "1")
    assert GradingSettings.from_env() == GradingSettings("none", 1)


#: What the grading module must not load: the web app, its blueprints, the models and the migrations.
WEB_APP_MODULES = ("flask", "flask_migrate", "alembic", "sqlalchemy", "flask_sqlalchemy", "tic_academy.factory",
                   "tic_academy.models", "tic_academy.extensions", "tic_academy.admin", "tic_academy.auth",
                   "tic_academy.trainee", "tic_academy.mentor", "tic_academy.opd", "tic_academy.discussion",
                   "tic_academy.certificates", "tic_academy.errors", "tic_academy.gitserve")
ROOT = Path(__file__).resolve().parents[2]


def _run_with_importtime(args, env=None):
    """Run `python -X importtime ARGS` in the project folder; return (process, names of the modules it imported)."""
    process = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, **(env or {})}, timeout=120)
    modules = {line.rpartition("|")[2].strip() for line in process.stderr.splitlines() if line.startswith("import time:")}
    return process, modules


def _web_app_modules(modules):
    """The modules of WEB_APP_MODULES (or inside them) among these."""
    return sorted(name for name in modules if any(name == top or name.startswith(top + ".") for top in WEB_APP_MODULES))


@pytest.mark.kernel
def test_grade_module_loads_no_web_app(tmp_path, nbf):
    """Does `python -m tic_academy.jobs.grade` grade without importing Flask, the app, blueprints, models or Alembic?"""
    process, modules = _run_with_importtime(["-m", "tic_academy.jobs.grade", *_files(tmp_path, nbf, ANSWER), "--json"],
                                            env={"TIC_SANDBOX": "bwrap"})
    assert process.returncode == 0, process.stderr[-2000:]
    assert json.loads(process.stdout)["score"] == 3
    assert "tic_academy.grading.engine" in modules  # the list is read right
    assert _web_app_modules(modules) == []


@pytest.mark.kernel
def test_flask_grade_loads_no_web_app(tmp_path, nbf):
    """Does `flask --app wsgi grade` find the command through its entry point, before Flask loads the app?"""
    process, modules = _run_with_importtime(["-m", "flask", "--app", "wsgi", "grade", *_files(tmp_path, nbf, ANSWER),
                                             "--json"], env={"TIC_SANDBOX": "bwrap"})
    assert process.returncode == 0, process.stderr[-2000:]
    assert json.loads(process.stdout)["score"] == 3
    # Flask itself runs the command line; nothing of the app, its extensions, blueprints or Alembic loads.
    assert [name for name in _web_app_modules(modules) if name != "flask" and not name.startswith("flask.")] == []


def test_the_import_check_sees_the_web_app(tmp_path):
    """Would the checks above catch the web app? `flask --app wsgi routes` loads it."""
    process, modules = _run_with_importtime(["-m", "flask", "--app", "wsgi", "routes"])
    assert process.returncode == 0, process.stderr[-2000:]
    assert {"flask_migrate", "alembic", "tic_academy.models", "tic_academy.admin"} <= set(_web_app_modules(modules))


@pytest.mark.kernel
def test_grade_module_words_messages_in_indonesian(tmp_path, nbf):
    """Does the module's text output word a failed test in Indonesian, as `flask grade` does?"""
    source = tmp_path / "sumber.ipynb"
    source.write_text(nbformat.writes(nbf.notebook(nbf.answer_cell(), nbf.test_cell("assert tambah(1, 2) == 4", "tes-a"))))
    submission = make_trainee_version(nbformat.reads(source.read_text(), as_version=4))
    submission.cells[0].source = ANSWER
    answer = tmp_path / "kiriman.ipynb"
    answer.write_text(nbformat.writes(submission))
    process = subprocess.run([sys.executable, "-m", "tic_academy.jobs.grade", str(source), str(answer)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr[-2000:]
    assert process.stdout.startswith("Skor: 0 / 1")
    assert "  tes-a: failed 0/1 Hasil kode Anda: 3 · diharapkan (==): 4" in process.stdout.splitlines()
    with_app = CliRunner().invoke(grade_command, [str(source), str(answer)])
    assert with_app.exit_code == 0
    assert with_app.output.splitlines()[2:] == process.stdout.splitlines()[2:]
