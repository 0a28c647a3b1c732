"""Project exercises in the curriculum: reading ``projects/<id>/``, checking it, and proving it by execution.

A project folder holds ``project.yaml`` (title, limits, points map, manual tasks with a rubric, wrong answers), ``template/`` (the
starter repository), ``tests/`` (hidden pytest files, optionally ``fixtures.py``), ``solution/``
(files laid over the template) and ``wrong/<id>/`` (files laid over the solution, one folder per wrong
answer). See docs/contributing.md "How to add a project exercise".
"""
from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..grading import pysource
from ..grading import checks as check_kinds
from ..grading.hints import hint_problems
from ..grading.messages import describe
from ..grading.project import ProjectSpec, pack_files, pack_tree, with_checks
from ..services import projects as services_projects, repositories
from .trackfile import LOCALISED, SLUG, Problem, read_yaml

#: Folders and files never part of a project (caches a local pytest run leaves behind).
SKIPPED = {"__pycache__", ".pytest_cache", ".venv", ".git"}
#: Test ids are pytest node ids relative to tests/ ("test_x.py::test_y") or "marker:<name>".
#: A project's script of git commands making its solution's history (beside project.yaml), and a wrong answer's.
HISTORY_SCRIPT = "solution.sh"
WRONG_HISTORY = "history.sh"
#: Longest one command of a history script may take while proving.
HISTORY_TIMEOUT_S = 120
#: Check ids and prepared branch names: lowercase letters, digits and dashes.
CHECK_ID = r"^[a-z0-9][a-z0-9-]*$"
POINTS_KEY = r"^(marker:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9_./-]+\.py::[A-Za-z_][\w\[\]\-.]*)$"

PROJECT_SCHEMA = {
    "type": "object",
    "properties": {
        "title": LOCALISED,
        "limits": {
            "type": "object",
            "properties": {
                "total_timeout_s": {"type": "number", "exclusiveMinimum": 0, "maximum": 600},
                "test_timeout_s": {"type": "number", "exclusiveMinimum": 0, "maximum": 120},
                "memory_mb": {"type": "integer", "minimum": 2048},
                "cpu_s": {"type": "integer", "minimum": 1},
            },
            "additionalProperties": False,
        },
        "points": {
            "type": "object",
            "minProperties": 1,
            "patternProperties": {POINTS_KEY: {
                "type": "object",
                # hints/hint_cost: hints on request (grading/hints.py checks them in load_project).
                "properties": {"points": {"type": "number", "exclusiveMinimum": 0}, "task": LOCALISED,
                               "hints": {}, "hint_cost": {}},
                "required": ["points", "task"],
                "additionalProperties": False,
            }},
            "additionalProperties": False,
        },
        "manual": {
            "type": "object",
            "patternProperties": {r"^[a-z0-9][a-z0-9-]*$": {
                "type": "object",
                "properties": {
                    "points": {"type": "number", "exclusiveMinimum": 0},
                    "task": LOCALISED,
                    "rubric": {"type": "string", "minLength": 1},
                },
                "required": ["points", "task", "rubric"],
                "additionalProperties": False,
            }},
            "additionalProperties": False,
        },
        "checks": {
            "type": "object",
            "patternProperties": {CHECK_ID: {
                "type": "object",
                "properties": {
                    "check": {"type": "string"},
                    "points": {"type": "number", "exclusiveMinimum": 0},
                    "task": LOCALISED,
                },
                "required": ["check", "points", "task"],
            }},
            "additionalProperties": False,
        },
        "branches": {
            "type": "object",
            "patternProperties": {CHECK_ID: {
                "type": "object",
                "properties": {
                    "message": {"type": "string", "minLength": 10},
                    "id": {"type": "string"},
                    "en": {"type": "string"},
                },
                "required": ["message"],
                "additionalProperties": False,
            }},
            "additionalProperties": False,
        },
        "wrong_answers": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "id": SLUG,
                "reason": {"type": "string", "minLength": 10},
                "targets": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
            "required": ["id", "reason", "targets"],
            "additionalProperties": False,
        }},
    },
    "required": ["title", "points"],
    "additionalProperties": False,
}


