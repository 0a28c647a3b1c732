"""Grading in real sandboxed kernels: every limit and failure path."""

import json
import os
import socket
import sys
import threading
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

import tic_academy
from tic_academy.grading import GradingEngine, GradingSettings, make_trainee_version

#: This checkout (wherever it is) and its virtualenv: the sandbox may see neither for writing.
PROJECT = str(Path(tic_academy.__file__).resolve().parents[1])

pytestmark = pytest.mark.kernel

CORRECT = "def tambah(a, b):\n    return a + b"
#: Right for positive numbers only: passes the public tests, fails the hidden one.
PARTLY = "def tambah(a, b):\n    return abs(a) + b"


def _statuses(result):
    """Return grade_id -> (status, points) of a result's tests."""
    return {test.grade_id: (test.status, test.points) for test in result.tests}


def _output_text(result, index=2):
    """Return the text of every output of one cell in the trainee feedback."""
    return json.dumps(result.cells[index]["outputs"])


def test_correct_answer_gets_full_marks(engine, nbf):
    """Does a correct answer score full marks in submit mode?"""
    result = engine.grade(nbf.exercise(), {"jawaban": CORRECT})
    assert (result.score, result.max_score) == (3, 3)
    assert _statuses(result) == {"tes-publik": ("passed", 1), "tes-tersembunyi": ("passed", 2)}


def test_wrong_answer_gets_partial_marks(engine, nbf):
    """Does an answer that fails the hidden test keep the public test's points?"""
    result = engine.grade(nbf.exercise(), {"jawaban": PARTLY})
    assert result.score == 1
    failed = result.tests[1]
    assert (failed.status, failed.message) == ("failed", {"code": "author", "params": {"text": "negatif"}})


def test_check_mode_runs_public_tests_only(engine, nbf):
    """Does check mode pass a partly-right answer, since the hidden test is left out?"""
    result = engine.grade(nbf.exercise(), {"jawaban": PARTLY}, mode="check")
    assert (result.score, result.max_score) == (3, 3)


def test_run_mode_gives_outputs_only(engine, nbf):
    """Does run mode execute up to the chosen cell, with no tests, and return outputs?"""
    result = engine.grade(nbf.exercise(), {"jawaban": CORRECT + "\nprint(tambah(20, 22))"}, mode="run",
                          run_until="jawaban")
    assert result.tests == [] and result.max_score == 0
    assert "42" in _output_text(result)


def test_syntax_error_scores_zero(engine, nbf):
    """Does an answer with a syntax error leave the tests erroring with NameError?"""
    result = engine.grade(nbf.exercise(), {"jawaban": "def tambah(a, b)\n    return a + b"})
    assert result.score == 0
    assert "SyntaxError" in _output_text(result)
    assert result.tests[0].message["params"]["ename"] == "NameError"


def test_tampered_upload_is_graded_with_original_tests(engine, nbf):
    """Does replacing a test cell in an uploaded notebook fail to save a wrong answer?"""
    upload = make_trainee_version(nbf.exercise())
    upload.cells[2].source = "def tambah(a, b):\n    return 0"
    upload.cells[3].source = "pass"
    result = engine.grade(nbf.exercise(), nbformat.writes(upload).encode())
    assert result.tests[0].status == "failed"
    assert {"code": "locked_edit_ignored", "params": {"cell": "tes-publik"}} in result.notes


def test_infinite_loop_hits_the_cpu_limit(engine, nbf):
    """Is a busy loop stopped by the CPU rlimit, with the remaining tests not run?"""
    result = engine.grade(nbf.exercise(), {"jawaban": "while True:\n    pass"},
                          limits={"cpu_s": 2, "cell_timeout_s": 30, "total_timeout_s": 40})
    assert [test.status for test in result.tests] == ["not_run", "not_run"]
    assert result.tests[0].message["code"] in ("kernel_cpu", "kernel_killed")


