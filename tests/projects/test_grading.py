"""Grading a project in the real sandbox: scores, and tampering that changes nothing but is flagged."""
import dataclasses

import pytest

from tests.projects.conftest import HIDDEN_LINE
from tic_academy.grading import messages
from tic_academy.grading.integrity import needs_hold
from tic_academy.grading.project import ProjectSpec, pack_files, score_report

pytestmark = pytest.mark.kernel

FULL = 13.0


def grade(engine, shipped, files: dict):
    """Grade a set of files against the shipped project."""
    return engine.grade_project(shipped.spec, pack_files(files), limits=shipped.limits)


def codes(result) -> set[str]:
    return {flag.code for flag in result.flags}


def with_files(base: dict, extra: dict[str, str]) -> dict:
    """``base`` with extra files {path: text}."""
    return {**base, **{name: text.encode() for name, text in extra.items()}}


def test_solution_scores_full_marks(project_engine, shipped):
    """Does the reference solution earn every point, unflagged, with a title per task?"""
    result = grade(project_engine, shipped, shipped.solution_files())
    assert (result.score, result.max_score) == (FULL, FULL)
    assert result.flags == [] and result.notes == []
    assert {t.title for t in result.tests} >= {"Validasi data pengaduan", "Menyaring daftar menurut status"}


def test_template_scores_zero(project_engine, shipped):
    """Does the untouched template earn nothing, each task failing with a short message?"""
    result = grade(project_engine, shipped, shipped.template)
    assert result.score == 0
    assert all(t.status in ("failed", "error") and t.message for t in result.tests)
    assert all(len(text) <= 200 for t in result.tests for text in messages.texts(t.message))


def test_wrong_answer_scores_partially(project_engine, shipped):
    """Does a wrong answer lose exactly the task it breaks?"""
    result = grade(project_engine, shipped, shipped.wrong_files("status-bebas-berpindah"))
    failed = [t.grade_id for t in result.tests if t.status != "passed"]
    assert failed == ["test_status.py::test_perpindahan_terlarang_409"]
    assert result.score == FULL - 1


CONFTEST_ALL_PASSED = '''
import dataclasses

import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
'''


def test_planted_conftest_changes_nothing_and_is_flagged(project_engine, shipped):
    """Does a conftest.py that marks every test passed leave the template at zero, and hold it for a mentor?"""
    for name in ("conftest.py", "tests/conftest.py"):
        result = grade(project_engine, shipped, with_files(shipped.template, {name: CONFTEST_ALL_PASSED}))
        assert result.score == 0, name
        assert "planted_config" in codes(result) and needs_hold(result.flags)


def test_pytest_ini_addopts_changes_nothing_and_is_flagged(project_engine, shipped):
    """Does a pytest.ini (or pyproject/setup.cfg/tox.ini section) with addopts leave the solution's score alone?"""
    files = with_files(shipped.solution_files(), {
        "pytest.ini": "[pytest]\naddopts = --collect-only -p no:python\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--co'\n",
        "tox.ini": "[pytest]\naddopts = -k nothing\n",
    })
    result = grade(project_engine, shipped, files)
    assert result.score == FULL
    flagged = {flag.grade_id for flag in result.flags if flag.code == "planted_config"}
    assert flagged == {"pytest.ini", "pyproject.toml", "tox.ini"}


SITECUSTOMIZE = '''
import builtins
builtins.__import__ = None
'''


def test_sitecustomize_and_pth_are_never_processed_and_flagged(project_engine, shipped):
    """Are a sitecustomize.py and a .pth file in the tree ignored (the solution still passes) and flagged?"""
    files = with_files(shipped.solution_files(), {"sitecustomize.py": SITECUSTOMIZE, "zz.pth": "import os; os._exit(3)\n",
                                                  "pengaduan/usercustomize.py": SITECUSTOMIZE})
    result = grade(project_engine, shipped, files)
    assert result.score == FULL
    assert {f.grade_id for f in result.flags if f.code == "planted_config"} == {
        "sitecustomize.py", "zz.pth", "pengaduan/usercustomize.py"}


def test_os_exit_at_import_scores_nothing_and_is_flagged(project_engine, shipped):
    """Does os._exit(0) at import end with an incomplete report: nothing passes, the code is flagged?"""
    files = dict(shipped.solution_files())
    files["pengaduan/__init__.py"] = b"import os\nos._exit(0)\n" + files["pengaduan/__init__.py"]
    result = grade(project_engine, shipped, files)
    assert result.score == 0
    assert all(t.status in ("not_run", "error") for t in result.tests)
    assert result.notes, "an incomplete report must be said"
    assert "os_exit" in codes(result) and needs_hold(result.flags)


