"""Verdicts the trainee cannot touch: every attack from issue 11, and what the harness must still allow."""

import json

import nbformat
import pytest

pytestmark = pytest.mark.kernel

#: The exercise's answer left as the stub: any full marks for it are a verdict the trainee forged.
STUB = "def tambah(a, b):\n    raise NotImplementedError()"
CORRECT = "def tambah(a, b):\n    return a + b"


def _score(result):
    """Return (score, max_score)."""
    return result.score, result.max_score


def _grade_attack(engine, nbf, attack):
    """Grade the standard exercise with an attack put before a stub answer."""
    return engine.grade(nbf.exercise(), {"jawaban": attack + "\n" + STUB})


def test_wrapped_do_execute_cannot_report_passing_tests(engine, nbf):
    """Does wrapping the kernel's do_execute (reached without the literal name) still score zero?"""
    attack = (
        "ip = globals()['get_' + 'ipython']()\n"
        "kernel = ip.kernel\n"
        "original = kernel.do_execute\n"
        "async def always_ok(*args, **kwargs):\n"
        "    reply = await original(*args, **kwargs)\n"
        "    reply['status'] = 'ok'\n"
        "    return reply\n"
        "kernel.do_execute = always_ok\n"
        "kernel.shell_handlers['execute_request'] = kernel.execute_request\n"
    )
    assert _score(_grade_attack(engine, nbf, attack)) == (0, 3)


def test_ast_transformer_dropping_asserts_changes_nothing(engine, nbf):
    """Does an ast_transformers entry that removes every assert leave the tests intact?"""
    attack = (
        "import ast\n"
        "class DropAsserts(ast.NodeTransformer):\n"
        "    def visit_Assert(self, node):\n"
        "        return ast.Pass()\n"
        "globals()['get_' + 'ipython']().ast_transformers.append(DropAsserts())\n"
    )
    assert _score(_grade_attack(engine, nbf, attack)) == (0, 3)


def test_input_transformer_blanking_test_cells_changes_nothing(engine, nbf):
    """Does an input transformer that turns every later cell into `pass` leave the tests intact?"""
    attack = "globals()['get_' + 'ipython']().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
    assert _score(_grade_attack(engine, nbf, attack)) == (0, 3)


def test_object_equal_to_everything_fails_the_comparison(engine, nbf):
    """Does a result whose __eq__ is always true (with `type` shadowed) fail, with a clear message?"""
    answer = (
        "class Apa:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    __hash__ = object.__hash__\n"
        "type = lambda value: int\n"
        "def tambah(a, b):\n    return Apa()\n"
    )
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    assert _score(result) == (0, 3)
    assert result.tests[0].message == {"code": "handle_misuse", "params": {"action": "eq", "type": "Apa"}}


def test_shadowed_builtins_do_not_reach_the_tests(engine, nbf):
    """Do len/isinstance/all rebound by the trainee stay the harness's own in test cells?"""
    exercise = nbf.notebook(
        nbf.answer_cell("def daftar():\n    ### BEGIN SOLUTION\n    return [1, 2]\n    ### END SOLUTION\n"),
        nbf.test_cell("assert len(daftar()) == 2\nassert isinstance(daftar(), list)", "tes", points=1),
    )
    attack = "len = lambda value: 2\nisinstance = lambda *a: True\ndef daftar():\n    return 'xy'"
    result = engine.grade(exercise, {"jawaban": attack})
    assert _score(result) == (0, 1)


def test_answer_cannot_read_the_running_test(engine, nbf):
    """Can an answer that reads In[-1] (the running cell) learn the expected value? It must not."""
    answer = (
        "import re\n"
        "def tambah(a, b):\n"
        "    source = ' '.join(In)\n"
        "    found = re.findall(r'== (-?\\d+)', source)\n"
        "    return int(found[-1]) if found else None\n"
    )
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    assert _score(result) == (0, 3)


def test_hidden_tests_cannot_leak_through_raised_history(engine, nbf):
    """Does raising In[-1][::-1] (or the whole history) show no hidden test text to the trainee?"""
    answer = "def tambah(a, b):\n    raise ValueError(In[-1][::-1])"
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    shown = json.dumps(result.to_dict())
    assert "RAHASIA" not in shown and "7f3a-AISAHAR" not in shown
    assert "RAHASIA" in nbformat.writes(result.notebook)  # mentors still see the hidden tests