def test_sleep_past_the_limit_is_a_timeout(engine, nbf):
    """Is time.sleep past the per-cell limit stopped by the wall clock (CPU limits miss it)?"""
    result = engine.grade(nbf.exercise(), {"jawaban": CORRECT},
                          limits={"cell_timeout_s": 1})
    assert result.score == 3  # control: the limit leaves normal cells alone
    slow = engine.grade(nbf.exercise(), {"jawaban": "import time\ntime.sleep(60)"},
                        limits={"cell_timeout_s": 1})
    assert [test.status for test in slow.tests] == ["not_run", "not_run"]
    assert slow.tests[0].message == {"code": "timeout_cell", "params": {"seconds": 1}}
    assert slow.duration_s < 10


def test_test_cell_timeout_scores_timeout(engine, nbf):
    """Is a test cell that runs too long scored as a timeout?"""
    answer = "def tambah(a, b):\n    import time\n    time.sleep(60)"
    result = engine.grade(nbf.exercise(), {"jawaban": answer}, limits={"cell_timeout_s": 1})
    assert [test.status for test in result.tests] == ["timeout", "not_run"]


def test_memory_hog_is_refused(engine, nbf):
    """Does a 3 GB allocation fail with MemoryError instead of taking the machine's memory?"""
    result = engine.grade(nbf.exercise(), {"jawaban": CORRECT + "\nx = bytearray(3 * 1024 ** 3)"})
    assert "MemoryError" in _output_text(result)
    assert result.score == 3  # the kernel survives; tambah was defined before the allocation


def test_fork_bomb_is_limited(engine, nbf):
    """Does the process limit stop a fork bomb inside the sandbox?"""
    bomb = (
        "import os, time\nn = 0\ntry:\n    while n < 10000:\n        if os.fork() == 0:\n"
        "            time.sleep(30)\n            os._exit(0)\n        n += 1\n"
        "except OSError as error:\n    print('dibatasi', n)\n" + CORRECT
    )
    result = engine.grade(nbf.exercise(), {"jawaban": bomb})
    text = _output_text(result)
    assert "dibatasi" in text
    assert int(text.split("dibatasi ")[1].split("\\n")[0]) < 64
    assert {test.status for test in result.tests} <= {"passed", "error"}  # the bomb may starve its own kernel


def test_network_to_host_loopback_is_blocked(engine, nbf):
    """Can trainee code reach a TCP server listening on the host's loopback? (It must not.)"""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(5)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(_accept(server)))
    thread.start()
    port = server.getsockname()[1]
    answer = (
        "import socket\ntry:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'halo')\n"
        "    print('TERHUBUNG')\nexcept OSError as error:\n    print('GAGAL', type(error).__name__)\n" + CORRECT
    )
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    thread.join()
    server.close()
    assert "GAGAL" in _output_text(result) and "TERHUBUNG" not in _output_text(result)
    assert accepted == [None]


def _accept(server):
    """Accept one connection within the server's timeout; None when nobody came."""
    try:
        connection, _ = server.accept()
    except OSError:
        return None
    connection.close()
    return "connected"


def test_writes_outside_the_work_dir_fail(engine, nbf, tmp_path):
    """Are writes outside the sandbox's /tmp refused, and does nothing appear on the host?"""
    targets = [f"{PROJECT}/tic-sandbox-escape.txt", "/usr/tic-sandbox-escape.txt", f"{tmp_path}/escape.txt",
               f"{sys.prefix}/tic-sandbox-escape.txt"]
    answer = (
        "import json, os\nsockets = os.path.dirname(json.load(open('/run/tic/kernel.json'))['ip'])\n"
        f"for path in {targets!r} + [sockets + '/isi.txt', '/tmp/boleh.txt']:\n"
        "    try:\n        open(path, 'w').write('x')\n"
        "        print('TULIS', path)\n    except OSError as error:\n        print('DITOLAK', path)\n" + CORRECT
    )
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    text = _output_text(result)
    assert text.count("DITOLAK") == len(targets) + 1 and "TULIS /tmp/boleh.txt" in text
    assert not any(os.path.exists(path) for path in targets)


