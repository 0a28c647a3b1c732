"""Every check of ``flask curriculum validate``: structure, notebooks, proof by execution."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..grading import GradingEngine, find_problems, make_trainee_version
from ..grading.notebook import grade_id, is_answer, is_test, marker, points
from .projects import ProjectFile, load_project, prove_projects
from .proof import HASH_SEEDS, NOT_CAUGHT, prove_all
from .strength import SIDECAR_SUFFIX, check_sidecar, read_sidecar, sidecar_path
from .trackfile import Problem, read_track

RULE_CHECKS_WITH_NAMES = ("require_call", "forbid_call", "forbid_import")
#: Wrong answers the shipped track needs per project (with --require-wrong-answers).
PROJECT_WRONG_ANSWERS = 2


@dataclass
class Layout:
    """Where the track files and notebooks of a curriculum tree are."""

    root: Path
    track_files: list[Path]

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def projects_dir(self) -> Path:
        return self.root / "projects"


@dataclass
class ExerciseFile:
    """One exercise of a valid track, with its notebook read from disk."""

    track: str
    stage: str
    entry: dict
    path: Path
    label: str
    text: str = ""
    notebook: object = None
    #: The wrong-answer sidecar (``<stem>.wrong.yaml``), when there is a valid one.
    sidecar: dict | None = None
    sidecar_label: str = ""


@dataclass
class Report:
    """The outcome of a validation run."""

    problems: list[Problem] = field(default_factory=list)
    tracks: list[dict] = field(default_factory=list)
    exercises: list[ExerciseFile] = field(default_factory=list)
    #: The project exercises (kind: project) of the valid tracks.
    projects: list[ProjectFile] = field(default_factory=list)
    #: Every project folder a track names (kept whole when ``only`` narrows ``projects``).
    project_folders: set[Path] = field(default_factory=set)
    #: Wrong answers graded by the proof, and how many of them were not caught.
    wrong_answers: int = 0
    not_caught: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def find_layout(path: Path) -> Layout:
    """Accept a project root, a ``curricula/`` folder or one track file."""
    path = path.resolve()
    if path.is_file():
        return Layout(root=path.parent.parent, track_files=[path])
    if (path / "curricula").is_dir():
        path = path / "curricula"
    return Layout(root=path.parent, track_files=sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))


def check_structure(layout: Layout, report: Report) -> None:
    """Schema, unique ids, weeks, thresholds, referenced and unreferenced notebooks."""
    if not layout.track_files:
        report.problems.append(Problem(str(layout.root), "", "no track files (curricula/*.yaml)"))
    seen_tracks: dict[str, str] = {}
    referenced: set[Path] = set()
    for path in layout.track_files:
        label = _label(path, layout.root)
        data, problems = read_track(path, label)
        report.problems.extend(problems)
        if data is None:
            continue
        if data["id"] in seen_tracks:
            report.problems.append(Problem(label, "id", f"track id {data['id']!r} is also used in {seen_tracks[data['id']]}"))
            continue
        seen_tracks[data["id"]] = label
        if path.stem != data["id"]:
            report.problems.append(Problem(label, "id", f"track id {data['id']!r} must match the file name {path.stem!r}"))
        _check_track(data, label, layout, report, referenced)
        report.tracks.append(data)
    if layout.notebooks_dir.is_dir():
        for notebook in sorted(layout.notebooks_dir.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in notebook.parts:
                continue
            if notebook.resolve() not in referenced:
                report.problems.append(Problem(_label(notebook, layout.root), "", "notebook is not referenced by any track"))
        for sidecar in sorted(layout.notebooks_dir.rglob("*" + SIDECAR_SUFFIX)):
            notebook = sidecar.with_name(sidecar.name[: -len(SIDECAR_SUFFIX)] + ".ipynb")
            if not notebook.is_file():
                report.problems.append(Problem(_label(sidecar, layout.root), "", f"wrong answers for a notebook that does not exist: {notebook.name}"))


def _check_track(data: dict, label: str, layout: Layout, report: Report, referenced: set[Path]) -> None:
    stage_ids: set[str] = set()
    exercise_ids: set[str] = set()
    for s_index, stage in enumerate(data["stages"]):
        where = f"stages[{s_index}]"
        if stage["id"] in stage_ids:
            report.problems.append(Problem(label, f"{where}.id", f"duplicate stage id {stage['id']!r}"))
        stage_ids.add(stage["id"])
        first, last = stage["weeks"]
        if not 1 <= first <= last <= data["weeks"]:
            report.problems.append(Problem(label, f"{where}.weeks", f"weeks {first}-{last} are not within the track's 1-{data['weeks']}"))
        if not 0 <= stage["pass_threshold"] <= 1:
            report.problems.append(Problem(label, f"{where}.pass_threshold", f"threshold {stage['pass_threshold']} is not within 0..1"))
        for e_index, entry in enumerate(stage["exercises"]):
            e_where = f"{where}.exercises[{e_index}]"
            if entry["id"] in exercise_ids:
                report.problems.append(Problem(label, f"{e_where}.id", f"duplicate exercise id {entry['id']!r}"))
            exercise_ids.add(entry["id"])
            if not first <= entry["week"] <= last:
                report.problems.append(Problem(label, f"{e_where}.week", f"week {entry['week']} is outside the stage's weeks {first}-{last}"))
            report.problems.extend(_rule_problems(entry.get("rules") or [], label, e_where))
            if entry.get("kind") == "project":
                _check_project_entry(data["id"], stage["id"], entry, label, e_where, layout, report)
                continue
            path = (layout.notebooks_dir / entry["notebook"]).resolve()
            if layout.notebooks_dir.resolve() not in path.parents:
                report.problems.append(Problem(label, f"{e_where}.notebook", "notebook path must stay inside notebooks/"))
                continue
            if not path.is_file():
                report.problems.append(Problem(label, f"{e_where}.notebook", f"notebook not found: notebooks/{entry['notebook']}"))
                continue
            referenced.add(path)
            report.exercises.append(
                ExerciseFile(data["id"], stage["id"], entry, path, _label(path, layout.root))
            )


def _check_project_entry(track: str, stage: str, entry: dict, label: str, where: str, layout: Layout,
                         report: Report) -> None:
    """A project entry names an existing folder under projects/."""
    path = (layout.projects_dir / entry["project"]).resolve()
    if not path.is_dir():
        report.problems.append(Problem(label, f"{where}.project", f"project not found: projects/{entry['project']}"))
        return
    report.projects.append(ProjectFile(track, stage, entry, path, _label(path, layout.root)))
    report.project_folders.add(path)


def check_projects(report: Report, layout: Layout, require_wrong_answers: bool = False) -> list[ProjectFile]:
    """Read and check every project folder (no execution); returns the usable ones."""
    usable = []
    for project in report.projects:
        problems = load_project(project)
        if not problems and require_wrong_answers and len(project.wrong) < PROJECT_WRONG_ANSWERS:
            problems.append(Problem(project.label, "wrong_answers", f"a project needs at least {PROJECT_WRONG_ANSWERS} wrong answers"))
        report.problems.extend(problems)
        if not problems:
            usable.append(project)
    if layout.projects_dir.is_dir():
        for folder in sorted(layout.projects_dir.iterdir()):
            if folder.is_dir() and folder.resolve() not in report.project_folders:
                report.problems.append(Problem(_label(folder, layout.root), "", "project is not referenced by any track"))
    return usable


def _rule_problems(rules: list[dict], label: str, where: str) -> list[Problem]:
    """Rule ids unique in the exercise; each check has what it needs (names or values)."""
    problems, seen = [], set()
    for index, rule in enumerate(rules):
        r_where = f"{where}.rules[{index}]"
        if rule["id"] in seen:
            problems.append(Problem(label, f"{r_where}.id", f"duplicate rule id {rule['id']!r}"))
        seen.add(rule["id"])
        if rule["check"] in RULE_CHECKS_WITH_NAMES and not rule.get("names"):
            problems.append(Problem(label, r_where, f"a {rule['check']} rule needs names"))
        if rule["check"] == "no_literal" and not rule.get("values"):
            problems.append(Problem(label, r_where, "a no_literal rule needs values"))
    return problems


def check_rule_cells(exercise: ExerciseFile) -> list[Problem]:
    """Every cell a rule names is a code answer cell of the notebook."""
    answers = {grade_id(c) for c in exercise.notebook.cells if is_answer(c) and c.cell_type == "code"}
    problems = []
    for rule in exercise.entry.get("rules") or []:
        for cell in rule.get("cells") or []:
            if cell not in answers:
                problems.append(Problem(exercise.label, f"rule {rule['id']}", f"cell {cell!r} is not a code answer cell of the notebook"))
    return problems


def check_wrong_answers(exercise: ExerciseFile, root: Path, require: bool) -> list[Problem]:
    """Read and check the exercise's wrong-answer sidecar (required to exist when ``require``)."""
    path = sidecar_path(exercise.path)
    exercise.sidecar_label = _label(path, root)
    if not path.is_file():
        return [Problem(exercise.sidecar_label, "", "no wrong answers: the file is missing")] if require else []
    data, problems = read_sidecar(path, exercise.sidecar_label)
    if data is None:
        return problems
    rule_ids = [rule["id"] for rule in exercise.entry.get("rules") or []]
    problems = check_sidecar(data, exercise.notebook, rule_ids, exercise.sidecar_label, require)
    exercise.sidecar = data
    return problems


