"""Similarity of answers: token fingerprints (winnowing) through the ``copydetect`` package.

copydetect tokenises Python with Pygments, replaces every name with a
placeholder and drops comments and whitespace, then keeps winnowed hashes of
k-grams of what is left (Schleimer, Wilkerson & Aiken, "Winnowing", 2003). So a
copy with renamed variables and new comments still matches; fingerprints that
also occur in the starter code of the exercise are removed first, so two
trainees who left the same stub are not "similar".

Project exercises are compared over all their Python files together (in path
order), from the stored snapshots: lines that also exist in the template are
dropped first and the template's fingerprints are left out too, so the starter
repository every trainee received never counts as copying.

Tiny answers are not compared: an answer cell whose model solution has fewer
than ``MIN_SOLUTION_TOKENS`` tokens (names, operators and literals, each word of
a text counting once; comments and the lines the starter already holds do not
count) is left out, because correct answers to it are necessarily alike
("return tarif_harian * jumlah_hari"). An exercise with no other code answer
cell is not compared at all.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import combinations
from typing import Optional

import numpy as np
from copydetect import CodeFingerprint, compare_files
from pygments.lexers import PythonLexer
from pygments.token import Comment, String, Text, Whitespace
from sqlalchemy import func, select

from ..enums import SubmissionMode, SubmissionStatus
from ..extensions import db
from ..grading import read_files
from ..models import Enrollment, ExerciseVersion, Submission
from . import notebooks

#: Length of the k-grams hashed, in characters of the filtered code.
NOISE_K = 25
#: Winnowing window: one fingerprint is kept per window of this many k-grams.
WINDOW = 4
#: Pairs whose similarity (the smaller of the two shares) reaches this are flagged.
DEFAULT_THRESHOLD = 0.8
#: Answer cells whose model solution has fewer tokens than this are not compared (see the module docstring).
#: In the programmer-pemerintahan track this leaves out 17 of 199 code answer cells, and one whole exercise
#: (01-nilai-dan-variabel, three one-line assignments).
MIN_SOLUTION_TOKENS = 20


@dataclass
class SimilarPair:
    """Two submissions whose answers share a large part of their fingerprints."""

    first: Submission
    second: Submission
    #: The smaller of the two shares of matching code (0..1).
    similarity: float


def answer_code(answers: dict[str, str], answer_ids: Optional[list[str]] = None) -> str:
    """The code of the answer cells, in a stable order (by grade_id when no order is given)."""
    ids = answer_ids if answer_ids is not None else sorted(answers)
    return "\n".join(answers.get(gid, "") for gid in ids)


def solution_tokens(solution: str, starter: str) -> int:
    """How many tokens the model solution adds to the starter (comments, blank and starter lines left out)."""
    starter_lines = {line.strip() for line in starter.splitlines()}
    added = "\n".join(line for line in solution.splitlines() if line.strip() not in starter_lines)
    count = 0
    for kind, value in PythonLexer().get_tokens(added):
        if not value.strip() or kind in Comment or kind in Whitespace or kind in Text:
            continue
        # A query or message in a string is as telling as code: each of its words counts (its quotes do not).
        count += len(value.strip("\"'").split()) if kind in String else 1
    return count


def starter_code(version: ExerciseVersion) -> tuple[list[str], str]:
    """The compared code answer cells' grade_ids and their starter code (practice and tiny cells left out)."""
    notebook = notebooks.of_version(version)
    # Ungraded practice cells are for trying things out; shared experiments there are no copying.
    cells = [c for c in notebook.code_answer_cells if c.grade_id not in notebook.practice_ids
             and solution_tokens(c.solution, c.starter) >= MIN_SOLUTION_TOKENS]
    return [c.grade_id for c in cells], "\n".join(c.starter for c in cells)


def python_files(archive: Optional[bytes]) -> dict[str, str]:
    """{path: text} of the Python files of a tar.gz snapshot ({} when unreadable)."""
    if not archive:
        return {}
    try:
        files = read_files(archive)
    except ValueError:
        return {}
    texts = {}
    for path, data in files.items():
        if path.endswith(".py"):
            try:
                texts[path] = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def project_template(version: ExerciseVersion) -> tuple[set[str], str]:
    """The stripped non-blank lines of the template's Python files, and that code itself."""
    files = python_files(version.template_archive)
    code = "\n".join(files[path] for path in sorted(files))
    return {line.strip() for line in code.splitlines() if line.strip()}, code


