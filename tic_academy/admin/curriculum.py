"""Admin views of the curriculum: tracks, stages, exercises, and the sync."""
import re
from dataclasses import dataclass, field

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.policy import role_required
from ..config import BASE_DIR
from ..curriculum.sync import latest_sync, sync_curricula
from ..enums import Role
from ..extensions import db
from ..models import CurriculumSync, Exercise, ExerciseVersion, Track
from .blueprint import bp
from .forms import ConfirmForm


@bp.route("/kurikulum")
@role_required(Role.ADMIN)
def curriculum():
    """Tracks with their stages and exercises, and the last sync's report."""
    tracks = db.session.scalars(select(Track).order_by(Track.retired, Track.title_id)).all()
    version_counts = dict(
        db.session.execute(
            select(ExerciseVersion.exercise_id, func.count()).group_by(ExerciseVersion.exercise_id)
        ).all()
    )
    exercise_count = db.session.scalar(select(func.count()).select_from(Exercise).where(~Exercise.retired))
    last_sync = latest_sync()
    return render_template(
        "admin/curriculum.html",
        tracks=tracks,
        version_counts=version_counts,
        exercise_count=exercise_count,
        last_sync=last_sync,
        sync_summary=summarise_sync(last_sync) if last_sync else None,
        sync_kinds=SYNC_KINDS,
        sync_actions=SYNC_ACTIONS,
        confirm=ConfirmForm(),
    )


@bp.route("/kurikulum/sinkron", methods=["POST"])
@role_required(Role.ADMIN)
def curriculum_sync():
    """Re-sync the curricula from the repository files and show the report."""
    if ConfirmForm().validate_on_submit():
        run = sync_curricula(BASE_DIR, actor=current_user)
        if run.ok:
            flash(_("Curriculum synced."), "success")
        else:
            flash(_("The curriculum has problems and was not synced. See the report below."), "danger")
    return redirect(url_for("admin.curriculum"))


#: The kinds of thing a sync changes, as the log names them (curriculum/sync.py), in the table's order.
SYNC_KINDS = {"track": _l("Tracks"), "stage": _l("Stages"), "exercise": _l("Exercises")}
#: What happened to them: the start of the log's text after "kind id: ".
SYNC_ACTIONS = {
    "created": _l("New"),
    "updated": _l("Changed"),
    "new version": _l("New version of the notebook"),
    "retired": _l("Retired (kept: it has submissions)"),
    "removed": _l("Removed"),
}
#: One line of the sync log: "exercise py-01: new version 0123abcd".
SYNC_LINE = re.compile(r"^(track|stage|exercise) (\S+): (created|updated|new version|retired|removed)\b")


@dataclass
class SyncSummary:
    """A sync run in numbers: per action, how many tracks, stages and exercises; and the lines not understood."""

    ok: bool
    #: action -> kind -> count, only actions that happened.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: int = 0
    other_lines: int = 0

    @property
    def no_changes(self) -> bool:
        """Did a successful sync change nothing?"""
        return self.ok and not self.counts and not self.other_lines


def summarise_sync(run: CurriculumSync) -> SyncSummary:
    """Count the changes (or problems) of a sync from its log, for the page's Indonesian summary."""
    lines = [line for line in (run.report or "").splitlines() if line.strip() and line.strip() != "no changes"]
    if not run.ok:
        return SyncSummary(ok=False, problems=len(lines))
    summary = SyncSummary(ok=True)
    for line in lines:
        match = SYNC_LINE.match(line)
        if match is None:
            summary.other_lines += 1
            continue
        kind, _id, action = match.groups()
        per_kind = summary.counts.setdefault(action, {})
        per_kind[kind] = per_kind.get(kind, 0) + 1
    summary.counts = {action: summary.counts[action] for action in SYNC_ACTIONS if action in summary.counts}
    return summary
