"""The admin's overview: a to-do list across every cohort, and audit events in plain Indonesian."""
from datetime import timedelta

from tests.program.conftest import grade, pass_everything
from tic_academy.clock import now_utc
from tic_academy.extensions import db
from tic_academy.models.mentoring import ReviewItem
from tic_academy.services import audit


def todo_line(html: str, line_id: str) -> str:
    """The HTML of one line of the to-do list."""
    start = html.index(f'id="{line_id}"')
    return html[start:html.index("</li>", start)]


def test_overview_lists_what_waits_across_cohorts(client, auth, make_cohort, make_user, enroll, make_nomination):
    """Does the overview count nominations, overdue items, trainees behind, certificates and pending accounts, with links?"""
    running, planned = make_cohort(status="running", name="Angkatan Jalan"), make_cohort(status="planned")
    head = make_user(role="opd_head")
    for n in range(3):
        make_nomination(planned, head, email=f"calon{n}@contoh.test")
    behind, done, fresh = make_user(), make_user(), make_user()
    for trainee in (behind, done, fresh):
        enroll(running, trainee)
    pass_everything(done, running.track)
    for exercise in running.track.stages[0].exercises:
        grade(fresh, exercise, 10.0, when=now_utc() - timedelta(days=10))
    mentor = make_user(role="mentor")
    old, new = now_utc() - timedelta(days=14), now_utc()
    for created in (old, old, new):
        db.session.add(ReviewItem(kind="help", trainee_id=behind.id, mentor_id=mentor.id, status="open", created_at=created))
    make_user(role="pending", email="baru.sso@contoh.test")
    db.session.commit()
    auth.login(make_user(role="admin"))
    html = client.get("/admin/").get_data(as_text=True)
    assert "<strong>3</strong>" in todo_line(html, "todo-nominations") and "/admin/usulan?status=submitted" in html
    overdue = todo_line(html, "todo-overdue")
    assert "<strong>2</strong>" in overdue and "3 terbuka" in overdue and "/admin/mentor/antrean" in overdue
    behind_line = todo_line(html, "todo-behind")
    assert "<strong>1</strong>" in behind_line and f"/admin/angkatan/{running.id}" in html and "Angkatan Jalan: 1" in html
    assert "<strong>1</strong>" in todo_line(html, "todo-certificates") and "/sertifikat/kelulusan" in html
    assert "<strong>1</strong>" in todo_line(html, "todo-accounts") and "/admin/pengguna?role=pending" in html
    assert "baru.sso@contoh.test" in client.get("/admin/pengguna?role=pending").get_data(as_text=True)


def test_overview_says_when_nothing_waits(client, auth, make_user):
    """Does an empty program say that nothing is waiting, with no action buttons?"""
    auth.login(make_user(role="admin"))
    html = client.get("/admin/").get_data(as_text=True)
    assert 'id="todo-empty"' in html and "Tidak ada yang menunggu" in html
    assert "/admin/usulan?status=submitted" not in html


def test_audit_events_are_in_plain_indonesian(client, auth, make_user):
    """Are audit codes and details shown as Indonesian words, not `login.success` and `ok=True`?"""
    admin = make_user(role="admin")
    audit.record("curriculum.synced", actor=admin, ok=True)
    audit.record("login.failure", email="x@contoh.test", reason="password")
    audit.record("sso.refused", reason="unknown", email="y@contoh.test")
    audit.record("user.role_changed", actor=admin, old="pending", new="trainee")
    db.session.commit()
    auth.login(admin)
    html = client.get("/admin/").get_data(as_text=True)
    table = html[html.index("<table"):html.index("</table>")]
    assert "ok=True" not in table and "<code>" not in table and "CurriculumSync" not in table
    for words in ("Kurikulum disinkronkan", "hasil: berhasil", "Gagal masuk", "kata sandi salah",
                  "Masuk", "Masuk dengan akun Pemkot ditolak", "belum terdaftar dalam program", "Peran diubah", "Peserta"):
        assert words in table, words


def test_overview_queries_do_not_grow_with_trainees(client, auth, make_cohort, make_user, enroll):
    """Does the overview run the same number of SQL queries for 5 and for 50 trainees of a running cohort?"""
    from tests.program.test_dashboards import _count_queries

    cohort = make_cohort(status="running")
    auth.login(make_user(role="admin"))
    counts = []
    for size in (5, 45):
        for _n in range(size):
            enroll(cohort, make_user())
        counts.append(_count_queries(client, "/admin/"))
    assert counts[0] == counts[1], f"queries for 5 vs 50 trainees: {counts}"


def test_every_recorded_audit_action_has_words():
    """Does every action code written with audit.record("…") in the code have an Indonesian label?"""
    import ast
    from pathlib import Path

    from tic_academy.admin.audit_words import ACTION_LABELS

    codes = set()
    for path in (Path(__file__).resolve().parents[2] / "tic_academy").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "record" and node.args:
                first = node.args[0]
                options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                codes |= {o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)}
    assert "login.success" in codes and "cohort.created" in codes
    assert sorted(codes - set(ACTION_LABELS)) == []
