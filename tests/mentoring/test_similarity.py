"""Similarity: renamed copies are flagged, independent solutions and shared starter code are not."""
import nbformat
import pytest
from sqlalchemy import select

from tests.mentoring.factories import make_submission
from tests.notebook_factory import exercise_notebook
from tic_academy.extensions import db
from tic_academy.models.mentoring import ReviewItem
from tic_academy.services import notebooks, review_queue
from tic_academy.services.settings import ServiceSettings
from tic_academy.services.similarity import MIN_SOLUTION_TOKENS, code_similarity, similar_pairs, solution_tokens

ORIGINAL = '''def tambah(a, b):
    hasil = 0
    for angka in (a, b):
        if angka is not None:
            hasil = hasil + angka
    return hasil
'''
RENAMED_COPY = '''def tambah(a, b):
    # dijumlahkan satu per satu
    total   = 0
    for x in (a, b):      # setiap bilangan
        if x is not None:
            total = total + x
    return total
'''
INDEPENDENT = '''def tambah(a, b):
    return sum(v for v in [a, b] if v is not None)
'''
STUB = "def tambah(a, b):\n    # TULIS JAWABAN ANDA DI SINI\n    raise NotImplementedError()"
#: A model solution long enough to be compared (the test world's own, "return a + b", is tiny).
MODEL = "\n".join(ORIGINAL.splitlines()[1:])


def use_model_solution(exercise, solution: str) -> None:
    """Give the exercise's version another model solution (a new checksum, so the notebook cache re-reads it)."""
    version = exercise.current_version
    version.source = nbformat.writes(exercise_notebook(solution=solution))
    version.checksum += "-lain"
    db.session.commit()
    notebooks.clear_cache()


@pytest.fixture
def world(world):
    """The mentoring world, its first exercise with a model solution that is not tiny."""
    use_model_solution(world.exercise, MODEL)
    return world


def test_renamed_copy_is_similar():
    """Does a copy with other names, comments and spacing score as (nearly) identical?"""
    assert code_similarity(ORIGINAL, RENAMED_COPY, STUB) >= 0.9


def test_independent_solutions_are_not_similar():
    """Do two different solutions of the same exercise score low?"""
    assert code_similarity(ORIGINAL, INDEPENDENT, STUB) < 0.3


def test_starter_code_is_excluded():
    """Are two trainees who both left the starter code untouched not similar?"""
    assert code_similarity(STUB, STUB, STUB) == 0.0


def test_copy_in_the_cohort_is_flagged_for_the_mentor(world):
    """Does a submission that copies a cohort mate's answer open a similarity item, and an independent one not?"""
    mate_submission = make_submission(world.mate, world.exercise, answers={"jawaban": ORIGINAL})
    review_queue.on_submission_graded(mate_submission)
    copy = make_submission(world.trainee, world.exercise, answers={"jawaban": RENAMED_COPY})
    review_queue.on_submission_graded(copy)
    [item] = db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "similarity")).all()
    assert (item.submission_id, item.other_submission_id) == (copy.id, mate_submission.id)
    assert item.mentor_id == world.mentor_a.id and item.similarity >= 0.9

    independent = make_submission(world.trainee, world.exercise, answers={"jawaban": INDEPENDENT})
    review_queue.on_submission_graded(independent)
    open_items = db.session.scalars(select(ReviewItem).where(ReviewItem.status == "open")).all()
    assert open_items == []  # the copy's item was superseded, and the new one is not similar


def test_pairs_over_a_whole_exercise(world):
    """Does the batch comparison find exactly the copied pair among three submissions?"""
    a = make_submission(world.trainee, world.exercise, answers={"jawaban": ORIGINAL})
    b = make_submission(world.mate, world.exercise, answers={"jawaban": RENAMED_COPY})
    c = make_submission(world.mentor_b, world.exercise, answers={"jawaban": INDEPENDENT})
    pairs = similar_pairs([a, b, c])
    assert [(p.first.id, p.second.id) for p in pairs] == [(a.id, b.id)]


