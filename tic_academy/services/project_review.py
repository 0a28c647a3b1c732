"""Mentor review of a project submission: the diff file by file, and comments on lines of files.

Everything is read from the stored snapshots (``Submission.snapshot`` and the version's
``template_archive``, both tar.gz), so no repository is needed (a Celery-only host works).

- ``submission_diff``: the files of a submission against the trainee's previous graded
  submission of the exercise, or against the template when there is none.
- ``add_file_comment``: a mentor's comment on any line of a file (changed or not); the line's
  text is kept so the comment can follow its line into later commits; the trainee is notified.
- ``comments_for_file``: the comments a trainee received on a file, placed on the lines of a
  given text (a later commit, the editor's working copy). A comment goes to the line with the
  same text nearest its old line number; when that text is gone it is listed as "on an earlier
  version". The trainee's submission page and the browser editor both use it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select

from .. import links
from ..enums import SubmissionMode, SubmissionStatus
from ..extensions import db
from ..grading import read_files
from ..models import Submission, User
from ..models.mentoring import LineComment
from . import ServiceError
from .notebook_html import render_markdown
from .notifications import notify
from .projects import SHOWN_FILE_CAP
from .reviews import MAX_TEXT

#: Files with more lines than this are listed but not diffed line by line.
MAX_DIFF_LINES = 3000
#: Once the page holds this many rows, further files are listed without their lines.
MAX_PAGE_LINES = 20000
#: Longest path a comment may name.
MAX_PATH = 512


@dataclass
class DiffLine:
    """One row of a file's diff: "add", "del" or "same", with its old and new line numbers."""

    kind: str
    old: Optional[int]
    new: Optional[int]
    text: str
    comments: list[LineComment] = field(default_factory=list)


@dataclass
class FileDiff:
    """One file of a submission against the base: its status and its rows."""

    path: str
    #: "added", "removed", "changed" or "same".
    status: str
    lines: list[DiffLine]
    #: True when the file is binary or too large to show as text (then ``lines`` is empty).
    hidden: bool = False
    #: Comments whose line no longer exists in this version of the file.
    earlier: list[LineComment] = field(default_factory=list)

    @property
    def added(self) -> int:
        """How many lines were added."""
        return sum(1 for line in self.lines if line.kind == "add")

    @property
    def removed(self) -> int:
        """How many lines were removed."""
        return sum(1 for line in self.lines if line.kind == "del")

    @property
    def comment_count(self) -> int:
        """How many comments the file's lines carry (here and from earlier versions)."""
        return sum(len(line.comments) for line in self.lines) + len(self.earlier)


@dataclass
class ProjectDiff:
    """A submission's files against its base (the previous graded submission, or the template)."""

    base: Optional[Submission]
    files: list[FileDiff]

    @property
    def from_template(self) -> bool:
        """Is the base the exercise's template (no earlier graded submission)?"""
        return self.base is None


@dataclass
class FileComments:
    """The comments on a file placed on the lines of one text of it."""

    #: {1-based line number: comments shown beside that line}
    by_line: dict[int, list[LineComment]]
    #: Comments whose line text no longer exists ("pada versi sebelumnya").
    earlier: list[LineComment]

    def as_json(self) -> dict:
        """The comments as JSON for the browser editor (the markdown and its sanitised HTML)."""
        def one(comment: LineComment) -> dict:
            return {"id": comment.id, "submission_id": comment.submission_id, "line": comment.line,
                    "line_text": comment.line_text, "author": comment.author.full_name,
                    "created_at": comment.created_at.isoformat(), "body": comment.body,
                    "html": str(render_markdown(comment.body))}
        return {
            "lines": {str(number): [one(c) for c in comments] for number, comments in sorted(self.by_line.items())},
            "earlier": [one(c) for c in self.earlier],
        }


# --- reading snapshots ------------------------------------------------------------------


