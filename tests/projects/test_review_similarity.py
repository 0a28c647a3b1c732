"""Similarity of project submissions: across all Python files, template code ignored, flagged like notebooks."""
from pathlib import Path

from sqlalchemy import select

from tests.projects.conftest import PROJECT_DIR
from tests.projects.helpers import push_files
from tests.projects.test_review import graded
from tic_academy.extensions import db
from tic_academy.models import Enrollment
from tic_academy.models.mentoring import ReviewItem
from tic_academy.services import projects, review_queue, similarity
from tic_academy.services.enrollment import current_enrollment

SOLUTION = {str(path.relative_to(PROJECT_DIR / "solution")): path.read_bytes()
            for path in sorted((PROJECT_DIR / "solution").rglob("*.py"))}

OWN_A = b'''def ringkas(daftar):
    """Hitung jumlah pengaduan per status."""
    hasil = {}
    for item in daftar:
        hasil[item["status"]] = hasil.get(item["status"], 0) + 1
    return hasil
'''
OWN_B = b'''import csv
import io


def ekspor_csv(baris_baris, kolom):
    """Tulis pengaduan sebagai teks CSV dengan kolom yang diminta."""
    keluaran = io.StringIO()
    penulis = csv.DictWriter(keluaran, fieldnames=kolom, extrasaction="ignore")
    penulis.writeheader()
    penulis.writerows(baris_baris)
    return keluaran.getvalue().splitlines()
'''


def renamed(files: dict) -> dict:
    """The files with some names changed and a comment added (what a copier does)."""
    return {path: b"# dikerjakan sendiri\n" + data.replace(b"galat", b"kesalahan").replace(b"data", b"masukan")
            for path, data in files.items()}


def mate_of(world, make_user):
    """A second trainee in the same cohort, with the same mentor."""
    mate = make_user(role="trainee")
    cohort = current_enrollment(world["trainee"].id).cohort
    db.session.add(Enrollment(cohort=cohort, trainee=mate, mentor=world["mentor"]))
    db.session.commit()
    return mate


def submit_as(app, trainee, exercise, files):
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, files)
    return graded(projects.submit_commit(trainee.id, exercise.id, sha, "push", root))


def similarity_items():
    return db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "similarity")).all()


def test_a_renamed_copy_across_files_is_flagged(app, world, make_user, runner_log):
    """Does a cohort mate's renamed copy of a whole project open a similarity item for the mentor?"""
    mate = mate_of(world, make_user)
    original = submit_as(app, world["trainee"], world["exercise"], SOLUTION)
    review_queue.on_submission_graded(original)
    copy = submit_as(app, mate, world["exercise"], renamed(SOLUTION))
    review_queue.on_submission_graded(copy)
    [item] = similarity_items()
    assert (item.submission_id, item.other_submission_id) == (copy.id, original.id)
    assert item.mentor_id == world["mentor"].id and item.similarity >= 0.8


def test_template_code_is_ignored(app, world, make_user, runner_log):
    """Are two trainees who kept the whole template and wrote different code of their own not flagged?"""
    mate = mate_of(world, make_user)
    first = submit_as(app, world["trainee"], world["exercise"], {"pengaduan/ringkasan.py": OWN_A})
    second = submit_as(app, mate, world["exercise"], {"pengaduan/ekspor.py": OWN_B})
    review_queue.on_submission_graded(first)
    review_queue.on_submission_graded(second)
    assert similarity_items() == []
    assert similarity.similar_pairs([first, second], threshold=0.3) == []
    # what the template lines would have weighed: the whole Python code of both is nearly the same
    whole = ["\n".join(similarity.python_files(s.snapshot)[p] for p in sorted(similarity.python_files(s.snapshot)))
             for s in (first, second)]
    assert similarity.code_similarity(*whole) >= 0.8


def test_project_code_drops_template_lines(app, world):
    """Does the compared code keep only lines that are not in the template (all Python files, path order)?"""
    version = world["exercise"].current_version
    template_lines, template_code = similarity.project_template(version)
    assert 'bp = Blueprint("pengaduan", __name__, url_prefix="/api/pengaduan")' in template_lines
    assert "pengaduan/rute.py" not in template_code and "def buat():" in template_code
    assert similarity.project_code(version.template_archive, template_lines) == ""


def test_the_similarity_page_shows_both_projects_code(client, auth, app, world, make_user, runner_log):
    """Does the mentor's similarity page show both trainees' compared code (template lines left out)?"""
    mate = mate_of(world, make_user)
    review_queue.on_submission_graded(submit_as(app, world["trainee"], world["exercise"], SOLUTION))
    review_queue.on_submission_graded(submit_as(app, mate, world["exercise"], renamed(SOLUTION)))
    [item] = similarity_items()
    auth.login(world["mentor"])
    html = client.get(f"/mentor/kemiripan/{item.id}").get_data(as_text=True)
    assert html.count('class="border rounded p-2 small project-code"') == 2
    assert "kesalahan" in html and "dikerjakan sendiri" in html
    assert "from flask import Blueprint" not in html  # a template line
