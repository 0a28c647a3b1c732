"""`flask curriculum validate`: structure and notebook checks, and proof by execution."""
import nbformat
import pytest

from tests.notebook_factory import exercise_entry, exercise_notebook, track_data, valid_tree, write_tree
from tic_academy.config import BASE_DIR
from tic_academy.curriculum.validate import validate


def messages(root, engine=None):
    """The problem lines of validating ``root``."""
    return [str(p) for p in validate(root, engine).problems]


def test_valid_tree_has_no_structural_problems(tmp_path):
    """Does a well-formed tree pass the structural and format checks?"""
    assert messages(valid_tree(tmp_path)) == []


def test_missing_notebook(tmp_path):
    """Is a referenced notebook that does not exist reported with the file and path?"""
    write_tree(tmp_path, track_data([exercise_entry("hilang", "uji/hilang.ipynb")]), {})
    assert messages(tmp_path) == [
        "curricula/jalur-uji.yaml: stages[0].exercises[0].notebook: notebook not found: notebooks/uji/hilang.ipynb"
    ]


def test_unreferenced_notebook(tmp_path):
    """Is a notebook no track mentions reported?"""
    valid_tree(tmp_path)
    (tmp_path / "notebooks/uji/yatim.ipynb").write_text(nbformat.writes(exercise_notebook()))
    assert messages(tmp_path) == ["notebooks/uji/yatim.ipynb: notebook is not referenced by any track"]


def test_bad_threshold(tmp_path):
    """Is a pass threshold outside 0..1 reported?"""
    write_tree(tmp_path, track_data([exercise_entry("tambah", "uji/tambah.ipynb")], threshold=1.5),
               {"uji/tambah.ipynb": exercise_notebook()})
    assert messages(tmp_path) == [
        "curricula/jalur-uji.yaml: stages[0].pass_threshold: threshold 1.5 is not within 0..1"
    ]


def test_week_outside_stage_and_duplicate_id(tmp_path):
    """Are an exercise week outside its stage and a duplicate exercise id reported?"""
    entries = [exercise_entry("tambah", "uji/a.ipynb"), exercise_entry("tambah", "uji/b.ipynb", week=5)]
    write_tree(tmp_path, track_data(entries), {"uji/a.ipynb": exercise_notebook(), "uji/b.ipynb": exercise_notebook()})
    found = messages(tmp_path)
    assert "curricula/jalur-uji.yaml: stages[0].exercises[1].id: duplicate exercise id 'tambah'" in found
    assert "curricula/jalur-uji.yaml: stages[0].exercises[1].week: week 5 is outside the stage's weeks 1-2" in found


def test_schema_error_names_the_path(tmp_path):
    """Does a schema error name the file, the path inside it and what is wrong?"""
    track = track_data([exercise_entry("tambah", "uji/tambah.ipynb")])
    del track["stages"][0]["exercises"][0]["minutes"]
    write_tree(tmp_path, track, {"uji/tambah.ipynb": exercise_notebook()})
    assert messages(tmp_path) == [
        "curricula/jalur-uji.yaml: stages[0].exercises[0]: 'minutes' is a required property",
        "notebooks/uji/tambah.ipynb: notebook is not referenced by any track",
    ]


def test_invalid_yaml(tmp_path):
    """Is a track file that is not YAML reported, not crashed on?"""
    (tmp_path / "curricula").mkdir()
    (tmp_path / "curricula/rusak.yaml").write_text("id: [tidak tertutup\n")
    [line] = messages(tmp_path)
    assert line.startswith("curricula/rusak.yaml: invalid YAML")


def test_stored_outputs_and_missing_hidden_tests(tmp_path):
    """Are stored outputs and an exercise without hidden tests reported?"""
    nb = exercise_notebook(hidden="")
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="hasil\n")]
    write_tree(tmp_path, track_data([exercise_entry("tambah", "uji/tambah.ipynb")]), {"uji/tambah.ipynb": nb})
    found = messages(tmp_path)
    assert "notebooks/uji/tambah.ipynb: cell 1 (jawaban): source notebooks must not store outputs" in found
    assert "notebooks/uji/tambah.ipynb: an autograded exercise needs at least one hidden test" in found


def test_malformed_notebook(tmp_path):
    """Is a notebook that is not JSON reported with its file?"""
    write_tree(tmp_path, track_data([exercise_entry("tambah", "uji/tambah.ipynb")]), {"uji/tambah.ipynb": "{bukan json"})
    [line] = messages(tmp_path)
    assert line.startswith("notebooks/uji/tambah.ipynb: ")


@pytest.mark.kernel
def test_valid_exercise_is_proven(tmp_path, engine):
    """Does a correct exercise pass the proof by execution?"""
    assert messages(valid_tree(tmp_path), engine) == []


@pytest.mark.kernel
def test_solution_that_does_not_pass(tmp_path, engine):
    """Is a model solution that fails its own tests reported?"""
    valid_tree(tmp_path, solution="    return a - b")
    found = messages(tmp_path, engine)
    assert any("test tes-tambah: the solution does not pass (failed" in line for line in found), found


@pytest.mark.kernel
def test_test_that_cannot_fail(tmp_path, engine):
    """Is a test that passes on the untouched trainee version (tests nothing) reported?"""
    valid_tree(tmp_path, public="assert True", hidden="assert 1 + 1 == 2")
    found = messages(tmp_path, engine)
    assert found == [
        "notebooks/uji/tambah.ipynb: test tes-tambah: passes on the untouched trainee version: it tests nothing",
        "notebooks/uji/tambah.ipynb: test tes-tambah: passes when the answer cells only define the right names "
        "(def f(*a, **k): return None): it checks names, not behaviour",
    ]


def test_leaked_hidden_test(tmp_path, monkeypatch):
    """If making the trainee version ever kept hidden tests or solutions, would validation say so?"""
    import copy

    import tic_academy.curriculum.validate as validate_module

    def leaky_trainee_version(nb):
        return copy.deepcopy(nb)  # a broken generator: strips nothing

    monkeypatch.setattr(validate_module, "make_trainee_version", leaky_trainee_version)
    nb = exercise_notebook()
    write_tree(tmp_path, track_data([exercise_entry("tambah", "uji/tambah.ipynb")]), {"uji/tambah.ipynb": nb})
    exercise = validate(tmp_path).exercises[0]
    found = [str(p) for p in validate_module.check_trainee_version(exercise)]
    assert found == [
        "notebooks/uji/tambah.ipynb: cell 1 (jawaban): solution text leaks into the trainee version: 'return a + b'",
        "notebooks/uji/tambah.ipynb: cell 2 (tes-tambah): hidden test text leaks into the trainee version: \"assert tambah(-5, 5) == 0, 'bilangan negatif'\"",
    ]


def test_real_trainee_version_does_not_leak(tmp_path):
    """Does the real trainee version of a valid exercise pass the leak check?"""
    from tic_academy.curriculum.validate import check_trainee_version

    exercise = validate(valid_tree(tmp_path)).exercises[0]
    assert check_trainee_version(exercise) == []


def test_validate_only_checks_the_named_exercises():
    """--only narrows the notebook and project checks to the named exercises; the structure stays whole."""
    whole = validate(BASE_DIR)
    narrowed = validate(BASE_DIR, only={"list"})
    assert len(whole.exercises) > 1
    assert [e.entry["id"] for e in narrowed.exercises] == ["list"]
    assert narrowed.projects == []
    assert not [p for p in narrowed.problems if "not referenced" in p.message]