def test_application_code_reaching_into_pytest_is_flagged(project_engine, shipped):
    """Is application code importing _pytest, defining a hook or touching sys.modules flagged (tests are not)?"""
    files = with_files(shipped.solution_files(), {
        "pengaduan/licik.py": "import sys\nimport _pytest\n\ndef pytest_configure(config):\n    sys.modules.pop('x', None)\n",
        "tests/test_sendiri.py": "import pytest\n\ndef test_x():\n    assert True\n",
    })
    result = grade(project_engine, shipped, files)
    assert {(f.code, f.grade_id) for f in result.flags} == {
        ("pytest_internals", "pengaduan/licik.py"), ("pytest_hook", "pengaduan/licik.py"),
        ("sys_modules", "pengaduan/licik.py")}
    assert result.score == FULL


LEAKER = '''
import pathlib, sys

def _bocorkan():
    for folder in sys.path:
        target = pathlib.Path(folder) / "test_daftar.py"
        if target.is_file():
            line = [l.strip() for l in target.read_text().splitlines() if "99" in l][0]
            raise RuntimeError(line)

_bocorkan()
'''


def test_hidden_test_text_never_reaches_the_message(project_engine, shipped):
    """Does trainee code looking for the hidden tests on its path find nothing, so no hidden line reaches a message?"""
    files = dict(shipped.solution_files())
    files["pengaduan/penyimpanan.py"] = LEAKER.encode() + files["pengaduan/penyimpanan.py"]
    result = grade(project_engine, shipped, files)
    text = str(result.to_dict())
    assert result.score == FULL, "the hidden tests are on no path of the trainee's process"
    assert HIDDEN_LINE not in text and "/api/pengaduan/99" not in text


def test_a_missing_or_unreported_test_is_not_a_pass():
    """Is a points-map entry whose test was never collected, or never reported, scored as not passed?"""
    spec = ProjectSpec(points={"test_a.py::test_ada": {"points": 1, "task": {"id": "A"}},
                               "test_a.py::test_hilang": {"points": 1, "task": {"id": "B"}},
                               "marker:kosong": {"points": 1, "task": {"id": "C"}}},
                       hidden={"test_a.py": "def test_ada():\n    pass\n"})
    events = [{"event": "collected", "tests": [{"id": "test_a.py::test_ada", "markers": []}]},
              {"event": "test", "id": "test_palsu.py::test_x", "outcome": "passed"}]
    tests, notes, flags = score_report(spec, events, None)
    assert [t.status for t in tests] == ["not_run", "error", "error"]
    assert sum(t.points for t in tests) == 0
    assert notes and [f.code for f in flags] == ["report_tampered"]


def test_a_hanging_test_is_stopped_and_the_others_still_run(project_engine, shipped):
    """Does a test stuck in a loop time out on its own, while the other tasks are still scored?"""
    spec = dataclasses.replace(shipped.spec, test_timeout_s=1)
    files = dict(shipped.solution_files())
    files["pengaduan/validasi.py"] = files["pengaduan/validasi.py"].replace(
        b'    return baru in ALUR_STATUS.get(lama, ())', b'    while True:\n        pass')
    result = project_engine.grade_project(spec, pack_files(files), limits=shipped.limits)
    timed_out = {t.grade_id for t in result.tests if t.status == "timeout"}
    assert timed_out == {"test_status.py::test_ubah_status_berurutan", "test_status.py::test_perpindahan_terlarang_409",
                         "test_daftar.py::test_saring_menurut_status"}
    assert result.score == FULL - 4


def test_a_hang_at_import_ends_at_the_total_time_limit(project_engine, shipped):
    """Does code that never finishes importing stop at the total time limit, scoring nothing?"""
    files = dict(shipped.solution_files())
    files["pengaduan/__init__.py"] = b"while True:\n    pass\n"
    result = project_engine.grade_project(shipped.spec, pack_files(files), limits={"total_timeout_s": 3})
    assert result.score == 0 and result.duration_s < 15
    assert {t.status for t in result.tests} == {"timeout"}
    assert result.notes[0]["code"] == "project_timeout_total" and float(result.notes[0]["params"]["seconds"]) == 3


def test_a_test_reported_twice_is_not_a_pass_and_is_flagged():
    """Is a second (forged) report of a test scored as an error and flagged, whatever it claims?"""
    spec = ProjectSpec(points={"test_a.py::test_ada": {"points": 1, "task": {"id": "A"}}},
                       hidden={"test_a.py": "def test_ada():\n    pass\n"})
    events = [{"event": "collected", "tests": [{"id": "test_a.py::test_ada", "markers": []}]},
              {"event": "test", "id": "test_a.py::test_ada", "outcome": "failed", "type": "AssertionError"},
              {"event": "test", "id": "test_a.py::test_ada", "outcome": "passed"},
              {"event": "end", "exit": 0}]
    tests, notes, flags = score_report(spec, events, None)
    assert tests[0].points == 0 and [f.code for f in flags] == ["report_tampered"]