def test_trainee_process_cannot_read_the_harness(engine, nbf):
    """Can trainee code find the harness process and read its memory or environment? It must not."""
    probe = (
        "import os\n"
        "found = []\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit():\n"
        "        try:\n"
        "            cmd = open(f'/proc/{pid}/cmdline', 'rb').read()\n"
        "        except OSError:\n"
        "            continue\n"
        "        if b'harness.py' in cmd:\n"
        "            for what in ('mem', 'environ', 'fd/0'):\n"
        "                try:\n"
        "                    open(f'/proc/{pid}/{what}', 'rb').read(1)\n"
        "                    found.append(what + ':terbaca')\n"
        "                except OSError as error:\n"
        "                    found.append(what + ':' + type(error).__name__)\n"
        "print('HASIL', found)\n"
    )
    result = engine.grade(nbf.exercise(), {"jawaban": probe + CORRECT})
    text = json.dumps(result.cells[2]["outputs"])
    assert "HASIL" in text and "mem:" in text  # the harness was found, so the probe really ran
    assert "terbaca" not in text
    assert _score(result) == (3, 3)


def test_visible_comparison_shows_both_values_hidden_does_not(engine, nbf):
    """Does a failed visible assert show the returned and expected value, a hidden one neither?"""
    result = engine.grade(nbf.exercise(), {"jawaban": "def tambah(a, b):\n    return a * b"})
    public, hidden = result.tests
    assert public.message == {"code": "compare", "params": {"note": "tambah(1, 2) harus 3", "left": "2", "op": "==",
                                                          "right": "3"}}
    assert hidden.message["code"] == "author" and "2" not in str(hidden.message)


def test_trainee_exceptions_keep_their_class(engine, nbf):
    """Can tests catch the trainee's builtin and own exception classes, and read their attributes?"""
    answer = (
        "class DataTidakValid(ValueError):\n"
        "    def __init__(self, pesan, kode=400):\n"
        "        super().__init__(pesan)\n"
        "        self.kode = kode\n"
        "def periksa(x):\n"
        "    if x < 0:\n        raise DataTidakValid('negatif', 422)\n"
        "    if x == 0:\n        raise KeyError('nol')\n"
        "    return x\n"
    )
    tests = (
        "try:\n    periksa(-1)\n    assert False, 'harus galat'\nexcept DataTidakValid as galat:\n"
        "    assert galat.kode == 422 and str(galat) == 'negatif'\n"
        "try:\n    periksa(0)\n    assert False\nexcept KeyError:\n    pass\n"
        "assert isinstance(DataTidakValid('x'), ValueError)\n"
        "e = DataTidakValid('y', 401)\n"
        "assert e.kode == 401 and isinstance(e, DataTidakValid)\n"
        "assert periksa(5) == 5\n"
    )
    exercise = nbf.notebook(nbf.answer_cell(answer), nbf.test_cell(tests, "tes", points=1))
    result = engine.grade(exercise, {"jawaban": answer})
    assert _score(result) == (1, 1), result.tests[0].message


def test_handles_allow_attributes_calls_and_library_objects(engine, nbf):
    """Do sqlite connections, class instances, generators and Counters work through the bridge?"""
    answer = (
        "import sqlite3\nfrom collections import Counter\n"
        "class Pegawai:\n"
        "    def __init__(self, nama):\n        self.nama = nama\n"
        "    def sapa(self):\n        return 'Halo ' + self.nama\n"
        "def buat_db():\n"
        "    conn = sqlite3.connect(':memory:')\n"
        "    conn.execute('CREATE TABLE t (x INTEGER)')\n"
        "    conn.executemany('INSERT INTO t VALUES (?)', [(1,), (2,)])\n"
        "    return conn\n"
        "def genap(n):\n    return (i for i in range(n) if i % 2 == 0)\n"
        "def hitung(teks):\n    return Counter(teks.split())\n"
    )
    tests = (
        "conn = buat_db()\n"
        "assert conn.execute('SELECT SUM(x) FROM t').fetchone()[0] == 3\n"
        "assert conn.execute('SELECT x FROM t ORDER BY x').fetchall() == [(1,), (2,)]\n"
        "p = Pegawai('Ani')\n"
        "assert p.nama == 'Ani' and p.sapa() == 'Halo Ani' and isinstance(p, Pegawai)\n"
        "assert list(genap(5)) == [0, 2, 4]\n"
        "assert hitung('a b a') == {'a': 2, 'b': 1}\n"
        "assert p is Pegawai and False or True\n"
        "assert buat_db is buat_db\n"
    )
    exercise = nbf.notebook(nbf.answer_cell(answer), nbf.test_cell(tests, "tes", points=1))
    result = engine.grade(exercise, {"jawaban": answer})
    assert _score(result) == (1, 1), result.tests[0].message


