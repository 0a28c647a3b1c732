"""The package's layers point down only: no import cycles, no upward imports, no hidden local imports."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "import_graph.py"


@pytest.fixture(scope="module")
def graph_tool():
    """The measuring script, loaded as a module."""
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def graph(graph_tool):
    """The package's import graph."""
    return graph_tool.build()


def test_no_import_cycles(graph_tool, graph):
    """Do no two modules import each other, directly or round a loop (imports in functions included)?"""
    assert graph_tool.cycles(graph) == []


def test_imports_point_down_the_layers(graph_tool, graph):
    """Does every module import only its own layer or lower ones (grading: only itself)?"""
    assert graph_tool.upward(graph) == []


def test_function_level_imports_say_why(graph_tool, graph):
    """Does every import inside a function carry a one-line reason (a comment on or above it)?"""
    assert [item[:3] for item in graph_tool.function_level(graph) if not item[3]] == []


def test_grading_is_a_pure_library():
    """Does the grading package import no Flask, no SQLAlchemy and nothing of the web app?"""
    root = SCRIPT.parents[1] / "tic_academy" / "grading"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("import flask", "from flask", "sqlalchemy", "flask_babel", "from ..services", "from ..models"):
            if word in text:
                offenders.append(f"{path.relative_to(root)}: {word}")
    assert offenders == []


def test_the_checks_can_fail(graph_tool):
    """Would an upward import and a cycle be caught? (The checks are not vacuous.)"""
    fake = graph_tool.Graph(edges={
        "tic_academy.models.work": {"tic_academy.services.review_queue"},
        "tic_academy.services.review_queue": {"tic_academy.models.work"},
    })
    assert graph_tool.upward(fake) == [("tic_academy.models.work", "tic_academy.services.review_queue")]
    assert graph_tool.cycles(fake) == [["tic_academy.models.work", "tic_academy.services.review_queue"]]


#: The only modules outside grading/ that may import grading's internal modules (grading.notebook, ...):
#: the notebook service, the jobs layer and the curriculum checks. Everyone else uses the package's API.
GRADING_INTERNALS_ALLOWED = ("services/notebooks.py", "jobs/", "curriculum/")


def grading_internal_imports(root: Path) -> list[str]:
    """Modules outside grading/ that import a grading submodule, as "path: import line"."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("grading/"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] == "from" and ".grading." in words[1]:
                found.append(f"{relative}: {line.strip()}")
    return found


def test_grading_internals_are_read_in_one_place():
    """Do only the notebook service, jobs and the curriculum checks import grading's internal modules?"""
    root = SCRIPT.parents[1] / "tic_academy"
    offenders = [item for item in grading_internal_imports(root) if not item.startswith(GRADING_INTERNALS_ALLOWED)]
    assert offenders == []


def test_grading_internals_check_can_fail(tmp_path):
    """Would a view that imports grading.notebook be found?"""
    (tmp_path / "mentor").mkdir()
    (tmp_path / "mentor" / "view.py").write_text("from ..grading.notebook import grade_id\nfrom ..grading import X\n")
    assert grading_internal_imports(tmp_path) == ["mentor/view.py: from ..grading.notebook import grade_id"]


#: Services that may use the app object: only the mail adapter, which sends through the Flask-Mail extension.
APP_STATE_ALLOWED = ("mail.py",)


def services_using_the_app(root: Path) -> list[str]:
    """Service modules that read ``current_app`` (config or app state), as "path: line"."""
    found = []
    for path in sorted((root / "services").rglob("*.py")):
        relative = path.relative_to(root / "services").as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            if "current_app" in line and not line.lstrip().startswith("#"):
                found.append(f"{relative}: {line.strip()}")
    return found


def test_services_read_no_config_and_keep_no_app_state():
    """Do services take settings as arguments instead of reading current_app (config, extensions)?"""
    root = SCRIPT.parents[1] / "tic_academy"
    offenders = [item for item in services_using_the_app(root) if not item.startswith(APP_STATE_ALLOWED)]
    assert offenders == []


def test_app_state_check_can_fail(tmp_path):
    """Would a service that reads current_app.config be found?"""
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "queue.py").write_text("from flask import current_app\nx = 1\n")
    assert services_using_the_app(tmp_path) == ["queue.py: from flask import current_app"]
