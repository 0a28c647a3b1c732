"""Exercise insight (wawasan latihan): where trainees get stuck, for curriculum authors.

Admins and mentors (who write and maintain the exercises) may read it; nothing here changes data.
OPD heads and trainees get 403: the figures are about the curriculum, not about their staff.
"""
from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext

from ..auth.policy import role_required
from ..enums import Role
from ..extensions import db
from ..models import Cohort, Exercise
from ..i18n import current_locale
from ..opd.charts import chart_spec
from ..services import insight
from .blueprint import bp

#: Who may read the insight pages.
READERS = (Role.ADMIN, Role.MENTOR)
#: The sort directions in the query string.
ASCENDING, DESCENDING = "naik", "turun"


def _cohorts() -> tuple[list[Cohort], Cohort | None]:
    """The cohorts chosen by ``?angkatan=`` (404 for an unknown one) and the one asked for, if any."""
    selected = request.args.get("angkatan", type=int)
    cohorts = insight.chosen_cohorts(selected)
    if selected is not None and not cohorts:
        abort(404)
    return cohorts, (cohorts[0] if selected is not None else None)


def _all_cohorts() -> list[Cohort]:
    """Every cohort, newest first, for the filter."""
    return list(db.session.scalars(db.select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())))


@bp.route("/wawasan")
@role_required(*READERS)
def insight_overview():
    """Per stage and per exercise: passes, attempts, time to pass, drop-off; the table sorts by any column."""
    cohorts, selected = _cohorts()
    sort = request.args.get("urut", insight.DEFAULT_SORT)
    if sort not in insight.COLUMN_KEYS:
        sort = insight.DEFAULT_SORT
    descending = request.args.get("arah") == DESCENDING
    tracks = insight.track_insight(cohorts)
    tables = [(t, insight.sorted_exercises(t.exercises, sort, descending)) for t in tracks]
    charts = {
        t.track.id: chart_spec(
            "bar",
            [s.stage.title(current_locale()) for s in t.stages],
            [{"label": pgettext("stage", "Passed"), "data": [round(100 * (s.pass_share or 0), 1) for s in t.stages]},
             {"label": _("Drop-off"), "data": [round(100 * (s.drop_share or 0), 1) for s in t.stages]}],
            unit="%", value_title=_("Percent of trainees"), category_title=_("Stage"),
        )
        for t in tracks
    }
    return render_template(
        "admin/insight.html", tables=tables, charts=charts, columns=insight.EXERCISE_COLUMNS,
        sort=sort, descending=descending, all_cohorts=_all_cohorts(), selected=selected,
        cohorts=cohorts, ASCENDING=ASCENDING, DESCENDING=DESCENDING,
    )


@bp.route("/wawasan/latihan.csv")
@role_required(*READERS)
def insight_exercises_csv():
    """The per-exercise table as CSV."""
    cohorts, selected = _cohorts()
    name = f"wawasan-latihan-angkatan-{selected.id}.csv" if selected else "wawasan-latihan.csv"
    return _csv(insight.exercise_csv(insight.track_insight(cohorts)), name)


def _exercise(exercise_id: int) -> Exercise:
    """The exercise or 404."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None:
        abort(404)
    return exercise


@bp.route("/wawasan/latihan/<int:exercise_id>")
@role_required(*READERS)
def insight_exercise(exercise_id: int):
    """One exercise: its tests, what failed first, the most common messages, links to sample answers."""
    exercise = _exercise(exercise_id)
    cohorts, selected = _cohorts()
    detail = insight.exercise_detail(exercise, cohorts)
    chart = chart_spec(
        "bar",
        [t.grade_id for t in detail.tests],
        [{"label": _("Failed first"), "data": [round(100 * (t.failed_first_share or 0), 1) for t in detail.tests]}],
        unit="%", value_title=_("Percent of trainees who failed a test"), category_title=_("Test"), horizontal=True,
    )
    return render_template(
        "admin/insight_exercise.html", exercise=exercise, detail=detail, chart=chart,
        all_cohorts=_all_cohorts(), selected=selected,
    )


@bp.route("/wawasan/latihan/<int:exercise_id>/uji.csv")
@role_required(*READERS)
def insight_tests_csv(exercise_id: int):
    """One exercise's per-test table as CSV."""
    exercise = _exercise(exercise_id)
    cohorts, _selected = _cohorts()
    detail = insight.exercise_detail(exercise, cohorts)
    return _csv(insight.test_csv(detail), f"wawasan-uji-{exercise.slug}.csv")


@bp.route("/wawasan/latihan/<int:exercise_id>/contoh")
@role_required(*READERS)
def insight_samples(exercise_id: int):
    """A few anonymised answers that failed one test (``?uji=<test>``): no name, email or OPD."""
    exercise = _exercise(exercise_id)
    cohorts, selected = _cohorts()
    grade_id = request.args.get("uji", "")
    if not grade_id:
        abort(404)
    samples = insight.sample_answers(exercise, grade_id, cohorts)
    return render_template("admin/insight_samples.html", exercise=exercise, grade_id=grade_id, samples=samples,
                           selected=selected)


def _csv(data: bytes, name: str) -> Response:
    """A CSV download."""
    return Response(data, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