@dataclass
class ProjectFile:
    """One project exercise of a valid track, with its folder read from disk."""

    track: str
    stage: str
    entry: dict
    path: Path
    label: str
    data: dict | None = None
    spec: ProjectSpec | None = None
    template: dict = field(default_factory=dict)
    solution: dict = field(default_factory=dict)
    #: {wrong answer id: files laid over the solution}
    wrong: dict = field(default_factory=dict)
    #: {wrong answer id: its history.sh}: a wrong answer made of git commands instead of files.
    wrong_history: dict = field(default_factory=dict)
    #: The project's solution.sh (git commands that make the solution's history), "" when it has none.
    solution_history: str = ""
    checksum: str = ""

    def solution_files(self) -> dict[str, bytes]:
        """The template with the solution laid over it."""
        return {**self.template, **self.solution}

    def wrong_files(self, wrong_id: str) -> dict[str, bytes]:
        """The solution with one wrong answer's files laid over it."""
        return {**self.solution_files(), **self.wrong[wrong_id]}

    def template_archive(self) -> bytes:
        """The template folder as tar.gz (stored in the version; every repository starts from it)."""
        return pack_tree(self.path / "template", skip=SKIPPED)

    @property
    def limits(self) -> dict:
        """Limit overrides for the grading (the per-test limit travels in the spec)."""
        limits = dict((self.data or {}).get("limits") or {})
        limits.pop("test_timeout_s", None)
        return limits


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file under a folder as {relative path: bytes}, caches left out."""
    if not folder.is_dir():
        return {}
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not path.is_symlink() and not SKIPPED & set(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def checksum_of(folder: Path) -> str:
    """SHA-256 over every file of the project folder (names and contents): a new version when any changes."""
    digest = hashlib.sha256()
    for name, data in read_folder(folder).items():
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def load_project(project: ProjectFile) -> list[Problem]:
    """Read and check one project folder (no execution); fills in the project and returns its problems."""
    label = project.label
    yaml_path = project.path / "project.yaml"
    if not yaml_path.is_file():
        return [Problem(label, "", "project.yaml is missing")]
    data, problems = read_yaml(yaml_path, f"{label}/project.yaml", PROJECT_SCHEMA)
    if data is None:
        return problems
    for folder in ("template", "tests", "solution"):
        if not (project.path / folder).is_dir():
            problems.append(Problem(label, folder, f"the {folder}/ folder is missing"))
    if problems:
        return problems
    project.data = data
    project.template = read_folder(project.path / "template")
    project.solution = read_folder(project.path / "solution")
    hidden = {name: data_.decode("utf-8", "replace") for name, data_ in read_folder(project.path / "tests").items()
              if name.endswith(".py")}
    test_files = [name for name in hidden if Path(name).name.startswith("test_")]
    if not test_files:
        problems.append(Problem(label, "tests", "no hidden test files (tests/test_*.py)"))
    for required in ("README.md", "requirements.txt"):
        if required not in project.template:
            problems.append(Problem(label, "template", f"the template needs a {required}"))
    problems += hidden_in_template(label, hidden, project.template)
    problems += hidden_imports_package(label, hidden, project.template)
    limits = data.get("limits") or {}
    checks = data.get("checks") or {}
    branches, branch_problems = read_branches(project, data.get("branches") or {})
    problems += branch_problems + check_problems(label, checks, data.get("manual") or {}, branches)
    for key, entry in data["points"].items():
        if "hints" in entry or "hint_cost" in entry:
            problems += [Problem(label, f"points: {key}", text)
                         for text in hint_problems(entry.get("hints"), entry.get("hint_cost", 0))]
    project.spec = ProjectSpec(points=data["points"], hidden=hidden, test_timeout_s=float(limits.get("test_timeout_s", 10)),
                               manual=data.get("manual") or {}, checks=checks, branches=branches)
    if (project.path / HISTORY_SCRIPT).is_file():
        project.solution_history = (project.path / HISTORY_SCRIPT).read_text(encoding="utf-8")
    seen = set()
    for index, wrong in enumerate(data.get("wrong_answers") or []):
        where = f"wrong_answers[{index}]"
        if wrong["id"] in seen:
            problems.append(Problem(label, where, f"duplicate wrong answer id {wrong['id']!r}"))
        seen.add(wrong["id"])
        files = read_folder(project.path / "wrong" / wrong["id"])
        history = files.pop(WRONG_HISTORY, None)
        if history is not None:
            project.wrong_history[wrong["id"]] = history.decode("utf-8")
        if not files and history is None:
            problems.append(Problem(label, where, f"no files in wrong/{wrong['id']}/"))
        if history is not None and not checks:
            problems.append(Problem(label, where, f"wrong/{wrong['id']}/{WRONG_HISTORY} needs checks: in project.yaml"))
        project.wrong[wrong["id"]] = files
        for target in wrong["targets"]:
            if target not in data["points"] and target not in checks:
                problems.append(Problem(label, where, f"target {target!r} is not in the points map or the checks"))
    if project.solution_history and not checks:
        problems.append(Problem(label, HISTORY_SCRIPT, "a history script needs checks: in project.yaml"))
    project.checksum = checksum_of(project.path)
    return problems


def read_branches(project: ProjectFile, declared: dict) -> tuple[dict, list[Problem]]:
    """The prepared branches ({name: {"message", "files"}}) from ``branches/<name>/``, and their problems."""
    label, problems, branches = project.label, [], {}
    folder = project.path / "branches"
    for name, entry in declared.items():
        if name == "main":
            problems.append(Problem(label, "branches", "a prepared branch cannot be called main"))
            continue
        files = read_folder(folder / name)
        if not files:
            problems.append(Problem(label, f"branches/{name}", "no files in this prepared branch's folder"))
        texts = {}
        for path, data in files.items():
            try:
                texts[path] = data.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(Problem(label, f"branches/{name}/{path}", "a prepared branch's file must be UTF-8 text"))
        if texts and all(project.template.get(path) == text.encode("utf-8") for path, text in texts.items()):
            problems.append(Problem(label, f"branches/{name}", "the branch changes nothing of the template"))
        branches[name] = {"message": entry["message"], "files": texts}
    if folder.is_dir():
        for extra in sorted(path.name for path in folder.iterdir() if path.is_dir() and path.name not in declared):
            problems.append(Problem(label, f"branches/{extra}", "a folder with no entry under branches: in project.yaml"))
    return branches, problems


def check_problems(label: str, checks: dict, manual: dict, branches: dict) -> list[Problem]:
    """Every check's parameters valid, its id not a manual task's, its branches prepared ones."""
    problems = []
    for check_id, check in checks.items():
        where = f"checks.{check_id}"
        problems += [Problem(label, where, problem) for problem in check_kinds.problems_of(check_id, check)]
        if check_id in manual:
            problems.append(Problem(label, where, "the same id as a manual task"))
        for branch in check.get("branches") or [] if isinstance(check.get("branches"), list) else []:
            if branch not in branches:
                problems.append(Problem(label, where, f"{branch!r} is not a prepared branch (branches: in project.yaml)"))
    return problems


def hidden_in_template(label: str, hidden: dict[str, str], template: dict[str, bytes]) -> list[Problem]:
    """A hidden test file must not appear in the template, by name or by content."""
    problems = []
    names = {Path(name).name for name in template}
    contents = {data.decode("utf-8", "replace").strip() for data in template.values()}
    for name, text in hidden.items():
        if Path(name).name in names and Path(name).name != "__init__.py":
            problems.append(Problem(label, f"tests/{name}", "a hidden test file appears in the template (same name)"))
        elif text.strip() and text.strip() in contents:
            problems.append(Problem(label, f"tests/{name}", "a hidden test file appears in the template (same content)"))
    return problems


def template_packages(template: dict[str, bytes]) -> set[str]:
    """The top-level modules and packages of the trainee's code in the template (its tests/ excluded)."""
    names = set()
    for name in template:
        parts = Path(name).parts
        if name.endswith(".py") and parts[0] not in ("tests", "test"):
            names.add(Path(parts[0]).stem if len(parts) == 1 else parts[0])
    return names