def test_similarity_page_shows_both_sides(world, client, auth):
    """Does the mentor see the two answers side by side?"""
    make_submission(world.mate, world.exercise, answers={"jawaban": ORIGINAL})
    review_queue.on_submission_graded(make_submission(world.trainee, world.exercise, answers={"jawaban": RENAMED_COPY}))
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == "similarity"))
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/kemiripan/{item.id}").get_data(as_text=True)
    assert "hasil = hasil + angka" in html and "total = total + x" in html
    assert "Peserta Dua" in html and "Peserta Satu" in html


def test_the_threshold_comes_from_the_settings_passed_in(world):
    """Does a copy stay unflagged when the caller's settings set the threshold above any similarity?"""
    mate_submission = make_submission(world.mate, world.exercise, answers={"jawaban": ORIGINAL})
    review_queue.on_submission_graded(mate_submission)
    copy = make_submission(world.trainee, world.exercise, answers={"jawaban": RENAMED_COPY})
    review_queue.on_submission_graded(copy, ServiceSettings(similarity_threshold=1.01))
    assert db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "similarity")).all() == []


def test_practice_cells_are_not_compared(world):
    """Are two trainees with different answers but the same experiments in a practice cell not a similar pair?"""
    version = world.exercise.current_version
    nb = nbformat.reads(version.source, as_version=4)
    practice = nbformat.v4.new_code_cell("print('coba')", metadata={
        "nbgrader": {"grade_id": "latihan-bebas-1", "solution": True, "grade": False, "locked": False,
                     "schema_version": 3}, "tic": {"practice": True}})
    nb.cells.append(practice)
    version.source = nbformat.writes(nb)
    db.session.commit()
    experiment = "\n".join(f"latihan_{i} = sorted([{i}, {i * 7 % 5}, {i * 3}], reverse=True)\nprint(latihan_{i})"
                           for i in range(12))
    a = make_submission(world.trainee, world.exercise, answers={"jawaban": ORIGINAL, "latihan-bebas-1": experiment})
    b = make_submission(world.mate, world.exercise, answers={"jawaban": INDEPENDENT, "latihan-bebas-1": experiment})
    assert similar_pairs([a, b]) == []


def test_solution_tokens_count_code_and_words_in_texts():
    """Does the size of a model solution count its tokens and the words of its texts, not comments or starter lines?"""
    starter = "def tambah(a, b):\n    # TULIS JAWABAN ANDA DI SINI\n    raise NotImplementedError()"
    solution = "def tambah(a, b):\n    ### BEGIN SOLUTION\n    return a + b  # jumlahnya\n    ### END SOLUTION"
    assert solution_tokens(solution, starter) == 4  # return a + b
    assert solution_tokens('cur = conn.execute("SELECT nama FROM opd")', "") == 11
    assert solution_tokens(MODEL, starter) >= MIN_SOLUTION_TOKENS


def test_identical_correct_answers_to_a_tiny_exercise_are_not_flagged(world):
    """Are two trainees with the same one-line correct answer (model solution "return a + b") not a similar pair?"""
    use_model_solution(world.exercise, "    return a + b")
    same = "def tambah(a, b):\n    return a + b + 0 * len([a, b, 'jumlah kedua bilangan'])"
    review_queue.on_submission_graded(make_submission(world.mate, world.exercise, answers={"jawaban": same}))
    review_queue.on_submission_graded(make_submission(world.trainee, world.exercise, answers={"jawaban": same}))
    assert db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "similarity")).all() == []


def test_identical_answers_to_a_larger_exercise_are_flagged(world):
    """Do the same identical answers open a similarity item when the model solution is not tiny?"""
    same = "def tambah(a, b):\n    return a + b + 0 * len([a, b, 'jumlah kedua bilangan'])"
    review_queue.on_submission_graded(make_submission(world.mate, world.exercise, answers={"jawaban": same}))
    review_queue.on_submission_graded(make_submission(world.trainee, world.exercise, answers={"jawaban": same}))
    [item] = db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "similarity")).all()
    assert item.similarity == 1.0