def file_lines(text: str) -> list[str]:
    """The lines of a file's text (a final newline does not make an extra empty line)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _texts(archive: Optional[bytes]) -> dict[str, Optional[str]]:
    """{path: text} of a tar.gz snapshot; None for a binary or over-large file; {} when unreadable."""
    if not archive:
        return {}
    try:
        files = read_files(archive)
    except ValueError:
        return {}
    texts: dict[str, Optional[str]] = {}
    for path, data in files.items():
        text = None
        if len(data) <= SHOWN_FILE_CAP and b"\0" not in data:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        texts[path] = text
    return texts


def submission_texts(submission: Submission) -> dict[str, Optional[str]]:
    """{path: text or None} of a submission's commit."""
    return _texts(submission.snapshot)


def template_texts(submission: Submission) -> dict[str, Optional[str]]:
    """{path: text or None} of the template of the submission's exercise version."""
    return _texts(submission.exercise_version.template_archive)


def previous_graded(submission: Submission) -> Optional[Submission]:
    """The trainee's graded submission of the same exercise just before this one."""
    return db.session.scalar(select(Submission).where(
        Submission.trainee_id == submission.trainee_id,
        Submission.exercise_id == submission.exercise_id,
        Submission.mode == SubmissionMode.SUBMIT,
        Submission.status == SubmissionStatus.GRADED,
        Submission.id < submission.id,
    ).order_by(Submission.id.desc()).limit(1))


# --- the diff ----------------------------------------------------------------------------


def _diff_lines(old: list[str], new: list[str]) -> list[DiffLine]:
    """The rows of a line diff, with old and new line numbers."""
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffLine("same", i1 + k + 1, j1 + k + 1, new[j1 + k]) for k in range(i2 - i1))
            continue
        rows.extend(DiffLine("del", i + 1, None, old[i]) for i in range(i1, i2))
        rows.extend(DiffLine("add", None, j + 1, new[j]) for j in range(j1, j2))
    return rows


def _file_diff(path: str, old: Optional[str], new: Optional[str], in_old: bool, in_new: bool) -> FileDiff:
    """One file's diff; a binary or over-long file is listed without its lines."""
    if not in_old:
        status = "added"
    elif not in_new:
        status = "removed"
    else:
        status = "same" if old == new else "changed"
    shown = [text for text, present in ((old, in_old), (new, in_new)) if present]
    if any(text is None or len(file_lines(text)) > MAX_DIFF_LINES for text in shown):
        return FileDiff(path, status, [], hidden=True)
    return FileDiff(path, status, _diff_lines(file_lines(old or ""), file_lines(new or "")))


def submission_diff(submission: Submission) -> ProjectDiff:
    """The submission's files against the previous graded submission (or the template), with comments."""
    base = previous_graded(submission)
    old_texts = submission_texts(base) if base is not None else template_texts(submission)
    new_texts = submission_texts(submission)
    files, rows = [], 0
    for path in sorted(set(old_texts) | set(new_texts)):
        diff = _file_diff(path, old_texts.get(path), new_texts.get(path), path in old_texts, path in new_texts)
        rows += len(diff.lines)
        if rows > MAX_PAGE_LINES:
            diff.lines, diff.hidden = [], True
        text = new_texts.get(path)
        if path in new_texts and text is not None and not diff.hidden:
            placed = comments_for_file(submission.trainee_id, submission.exercise_id, path, text,
                                       upto_submission_id=submission.id)
            for line in diff.lines:
                if line.new is not None:
                    line.comments = placed.by_line.get(line.new, [])
            diff.earlier = placed.earlier
        files.append(diff)
    return ProjectDiff(base, files)


# --- comments on lines of files ------------------------------------------------------------