def check_notebooks(report: Report, root: Path | None = None, require_wrong_answers: bool = False) -> list[ExerciseFile]:
    """Format rules, no stored outputs, hidden tests present, rules and wrong answers; returns the usable exercises."""
    usable = []
    for exercise in report.exercises:
        exercise.text = exercise.path.read_text(encoding="utf-8", errors="replace")
        problems = find_problems(exercise.text)
        report.problems.extend(Problem(exercise.label, "", p) for p in problems)
        if problems:
            continue
        exercise.notebook = nbformat.reads(exercise.text, as_version=4)
        before = len(report.problems)
        for index, cell in enumerate(exercise.notebook.cells):
            where = _cell_where(index, cell)
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
                report.problems.append(Problem(exercise.label, where, "source notebooks must not store outputs"))
        tests = [c for c in exercise.notebook.cells if is_test(c)]
        if tests and not any(_region_lines(c.source, "HIDDEN TESTS") for c in tests):
            report.problems.append(Problem(exercise.label, "", "an autograded exercise needs at least one hidden test"))
        if not tests and not any(is_answer(c) and points(c) for c in exercise.notebook.cells):
            report.problems.append(Problem(exercise.label, "", "no graded cells: nothing to grade"))
        report.problems.extend(check_rule_cells(exercise))
        report.problems.extend(check_wrong_answers(exercise, root or exercise.path.parent, require_wrong_answers))
        if len(report.problems) == before:
            usable.append(exercise)
    return usable