def hidden_imports_package(label: str, hidden: dict[str, str], template: dict[str, bytes]) -> list[Problem]:
    """Hidden tests run in the harness: they reach the trainee's package through modul(), never by import."""
    packages = template_packages(template)
    problems = []
    for name, text in hidden.items():
        try:
            tree = pysource.parse(text)
        except (SyntaxError, ValueError) as error:
            problems.append(Problem(label, f"tests/{name}", f"not valid Python: {error}"))
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                if module.split(".")[0] in packages:
                    problems.append(Problem(label, f"tests/{name}", f"imports the trainee's package ({module}); "
                                            f"hidden tests get it through the modul fixture: modul({module!r})"))
    return problems


# --- proof by execution ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectGrading:
    """One grading a project's proof needs: the solution, the template, or one wrong answer."""

    project: ProjectFile
    kind: str  # solution | template | wrong
    wrong: dict | None = None

    def files(self) -> dict[str, bytes]:
        """The files graded."""
        if self.kind == "template":
            return self.project.template
        if self.kind == "wrong":
            return self.project.wrong_files(self.wrong["id"])
        return self.project.solution_files()


def planned_gradings(project: ProjectFile) -> list[ProjectGrading]:
    """One sandbox run per variant: solution, template, each wrong answer."""
    gradings = [ProjectGrading(project, "solution"), ProjectGrading(project, "template")]
    gradings += [ProjectGrading(project, "wrong", wrong) for wrong in (project.data or {}).get("wrong_answers") or []]
    return gradings