def test_an_oversized_or_broken_snapshot_is_refused_before_running(project_engine, shipped):
    """Are too many files, and bytes that are not a tar.gz, refused with a clear message and nothing run?"""
    many = pack_files({f"berkas/{number}.txt": b"" for number in range(2001)})
    for snapshot in (many, b"bukan arsip"):
        result = project_engine.grade_project(shipped.spec, snapshot)
        assert result.error and result.score == 0 and result.duration_s < 1
        assert {t.status for t in result.tests} == {"not_run"}
    assert project_engine.grade_project(shipped.spec, many).error["code"] == "project_too_large"


# --- trainee code that rewrites pytest, forges a report or exits (issue 14: unable by construction) ---

PATCH_PYTEST = '''
def _semua_lolos():
    try:
        import _pytest.python
        _pytest.python.Function.runtest = lambda self: None  # every test "passes" without running
    except Exception:
        pass

_semua_lolos()
'''

FORGE_REPORT = '''
def _laporan_palsu():
    import json, os, pathlib, sys
    try:
        config = json.loads(sys.argv[1])
        fd = int(config["report_fd"])
    except Exception:
        return
    tests = []
    for folder in sys.path:
        for path in sorted(pathlib.Path(folder).glob("test_*.py")) if os.path.isdir(folder) else []:
            text = path.read_text()
            markers = ["validasi"] if "pytest.mark.validasi" in text else []
            tests += [{"id": path.name + "::" + line[4:].split("(")[0], "markers": markers}
                      for line in text.splitlines() if line.startswith("def test_")]
    events = [{"event": "collected", "tests": tests}]
    events += [{"event": "test", "id": test["id"], "outcome": "passed", "type": "", "message": ""} for test in tests]
    events.append({"event": "end", "exit": 0})
    os.write(fd, "".join(json.dumps(event) + "\\n" for event in events).encode())
    os._exit(0)

_laporan_palsu()
'''


@pytest.mark.parametrize("attack", [PATCH_PYTEST, FORGE_REPORT], ids=["patch-pytest", "forge-report-and-exit"])
def test_trainee_code_rewriting_pytest_cannot_change_the_score(project_engine, shipped, attack):
    """Does the template whose package patches _pytest, or writes a forged report and exits, at import still score 0?"""
    files = dict(shipped.template)
    files["pengaduan/__init__.py"] = attack.encode() + files["pengaduan/__init__.py"]
    result = grade(project_engine, shipped, files)
    assert result.score == 0
    assert needs_hold(result.flags), "the attempt is still flagged for the mentor"


def test_trainee_code_cannot_read_the_hidden_tests(project_engine, shipped):
    """Can the trainee's package find a hidden test file anywhere in the sandbox while it runs? (It must not.)"""
    files = dict(shipped.solution_files())
    files["pengaduan/__init__.py"] += b'''

def _cari():
    import os
    for root in ("/tmp", "/run", "/"):
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev", "usr")]
            for name in names:
                if name == "test_daftar.py":
                    try:
                        open(os.path.join(folder, name)).read()
                    except OSError:
                        continue
                    raise RuntimeError("terbaca: " + os.path.join(folder, name))

_cari()
'''
    result = grade(project_engine, shipped, files)
    assert result.score == FULL, [t.message for t in result.tests if t.status != "passed"]


ACCESSOR_TESTS = '''
import pytest


def test_submodul_dan_argumen_kata_kunci(modul):
    paket = modul("pengaduan")
    assert paket.validasi.KATEGORI[0] == "jalan"
    galat = modul("pengaduan.validasi").periksa_pengaduan(data={"judul": "abc"})
    assert set(galat) == {"judul", "isi", "kategori", "pelapor"}


def test_membandingkan_objek_peserta_ditolak(modul):
    assert modul("pengaduan").create_app() == 1


def test_galat_peserta_tiba_sebagai_kelasnya(modul):
    with pytest.raises(KeyError):
        modul("pengaduan.validasi").ALUR_STATUS["tidak-ada"]
'''


def test_hidden_tests_reach_the_package_only_through_handles(project_engine, shipped):
    """Do submodules, keyword arguments and exceptions work through modul(), and is == on a trainee object refused?"""
    names = ["test_submodul_dan_argumen_kata_kunci", "test_membandingkan_objek_peserta_ditolak",
             "test_galat_peserta_tiba_sebagai_kelasnya"]
    spec = ProjectSpec(points={f"test_akses.py::{name}": {"points": 1, "task": {"id": name}} for name in names},
                       hidden={"test_akses.py": ACCESSOR_TESTS})
    result = project_engine.grade_project(spec, pack_files(shipped.solution_files()), limits=shipped.limits)
    outcomes = {t.grade_id.split("::")[1]: (t.status, t.message) for t in result.tests}
    assert outcomes[names[0]] == ("passed", None), outcomes
    assert outcomes[names[2]] == ("passed", None), outcomes
    status, message = outcomes[names[1]]
    assert status == "failed" and message["code"] == "exception", outcomes
    assert message["params"]["ename"] == "HandleMisuse" and "membandingkan" in message["params"]["evalue"], outcomes
