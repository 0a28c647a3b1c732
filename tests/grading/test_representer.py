"""Answer shapes: answers that differ only in names, spacing, comments and docstrings share one shape."""
from tic_academy.grading.representer import MAX_CODE_CHARS, interface_names, normalise, shape_hash

TESTS = ["assert tambah(1, 2) == 3, 'tambah(1, 2) harus 3'\nhasil = tambah(-5, 5)\nassert hasil == 0"]
KEEP = interface_names(TESTS)

ORIGINAL = '''def tambah(a, b):
    hasil = 0
    for angka in (a, b):
        if angka is not None:
            hasil = hasil + angka
    return hasil
'''
#: The same code: other local names, a docstring, comments, other spacing and blank lines.
RENAMED = '''def tambah(x,   y):
    """Jumlahkan dua bilangan."""
    # mulai dari nol
    total=0

    for n in (x, y):   # satu per satu
        if n is not None:
            total = total + n
    return total
'''


def shape(code: str, keep=KEEP):
    """The shape of a one-cell answer."""
    return shape_hash([code], keep)


def test_names_spacing_comments_and_docstrings_do_not_change_the_shape():
    """Do two answers that differ only in local names, spacing, comments and a docstring get the same shape?"""
    assert shape(ORIGINAL) is not None
    assert shape(ORIGINAL) == shape(RENAMED)


def test_the_normal_form_renames_in_order_of_first_appearance():
    """Are the trainee's names v1, v2, ... in order of appearance, with the tested function's name kept?"""
    assert normalise([RENAMED], KEEP) == (
        "def tambah(v1, v2):\n    v3 = 0\n    for v4 in (v1, v2):\n        if v4 is not None:\n"
        "            v3 = v3 + v4\n    return v3"
    )


def test_swapped_comparison_is_a_different_shape():
    """Is `<` against `>=` (different logic) a different shape?"""
    below = "def lulus_batas(skor):\n    return skor < 70"
    at_least = "def lulus_batas(skor):\n    return skor >= 70"
    assert shape(below) != shape(at_least)


def test_commutativity_is_not_normalised():
    """Are `a + b` and `b + a` different shapes (the normalisation does not reorder operands)?"""
    assert shape("def tambah(a, b):\n    return a + b") != shape("def tambah(a, b):\n    return b + a")
    assert shape("def tambah(a, b):\n    return a + b") == shape("def tambah(p, q):\n    return p + q")


def test_the_interface_names_the_tests_call_are_kept():
    """Are two answers that define different function names different shapes when the tests call one of them?"""
    assert "tambah" in KEEP
    assert shape("def tambah(a, b):\n    return a + b") != shape("def jumlah(a, b):\n    return a + b")


def test_a_helper_the_tests_do_not_call_is_renamed():
    """Does the name of the trainee's own helper function not matter?"""
    first = "def bantu(n):\n    return n * 2\n\ndef tambah(a, b):\n    return bantu(a) + b"
    second = "def kali_dua(n):\n    return n * 2\n\ndef tambah(a, b):\n    return kali_dua(a) + b"
    assert shape(first) == shape(second)


def test_a_global_the_tests_read_keeps_its_name():
    """Is a top-level variable the tests read (``hasil``) kept, while one they do not read is renamed?"""
    keep = interface_names(["assert total_pajak == 450"])
    assert shape("total_pajak = 4500 * 0.1", keep) != shape("pajak = 4500 * 0.1", keep)
    assert shape("omzet = 4500\ntotal_pajak = omzet * 0.1", keep) == shape("o = 4500\ntotal_pajak = o * 0.1", keep)


def test_each_function_is_its_own_scope():
    """Do `x` in one function and `y` in another give the same shape as `x` in both?"""
    same_name = "def f(a):\n    x = a\n    return x\n\ndef g(a):\n    x = a * 2\n    return x"
    other_name = "def f(a):\n    x = a\n    return x\n\ndef g(b):\n    y = b * 2\n    return y"
    assert shape(same_name, frozenset({"f", "g"})) == shape(other_name, frozenset({"f", "g"}))