def test_project_files_and_database_are_invisible(engine, nbf):
    """Can trainee code read the project's files or a database under the project? (It must not.)"""
    database = os.path.join(os.path.dirname(__file__), ".sandbox-probe.sqlite")
    with open(database, "w") as file:
        file.write("SQLite format 3 rahasia")
    try:
        paths = [f"{PROJECT}/requirements.txt", database, "/root/.bashrc", "/etc/passwd"]
        answer = (
            f"for path in {paths!r}:\n    try:\n        print('BACA', open(path).read()[:20])\n"
            "    except OSError as error:\n        print('TIDAK ADA', type(error).__name__)\n" + CORRECT
        )
        result = engine.grade(nbf.exercise(), {"jawaban": answer})
    finally:
        os.remove(database)
    text = _output_text(result)
    assert text.count("TIDAK ADA") == len(paths) and "BACA" not in text


def test_huge_output_is_cut_with_a_marker(engine, nbf):
    """Is output beyond the cap cut, with a visible marker, without losing the grade?"""
    answer = "for i in range(50):\n    print('x' * 20_000)\n" + CORRECT  # 1 MB, far past the 64 KB cap
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    text = _output_text(result)
    assert "[keluaran dipotong]" in text
    assert len(text) < 200_000
    assert result.score == 3


def test_os_exit_ends_the_run_with_a_reason(engine, nbf):
    """Does os._exit in an answer end the run, flag it, and leave tests not run with a reason?"""
    result = engine.grade(nbf.exercise(), {"jawaban": "import os\nos._exit(3)"})
    assert [test.status for test in result.tests] == ["not_run", "not_run"]
    assert result.tests[0].message == {"code": "kernel_exit", "params": {"exit_code": 3}}
    assert "os_exit" in {flag.code for flag in result.flags}


def test_sys_exit_is_just_a_cell_error(engine, nbf):
    """Is sys.exit in an answer a cell error, with later cells still running?"""
    result = engine.grade(nbf.exercise(), {"jawaban": CORRECT + "\nimport sys\nsys.exit(1)"})
    assert "SystemExit" in _output_text(result)
    assert result.score == 3


def test_hidden_test_text_never_reaches_feedback(engine, nbf):
    """Does an answer that tries to read the calling test cell's source leak nothing hidden?"""
    answer = (
        "import sys, linecache\ndef tambah(a, b):\n    caller = sys._getframe(1)\n"
        "    raise ValueError(''.join(linecache.getlines(caller.f_code.co_filename)))"
    )
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    assert "RAHASIA" not in json.dumps(result.to_dict())
    assert "frame_inspection" in {flag.code for flag in result.flags}
    assert "RAHASIA" in nbformat.writes(result.notebook)  # the stored copy for mentors keeps it


def test_forbidden_import_is_rejected_before_running(engine, nbf):
    """Is an import outside the exercise's allowed list refused with a message, nothing run?"""
    result = engine.grade(nbf.exercise(), {"jawaban": "import socket\n" + CORRECT}, allowed_imports=["math"])
    assert result.error["code"] == "import_not_allowed" and result.error["params"]["name"] == "socket"
    assert all(cell["execution_count"] is None for cell in result.cells)


def test_several_threads_grade_at_once(engine, nbf):
    """Can several web threads grade at the same time, each in its own kernel?"""
    answers = [CORRECT, PARTLY, CORRECT, PARTLY]
    with ThreadPoolExecutor(4) as pool:
        scores = list(pool.map(lambda answer: engine.grade(nbf.exercise(), {"jawaban": answer}).score, answers))
    assert scores == [3, 1, 3, 1]


def test_kernels_do_not_share_state(engine, nbf):
    """Does each grading get a fresh kernel, so a previous answer's globals are gone?"""
    engine.grade(nbf.exercise(), {"jawaban": CORRECT + "\nbocor = 1"})
    result = engine.grade(nbf.exercise(), {"jawaban": CORRECT + "\nprint(bocor)"})
    assert "NameError" in _output_text(result)


def test_unsandboxed_mode_warns_on_every_run(nbf, caplog):
    """Does sandbox 'none' (development only) grade but log a warning on every run?"""
    unsandboxed = GradingEngine(GradingSettings(sandbox="none", pool_size=0))
    try:
        scores = [unsandboxed.grade(nbf.exercise(), {"jawaban": CORRECT}).score for _ in range(2)]
    finally:
        unsandboxed.close()
    assert scores == [3, 3]
    warnings = [record for record in caplog.records if "WITHOUT a sandbox" in record.getMessage()]
    assert len(warnings) == 2