def add_file_comment(submission: Submission, author: User, path: str, line: int, body: str) -> LineComment:
    """Comment on one line (changed or not) of a file of a project submission; the trainee is told."""
    if not submission.exercise.is_project:
        raise ServiceError(_("Only a project submission has files to comment on."))
    path = (path or "").strip()
    text = submission_texts(submission).get(path) if path and len(path) <= MAX_PATH else None
    if text is None:
        raise ServiceError(_("This submission has no text file %(path)s.", path=path[:MAX_PATH]))
    lines = file_lines(text)
    if not 1 <= line <= len(lines):
        raise ServiceError(_("Line %(n)s does not exist in this file.", n=line))
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("%(what)s is empty.", what=_("The comment")))
    if len(body) > MAX_TEXT:
        raise ServiceError(_("%(what)s is too long (at most %(n)s characters).", what=_("The comment"), n=MAX_TEXT))
    comment = LineComment(submission_id=submission.id, grade_id="", path=path, line=line,
                          line_text=lines[line - 1], author_id=author.id, body=body)
    db.session.add(comment)
    trainee = submission.trainee
    notify(trainee, "review.line_comment", links.path("trainee.submission", submission_id=submission.id),
           mentor=author.full_name, path=path, line=line, exercise=submission.exercise.title(trainee.locale))
    db.session.commit()
    return comment


def _nearest(lines: list[str], text: str, old_line: int) -> Optional[int]:
    """The 1-based number of the line equal to ``text`` nearest ``old_line``; None when there is none.

    A blank line is only kept where it was (blank lines are everywhere, so their text says nothing).
    """
    if not text.strip():
        return old_line if 1 <= old_line <= len(lines) and not lines[old_line - 1].strip() else None
    found = [number for number, line in enumerate(lines, start=1) if line == text]
    if not found:
        return None
    return min(found, key=lambda number: (abs(number - old_line), number))


def comments_for_file(trainee_id: int, exercise_id: int, path: str, text: str,
                      upto_submission_id: Optional[int] = None) -> FileComments:
    """The comments a trainee received on ``path`` in their submissions of the exercise, placed on ``text``.

    With ``upto_submission_id``, only comments on that submission and earlier ones (what was known
    at that commit). Each comment goes beside the line with its text nearest its old line number;
    when that text is gone it is listed in ``earlier``.
    """
    query = (select(LineComment).join(Submission, Submission.id == LineComment.submission_id)
             .where(Submission.trainee_id == trainee_id, Submission.exercise_id == exercise_id,
                    LineComment.path == path)
             .order_by(LineComment.id))
    if upto_submission_id is not None:
        query = query.where(Submission.id <= upto_submission_id)
    lines = file_lines(text)
    by_line: dict[int, list[LineComment]] = {}
    earlier = []
    for comment in db.session.scalars(query):
        number = _nearest(lines, comment.line_text or "", comment.line)
        if number is None:
            earlier.append(comment)
        else:
            by_line.setdefault(number, []).append(comment)
    return FileComments(by_line, earlier)


@dataclass
class CommentedFile:
    """A file of a submission that carries comments, line by line, for the trainee's page."""

    path: str
    lines: list[DiffLine]
    earlier: list[LineComment]


def commented_files(submission: Submission) -> list[CommentedFile]:
    """The files of a project submission that have comments (on this or an earlier submission)."""
    paths = set(db.session.scalars(
        select(LineComment.path).join(Submission, Submission.id == LineComment.submission_id)
        .where(Submission.trainee_id == submission.trainee_id, Submission.exercise_id == submission.exercise_id,
               Submission.id <= submission.id, LineComment.path.is_not(None))))
    if not paths:
        return []
    texts = submission_texts(submission)
    shown = []
    for path in sorted(paths):
        text = texts.get(path) or ""
        placed = comments_for_file(submission.trainee_id, submission.exercise_id, path, text,
                                   upto_submission_id=submission.id)
        lines = [DiffLine("same", number, number, line, placed.by_line.get(number, []))
                 for number, line in enumerate(file_lines(text), start=1)]
        shown.append(CommentedFile(path, lines, placed.earlier))
    return shown