def test_builtins_imports_attributes_and_class_attributes_keep_their_names():
    """Are builtins, imported modules, attributes and names in a class body left as written?"""
    code = ("import math as m\n\nclass Kantor:\n    kode = 'DK'\n\n    def luas(self, sisi):\n"
            "        return m.sqrt(sisi) + len(self.kode)\n")
    text = normalise([code])
    assert "import math as m" in text and "m.sqrt" in text and "len(" in text
    assert "kode = 'DK'" in text and "def luas(" in text and "self" not in text
    assert shape(code) == shape(code.replace("sisi", "panjang").replace("self", "diri"))
    assert shape(code) != shape(code.replace("m.sqrt", "m.floor"))


def test_comprehension_and_lambda_variables_are_renamed():
    """Do the names of comprehension, lambda and except variables not matter?"""
    first = "def f(xs):\n    try:\n        return sorted([v for v in xs if v], key=lambda k: -k)\n    except TypeError as e:\n        return str(e)"
    second = "def f(data):\n    try:\n        return sorted([d for d in data if d], key=lambda z: -z)\n    except TypeError as err:\n        return str(err)"
    assert shape(first, frozenset({"f"})) == shape(second, frozenset({"f"}))


def test_several_cells_share_one_namespace_and_keep_their_boundaries():
    """Is a name defined in one cell and used in the next renamed the same, and does moving code between cells count?"""
    first = ["data = [1, 2]", "jumlah = sum(data)"]
    second = ["angka = [1, 2]", "jumlah = sum(angka)"]
    keep = frozenset({"jumlah"})
    assert shape_hash(first, keep) == shape_hash(second, keep)
    assert shape_hash(first, keep) != shape_hash(["data = [1, 2]\njumlah = sum(data)", ""], keep)


def test_ipython_lines_are_set_aside():
    """Does a `%timeit` or `!pip` line not change the shape (and not stop the answer from parsing)?"""
    assert shape("%timeit tambah(1, 2)\ndef tambah(a, b):\n    return a + b") == shape("def tambah(a, b):\n    return a + b")


def test_code_that_does_not_parse_has_no_shape():
    """Does an answer with a syntax error get no shape (rather than a shape shared with other broken answers)?"""
    assert shape("def tambah(a, b)\n    return a + b") is None
    assert shape_hash(["x = 1", "def (:"], KEEP) is None


def test_huge_and_deeply_nested_answers_are_bounded():
    """Do an over-long answer and one nested too deeply give no shape, without an error?"""
    assert shape("x = 1\n" * (MAX_CODE_CHARS // 6 + 1)) is None
    assert shape("x = " + "(" * 5000 + "1" + ")" * 5000) is None
    assert shape("x = " + "-" * 40000 + "1") is None  # too deep for the parser
    assert shape("x = " + "-" * 1000 + "1") is None  # parses, but too deep to normalise
    assert shape("x = " + "[" * 180 + "]" * 180) is not None


def test_interface_is_what_the_tests_read_not_what_they_bind():
    """Does the interface hold the names tests read (and texts naming a trainee global), not the tests' own variables?"""
    keep = interface_names(["hasil = tambah(1, 2)\nassert hasil == 3\nassert peserta('rekap') == {}\nf(batas=3)"],
                           locked_sources=["data_warga = [1, 2]"], starter_sources=["def hitung(omzet):\n    pass"])
    assert {"tambah", "rekap", "batas", "data_warga", "hitung", "peserta", "f"} <= keep
    assert "hasil" not in keep and "omzet" not in keep



def test_every_function_scope_gets_its_own_placeholders():
    """Does each of many methods get new placeholders (a finished scope's are never handed to a later one)?"""
    import re

    methods = "class A:\n" + "".join(f"    def m{i}(self, p{i}):\n        x{i} = p{i} + 1\n        return [y for y in x{i}]\n"
                                     for i in range(60))
    text = normalise([methods], frozenset({"A"}))
    # Per method: self, the parameter, the variable, the comprehension's variable: 4 new names each.
    assert len(set(re.findall(r"\bv\d+\b", text))) == 60 * 4
    assert "def m59(v237, v238):" in text
    renamed = methods.replace("self", "diri").replace("y for y", "z for z")
    assert shape(methods, frozenset({"A"})) == shape(renamed, frozenset({"A"}))