def run_grading(grading: ProjectGrading, engine):
    """Grade one variant; the result, or the exception that stopped it."""
    if isinstance(engine, dict):
        engine = engine[min(engine)]
    try:
        if grading.project.spec.checks:
            return grade_with_history(grading, engine)
        return engine.grade_project(grading.project.spec, pack_files(grading.files()), limits=grading.project.limits)
    except Exception as error:  # noqa: BLE001 - a grading that cannot run is a problem to report, not a crash
        return error


def grade_with_history(grading: ProjectGrading, engine):
    """Grade a variant as a trainee's push: a fresh repository, the variant's commits pushed to main, checks included."""
    project = grading.project
    with tempfile.TemporaryDirectory(prefix="tic-proof-") as folder:
        repo = Path(folder) / "repo.git"
        template = Path(folder) / "template"
        write_files(project.template, template)
        repositories.create_from_template(repo, template, services_projects.TEMPLATE_COMMIT_MESSAGE, project.spec.branches)
        if grading.kind != "template":
            make_history(grading, repo, Path(folder))
        sha = repositories.head(repo)
        result = engine.grade_project(project.spec, services_projects.snapshot_of(repo, sha), limits=project.limits)
        return with_checks(result, services_projects.check_commit(project.spec, repo, sha))


def make_history(grading: ProjectGrading, repo: Path, folder: Path) -> None:
    """Clone the repository, make the variant's commits there as a trainee would, push main."""
    project, work = grading.project, folder / "kerja"
    env = history_env(project, grading, folder)
    _run(["git", "clone", "-q", str(repo), str(work)], folder, env)
    wrong_id = grading.wrong["id"] if grading.wrong else None
    if wrong_id in project.wrong_history:
        _run(["sh", "-e", "-c", project.wrong_history[wrong_id]], work, env)
    elif project.solution_history:
        _run(["sh", "-e", "-c", project.solution_history], work, env)
    else:
        _commit_files(work, project.solution, "Menyelesaikan tugas proyek sesuai README", env)
    if wrong_id and project.wrong[wrong_id]:
        _commit_files(work, project.wrong[wrong_id], f"Menerapkan jawaban salah {wrong_id} untuk validasi", env)
    _run(["git", "push", "-q", "origin", "main"], work, env)


