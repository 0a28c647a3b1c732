"""Authoring project exercises: the track entry, validate's proof, and sync's versions."""
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from tests.projects.conftest import PROJECT_DIR
from tic_academy.curriculum.sync import sync_curricula
from tic_academy.curriculum.validate import validate
from tic_academy.extensions import db
from tic_academy.grading.project import ProjectSpec, read_files
from tic_academy.models import Exercise, ExerciseVersion


def make_tree(tmp_path: Path, projects: dict[str, Path | None] | None = None, entry_extra: dict | None = None) -> Path:
    """A curriculum tree with one stage holding a project entry per given folder (copied under projects/)."""
    projects = projects if projects is not None else {"layanan-pengaduan": PROJECT_DIR}
    root = tmp_path / "kurikulum"
    (root / "curricula").mkdir(parents=True)
    entries = []
    for position, (name, source) in enumerate(projects.items(), start=1):
        if source is not None:
            shutil.copytree(source, root / "projects" / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        entries.append({"id": f"proyek-{position}", "kind": "project", "project": name, "title": {"id": f"Proyek {position}"},
                        "week": 1, "minutes": 60, "required": False, **(entry_extra or {})})
    track = {"id": "uji", "title": {"id": "Uji"}, "description": {"id": "Jalur uji"}, "weeks": 1,
             "stages": [{"id": "tahap", "title": {"id": "Tahap"}, "weeks": [1, 1], "pass_threshold": 0.5,
                         "exercises": entries}]}
    (root / "curricula" / "uji.yaml").write_text(yaml.safe_dump(track, allow_unicode=True), encoding="utf-8")
    return root


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Replace text in one file of a project folder (the replacement must happen)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def test_track_entry_names_a_project_and_no_notebook(tmp_path):
    """Is a project entry with a notebook, or without a project, or naming a missing folder, refused?"""
    root = make_tree(tmp_path, entry_extra={"notebook": "x.ipynb"})
    assert any("should not be valid" in p or "notebook" in p for p in problems_of(validate(root)))
    root = make_tree(tmp_path / "b", projects={"tidak-ada": None})
    assert any("project not found: projects/tidak-ada" in p for p in problems_of(validate(root)))


def test_structure_problems_are_reported_without_execution(tmp_path):
    """Are a wrong-answer target outside the points map, a missing solution/ and an unreferenced project reported?"""
    root = make_tree(tmp_path)
    folder = root / "projects" / "layanan-pengaduan"
    edit(folder, "project.yaml", "targets: [test_status.py::test_perpindahan_terlarang_409]", "targets: [test_x.py::test_y]")
    shutil.rmtree(folder / "solution")
    (root / "projects" / "yatim").mkdir()
    problems = problems_of(validate(root))
    assert any("the solution/ folder is missing" in p for p in problems)
    assert any("projects/yatim: project is not referenced by any track" in p for p in problems)
    shutil.copytree(PROJECT_DIR / "solution", folder / "solution")
    problems = problems_of(validate(root))
    assert any("target 'test_x.py::test_y' is not in the points map" in p for p in problems)


def test_a_hidden_test_importing_the_trainees_package_is_reported(tmp_path):
    """Is a hidden test that imports the trainee's package (it runs in the harness, which has none) reported?"""
    root = make_tree(tmp_path)
    folder = root / "projects" / "layanan-pengaduan"
    (folder / "tests" / "test_impor.py").write_text("from pengaduan.validasi import KATEGORI\n\n\ndef test_x():\n    pass\n")
    problems = problems_of(validate(root))
    assert any("tests/test_impor.py: imports the trainee's package (pengaduan.validasi)" in p for p in problems), problems
    assert not any("fixtures.py" in p for p in problems)


@pytest.mark.kernel
def test_validate_proves_the_shipped_project(tmp_path, project_engine):
    """Does the shipped project pass the proof: solution full, template zero, every wrong answer caught?"""
    report = validate(make_tree(tmp_path), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (3, 0)


@pytest.mark.kernel
def test_validate_reports_each_broken_project(tmp_path, project_engine):
    """Are a failing solution, a template that passes a test, a hidden file in the template and an uncaught
    wrong answer each reported, as is a hidden test missing from the points map?"""
    broken = {name: PROJECT_DIR for name in ("solusi-gagal", "templat-lolos", "bocor", "salah-lolos")}
    root = make_tree(tmp_path, broken)
    projects = root / "projects"
    edit(projects / "solusi-gagal", "solution/pengaduan/penyimpanan.py", '"status": "baru"', '"status": "diproses"')
    (projects / "templat-lolos" / "tests" / "test_paket.py").write_text(
        "def test_paket_ada(modul):\n    assert modul(\"pengaduan\").create_app() is not None\n")
    edit(projects / "templat-lolos", "project.yaml", "points:\n",
         "points:\n  test_paket.py::test_paket_ada:\n    points: 1\n    task: {id: Paket ada}\n")
    shutil.copy(projects / "bocor" / "tests" / "test_status.py", projects / "bocor" / "template" / "tests" / "test_status.py")
    (projects / "salah-lolos" / "wrong" / "status-bebas-berpindah" / "pengaduan" / "validasi.py").write_bytes(
        (PROJECT_DIR / "solution" / "pengaduan" / "validasi.py").read_bytes())
    (projects / "salah-lolos" / "tests" / "test_tambahan.py").write_text("def test_tanpa_poin():\n    pass\n")
    problems = problems_of(validate(root, project_engine))
    def about(name):
        return [p for p in problems if p.startswith(f"projects/{name}")]
    assert any("test test_buat.py::test_pengaduan_baru_berstatus_baru: the solution does not pass" in p
               for p in about("solusi-gagal")), about("solusi-gagal")
    assert any("test test_paket.py::test_paket_ada: passes on the template" in p
               for p in about("templat-lolos")), about("templat-lolos")
    assert any("tests/test_status.py: a hidden test file appears in the template" in p for p in about("bocor")), about("bocor")
    assert any("wrong answer status-bebas-berpindah: not caught" in p for p in about("salah-lolos")), about("salah-lolos")
    assert any("test test_tambahan.py::test_tanpa_poin: a hidden test is not in the points map" in p
               for p in about("salah-lolos")), about("salah-lolos")


def test_sync_versions_a_project_by_the_checksum_of_all_its_files(app, tmp_path):
    """Does sync store the points map, hidden tests and template, and make a new version only when a file changes?"""
    root = make_tree(tmp_path)
    run = sync_curricula(root)
    assert run.ok, run.report
    exercise = db.session.scalar(select(Exercise).where(Exercise.slug == "proyek-1"))
    assert (exercise.kind, exercise.project, exercise.notebook_path) == ("project", "layanan-pengaduan", "")
    version = exercise.current_version
    spec = ProjectSpec.from_json(version.source)
    assert version.max_score == spec.max_score == 13
    assert "test_status.py" in spec.hidden and "fixtures.py" in spec.hidden
    template = read_files(version.template_archive)
    assert "README.md" in template and not any(name.endswith("test_status.py") for name in template)
    assert sync_curricula(root).report == "no changes"
    edit(root / "projects" / "layanan-pengaduan", "template/README.md", "# Layanan Pengaduan Warga", "# Layanan Pengaduan")
    assert "new version" in sync_curricula(root).report
    versions = db.session.scalars(select(ExerciseVersion).where(ExerciseVersion.exercise_id == exercise.id)).all()
    assert len(versions) == 2 and exercise.current_version_id == versions[-1].id
