"""Indonesian number and date formats: the filters, and every role's main pages (issue 17)."""
import re
from datetime import date, datetime, timezone

import pytest

from tests.mentoring import factories
from tic_academy.extensions import db
from tic_academy.i18n import angka, persen, skor, tanggal, tanggal_jam
from tic_academy.models import Cohort
from tic_academy.services import ServiceError, reviews

#: English month names (and the abbreviations that differ from Indonesian: Mei, Agu, Okt, Des).
ENGLISH_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November"
                           r"|December|Aug|Oct|Dec)\b")
#: A number with a useless ".0" ("7.0 dari 7.0"), or a decimal point where Indonesian writes a comma.
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d\b(?!\.)")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(html: str) -> str:
    """The text a person reads: no scripts, styles, tags or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def format_problems(text: str) -> list[str]:
    """English months, ISO dates and decimal points found in a page's text, each with a little context."""
    found = []
    for pattern in (ENGLISH_MONTH, ISO_DATE, DECIMAL_POINT):
        for match in pattern.finditer(text):
            found.append(text[max(0, match.start() - 40):match.end() + 20])
    return found


def test_filters_write_indonesian(app):
    """Do the filters give a decimal comma, thousands with a dot, no ".0", whole percentages and "29 Des 2026"?"""
    with app.test_request_context():
        assert angka(1234.5) == "1.234,5"
        assert angka(7.0) == "7" and angka(None) == "—"
        assert skor(7.0, 7.0) == "7 dari 7" and skor(2.25) == "2,25" and skor(1 / 3) == "0,33"
        assert persen(0.7) == "70%" and persen(0.215) == "22%"
        assert tanggal(date(2026, 12, 29)) == "29 Des 2026"
        assert tanggal_jam(datetime(2026, 12, 29, 3, 5, tzinfo=timezone.utc)) == "29 Des 2026 10:05"  # WIB


def test_format_check_can_fail():
    """Would the page check catch "7.0 dari 7.0", "2026-12-29" and "Dec"?"""
    assert len(format_problems("Skor otomatis: 7.0 dari 7.0 · 2026-12-29 · 29 Dec 2026 · 1,5 · 29 Des 2026")) == 4


def test_main_pages_of_each_role_use_indonesian_formats(app, client, auth, make_user, make_opd):
    """Do the trainee, mentor, OPD head and admin pages show scores and dates in Indonesian formats?"""
    opd = make_opd()
    head = make_user(role="opd_head", opd=opd)
    admin = make_user(role="admin")
    mentor = make_user(role="mentor", full_name="Mentor A")
    trainee = make_user(role="trainee", full_name="Peserta Satu", opd=opd)
    track = factories.make_track()
    cohort = factories.enroll(trainee, mentor, track).cohort
    exercise = factories.first_exercise(track)
    half = factories.make_submission(trainee, exercise, score=1.5)
    full = factories.make_submission(trainee, exercise, score=2.0)
    db.session.add(Cohort(name="Angkatan Berikut", track=track, start_date=date(2026, 12, 29), status="planned"))
    db.session.commit()

    pages = {
        trainee: ["/peserta/", "/peserta/kurikulum", f"/peserta/pengumpulan/{half.id}", f"/peserta/pengumpulan/{full.id}"],
        mentor: ["/mentor/", "/mentor/peserta", f"/mentor/pengumpulan/{half.id}", f"/mentor/pengumpulan/{full.id}"],
        head: ["/opd/"],
        admin: ["/admin/", "/admin/angkatan", f"/admin/angkatan/{cohort.id}", "/admin/dasbor", "/admin/kurikulum",
                f"/admin/pengguna/{trainee.id}"],
    }
    problems = {}
    for user, paths in pages.items():
        auth.login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            found = format_problems(visible_text(response.get_data(as_text=True)))
            if found:
                problems[path] = found
        auth.logout()
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_out_of_range_score_message_writes_the_maximum_plainly(app, make_user):
    """Is a score override above the maximum refused with "antara 0 dan 2", not "2.0"?"""
    mentor = make_user(role="mentor")
    trainee = make_user(role="trainee")
    track = factories.make_track()
    factories.enroll(trainee, mentor, track)
    submission = factories.make_submission(trainee, factories.first_exercise(track), score=1.5)
    with app.test_request_context(), pytest.raises(ServiceError) as refused:
        reviews.decide(submission, mentor, "approved", override_score=9.0, override_reason="Dicoba.")
    assert str(refused.value) == "Skor harus antara 0 dan 2."