def check_trainee_version(exercise: ExerciseFile) -> list[Problem]:
    """The trainee version must hold no hidden test and no solution text."""
    trainee = make_trainee_version(exercise.notebook)
    text = "\n".join(cell.source for cell in trainee.cells)
    # A line may fairly appear both inside a region and in visible code (e.g.
    # "except ValueError:"); it leaks when the trainee version holds it more
    # often than the visible parts of the source do.
    visible = "\n".join(_outside_regions(cell.source) for cell in exercise.notebook.cells)
    problems = []
    for index, cell in enumerate(exercise.notebook.cells):
        for kind, what in (("HIDDEN TESTS", "hidden test"), ("SOLUTION", "solution")):
            for line in _region_lines(cell.source, kind):
                secret = line.strip()
                if len(secret) >= 8 and text.count(secret) > visible.count(secret):
                    problems.append(Problem(exercise.label, _cell_where(index, cell), f"{what} text leaks into the trainee version: {secret[:60]!r}"))
                    break
    return problems


def validate(path: Path, engine: GradingEngine | dict | None = None, workers: int = 2,
             require_wrong_answers: bool = False, seeds=HASH_SEEDS, only: set[str] | None = None) -> Report:
    """Run every check; with an engine, also prove each exercise by execution.

    ``require_wrong_answers`` (on for the shipped track) asks for a sidecar with at least three
    wrong answers and one per test cell in every exercise; small test trees leave it off.
    ``only`` (exercise ids of the track) limits the notebook and project checks to those exercises;
    the track's structure is always checked whole.
    """
    report = Report()
    layout = find_layout(path)
    check_structure(layout, report)
    if only:
        report.exercises = [e for e in report.exercises if e.entry["id"] in only]
        report.projects = [p for p in report.projects if p.entry["id"] in only]
    usable = check_notebooks(report, layout.root, require_wrong_answers)
    projects = check_projects(report, layout, require_wrong_answers)
    if engine is not None and projects:
        proof = prove_projects(projects, engine)
        report.problems.extend(proof)
        report.wrong_answers += sum(len(project.wrong) for project in projects)
        report.not_caught += sum(1 for p in proof if p.message.startswith(NOT_CAUGHT))
    if engine is not None and usable:
        for exercise in usable:
            report.problems.extend(check_trainee_version(exercise))
        proof = prove_all(usable, engine, workers, seeds)
        report.problems.extend(proof)
        report.wrong_answers += sum(len((e.sidecar or {}).get("wrong_answers") or []) for e in usable)
        report.not_caught += sum(1 for p in proof if p.message.startswith(NOT_CAUGHT))
    return report


def _label(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _cell_where(index: int, cell) -> str:
    gid = grade_id(cell)
    return f"cell {index}" + (f" ({gid})" if gid else "")


def _region_lines(source: str, kind: str) -> list[str]:
    """The lines between BEGIN/END markers of ``kind``."""
    lines, inside = [], False
    for line in source.splitlines():
        found = marker(line)
        if found and found[1] == kind:
            inside = found[0] == "BEGIN"
            continue
        if inside:
            lines.append(line)
    return lines


def _outside_regions(source: str) -> str:
    """The text of a cell outside any marked region (what a trainee sees anyway)."""
    kept, inside = [], False
    for line in source.splitlines():
        found = marker(line)
        if found:
            inside = found[0] == "BEGIN"
            continue
        if not inside:
            kept.append(line)
    return "\n".join(kept)


def dumps(report: Report) -> str:
    """The report as JSON (for the admin page)."""
    return json.dumps([str(p) for p in report.problems], ensure_ascii=False)