def history_env(project: ProjectFile, grading: ProjectGrading, folder: Path) -> dict[str, str]:
    """The environment of a history script: no host git config, a trainee's name, the project's folders."""
    config = folder / "gitconfig"
    config.write_text("[user]\n\tname = Peserta Validasi\n\temail = peserta@tic.test\n"
                      "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n", encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder), "LC_ALL": "C.UTF-8",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(config), "GIT_TERMINAL_PROMPT": "0",
           "GIT_EDITOR": "true", "PROYEK": str(project.path.resolve()),
           "SOLUSI": str((project.path / "solution").resolve())}
    if grading.wrong:
        env["SALAH"] = str((project.path / "wrong" / grading.wrong["id"]).resolve())
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Run one command of a history; RuntimeError with its output when it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=HISTORY_TIMEOUT_S)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
        raise RuntimeError(f"{' '.join(command[:3])} failed: {output}")


def _commit_files(work: Path, files: dict[str, bytes], subject: str, env: dict[str, str]) -> None:
    """Lay files over the clone's tree and commit them on main."""
    write_files(files, work)
    _run(["git", "add", "-A", "."], work, env)
    _run(["git", "commit", "-q", "-m", subject], work, env)


def write_files(files: dict[str, bytes], folder: Path) -> None:
    """Write {relative path: bytes} under a folder."""
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def judge_project(project: ProjectFile, graded: list[tuple[ProjectGrading, object]]) -> list[Problem]:
    """The solution passes every graded test unflagged; the template fails each; every wrong answer loses points."""
    label, problems = project.label, []
    for grading, result in graded:
        what = f"wrong answer {grading.wrong['id']}" if grading.wrong else f"the {grading.kind}"
        if isinstance(result, Exception) or result.error:
            problems.append(Problem(label, "", f"{what} could not be graded: {result if isinstance(result, Exception) else describe(result.error)}"))
            continue
        if grading.kind == "solution":
            problems += _solution_problems(project, result)
        elif grading.kind == "template":
            problems += [Problem(label, f"test {t.grade_id}", "passes on the template: it tests nothing the trainee writes")
                         for t in result.tests if t.points > 0]
        else:
            targets = [t for t in result.tests if t.grade_id in grading.wrong["targets"]]
            if not any(t.points < t.max_points for t in targets):
                problems.append(Problem(label, f"wrong answer {grading.wrong['id']}",
                                        f"not caught: {', '.join(grading.wrong['targets'])} still earn full points; "
                                        f"reason: {grading.wrong['reason']}"))
    return problems


def _solution_problems(project: ProjectFile, result) -> list[Problem]:
    """Every entry passes, the points map and the collected tests agree, nothing is flagged."""
    label, problems = project.label, []
    for test in result.tests:
        if test.status != "passed":
            problems.append(Problem(label, f"test {test.grade_id}", f"the solution does not pass ({test.status}: {describe(test.message)})"))
    markers = [key for key in project.spec.points if key.startswith("marker:")]
    for test_id in result.collected:
        covered_by = [key for key in project.spec.points if key == test_id]
        if not covered_by and not any(_has_marker(result, test_id, key) for key in markers):
            problems.append(Problem(label, f"test {test_id}", "a hidden test is not in the points map"))
    for flag in result.flags:
        problems.append(Problem(label, flag.grade_id, f"the solution is flagged ({flag.code}): {flag.message}"))
    return problems


def _has_marker(result, test_id: str, key: str) -> bool:
    """Did pytest report this test with the marker of a ``marker:`` key?"""
    return key.split(":", 1)[1] in result.collected.get(test_id, [])


def prove_projects(projects: list[ProjectFile], engine) -> list[Problem]:
    """Grade every variant of every project (one after another: each is one short sandbox run)."""
    problems = []
    for project in projects:
        graded = [(grading, run_grading(grading, engine)) for grading in planned_gradings(project)]
        problems += judge_project(project, graded)
    return problems