@pytest.mark.parametrize("use", ["len(x)", "bool(x)", "list(x)", "str(x)", "hash(x)", "x in x", "x + 1"])
def test_handles_never_delegate_protocols(engine, nbf, use):
    """Are len, bool, iteration, str, hash, `in` and arithmetic on a trainee object refused?"""
    answer = (
        "class Licik:\n"
        "    def __len__(self):\n        return 3\n"
        "    def __bool__(self):\n        return True\n"
        "    def __iter__(self):\n        return iter([])\n"
        "    def __str__(self):\n        return 'benar'\n"
        "    def __hash__(self):\n        return 1\n"
        "    def __contains__(self, item):\n        return True\n"
        "    def __add__(self, other):\n        return 2\n"
        "x = Licik()\n"
    )
    exercise = nbf.notebook(nbf.answer_cell(answer), nbf.test_cell(f"{use}\n", "tes", points=1))
    result = engine.grade(exercise, {"jawaban": answer})
    assert result.tests[0].status == "error"
    assert result.tests[0].message["code"] == "handle_misuse"


def test_setup_blocks_run_in_the_trainee_process(engine, nbf):
    """Does a SETUP block build fixtures in the trainee's process for the harness to use?"""
    answer = "def buat_tabel(conn):\n    conn.execute('CREATE TABLE aset (kode TEXT UNIQUE)')\n"
    tests = (
        "### BEGIN SETUP\nimport sqlite3\nc = sqlite3.connect(':memory:')\n### END SETUP\n"
        "import sqlite3\n"
        "buat_tabel(c)\n"
        "c.execute(\"INSERT INTO aset VALUES ('A')\")\n"
        "try:\n    c.execute(\"INSERT INTO aset VALUES ('A')\")\n    assert False, 'kembar'\n"
        "except sqlite3.IntegrityError:\n    pass\n"
    )
    exercise = nbf.notebook(nbf.answer_cell(answer), nbf.test_cell(tests, "tes", points=1))
    assert _score(engine.grade(exercise, {"jawaban": answer})) == (1, 1)
    wrong = "def buat_tabel(conn):\n    conn.execute('CREATE TABLE aset (kode TEXT)')\n"
    assert _score(engine.grade(exercise, {"jawaban": wrong})) == (0, 1)


def test_tests_of_tests_use_the_harness_helpers(engine, nbf):
    """Can a trainee who redefines ada_yang_gagal still not pass a test of their tests?"""
    answer = (
        "def kali(a, b):\n    return a * b\n"
        "def test_kali():\n    assert kali(2, 3) == 6\n"
        "def ada_yang_gagal(*args):\n    return True\n"
    )
    weak = answer.replace("assert kali(2, 3) == 6", "assert callable(kali)")
    tests = (
        "### BEGIN SETUP\ndef _salah(a, b):\n    return a + b\n### END SETUP\n"
        "semua_lolos([test_kali])\n"
        "assert ada_yang_gagal('kali', _salah, [test_kali]), 'tes belum menangkap versi cacat'\n"
        "assert kali(4, 5) == 20\n"
    )
    exercise = nbf.notebook(nbf.answer_cell(answer), nbf.test_cell(tests, "tes", points=1))
    assert _score(engine.grade(exercise, {"jawaban": answer})) == (1, 1)
    assert _score(engine.grade(exercise, {"jawaban": weak})) == (0, 1)