def project_code(archive: Optional[bytes], template_lines: set[str]) -> str:
    """A project snapshot's Python files in path order, without blank lines and lines that exist in the template."""
    files = python_files(archive)
    kept = []
    for path in sorted(files):
        kept.extend(line for line in files[path].splitlines() if line.strip() and line.strip() not in template_lines)
    return "\n".join(kept)


def compared_project_code(submission: Submission) -> str:
    """The code of a project submission that similarity compares (its Python files minus template lines)."""
    template_lines, _ = project_template(submission.exercise_version)
    return project_code(submission.snapshot, template_lines)


def boilerplate_hashes(code: str) -> np.ndarray:
    """Every k-gram hash of ``code`` (no winnowing), to be left out of comparisons."""
    if not code.strip():
        return np.array([])
    return np.unique(np.array(list(_fingerprint(code, window=1).hashes)))


def _fingerprint(code: str, window: int = WINDOW, boilerplate=None) -> CodeFingerprint:
    return CodeFingerprint(
        "answer.py", NOISE_K, window, boilerplate=boilerplate, language="python", fp=io.StringIO(code)
    )


def fingerprint(code: str, boilerplate) -> Optional[CodeFingerprint]:
    """The winnowed fingerprint of ``code`` without the boilerplate; None when too little is left."""
    try:
        result = _fingerprint(code, boilerplate=boilerplate)
    except (ValueError, IndexError):  # shorter than one k-gram
        return None
    return result if result.token_coverage > 0 and result.hashes else None


def similarity(first: CodeFingerprint, second: CodeFingerprint) -> float:
    """The smaller of the two shares of code that matches the other (0..1)."""
    _, (share1, share2), _ = compare_files(first, second)
    return float(min(share1, share2))


def code_similarity(code1: str, code2: str, starter: str = "") -> float:
    """How similar two pieces of code are (0..1), ignoring ``starter`` code."""
    boilerplate = boilerplate_hashes(starter)
    first, second = fingerprint(code1, boilerplate), fingerprint(code2, boilerplate)
    if first is None or second is None:
        return 0.0
    return similarity(first, second)


def latest_submissions(exercise_id: int, cohort_id: int) -> list[Submission]:
    """Each cohort trainee's latest graded submission of the exercise."""
    latest = (
        select(func.max(Submission.id))
        .join(Enrollment, Enrollment.trainee_id == Submission.trainee_id)
        .where(
            Enrollment.cohort_id == cohort_id,
            Submission.exercise_id == exercise_id,
            Submission.mode == SubmissionMode.SUBMIT,
            Submission.status == SubmissionStatus.GRADED,
        )
        .group_by(Submission.trainee_id)
    )
    return list(db.session.scalars(select(Submission).where(Submission.id.in_(latest)).order_by(Submission.id)))


def similar_pairs(submissions: list[Submission], threshold: float = DEFAULT_THRESHOLD,
                  only_with: Optional[Submission] = None) -> list[SimilarPair]:
    """Pairs of different trainees' submissions at or above ``threshold``.

    With ``only_with``, only the pairs that include that submission (what a new
    submission needs); otherwise every pair.
    """
    if only_with is not None and all(s.id != only_with.id for s in submissions):
        submissions = [*submissions, only_with]
    if not submissions:
        return []
    version = (only_with or submissions[0]).exercise_version
    if version.exercise.is_project:
        template_lines, starter = project_template(version)
        boilerplate = boilerplate_hashes(starter)
        prints = {s.id: fingerprint(project_code(s.snapshot, template_lines), boilerplate) for s in submissions}
    else:
        answer_ids, starter = starter_code(version)
        if not answer_ids:  # every answer is tiny: nothing tells a copy from a correct answer
            return []
        boilerplate = boilerplate_hashes(starter)
        prints = {s.id: fingerprint(answer_code(s.answers or {}, answer_ids), boilerplate) for s in submissions}
    if only_with is not None:
        candidates = [(only_with, other) for other in submissions if other.id != only_with.id]
    else:
        candidates = list(combinations(submissions, 2))
    pairs = []
    for first, second in candidates:
        if first.trainee_id == second.trainee_id or prints[first.id] is None or prints[second.id] is None:
            continue
        share = similarity(prints[first.id], prints[second.id])
        if share >= threshold:
            pairs.append(SimilarPair(first, second, share))
    return sorted(pairs, key=lambda pair: -pair.similarity)
