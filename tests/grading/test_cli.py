"""The `grade` command."""

import json

import nbformat
import pytest
from click.testing import CliRunner
from flask import Flask

from tic_academy.grading import GradingSettings, make_trainee_version
from tic_academy.jobs.commands import _settings, grade_command


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


def test_settings_come_from_app_config_or_environment(monkeypatch):
    """Does the command read SANDBOX/KERNEL_POOL_SIZE from the app config, else TIC_* variables?"""
    monkeypatch.setenv("TIC_SANDBOX", "none")
    monkeypatch.setenv("TIC_KERNEL_POOL_SIZE", "1")
    assert _settings() == GradingSettings("none", 1)
    app = Flask("probe")
    app.config.update(SANDBOX="bwrap", KERNEL_POOL_SIZE=3)
    with app.app_context():
        assert _settings() == GradingSettings("bwrap", 3)
