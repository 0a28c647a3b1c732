"""The nomination form does not reveal who is nominated or registered elsewhere; the admin sees it (issue 11)."""
import re

import pytest
from sqlalchemy import select

from tests.program.conftest import nomination_data
from tic_academy.extensions import db
from tic_academy.models.program import Nomination
from tic_academy.services import ServiceError, nominations


def submit_form(client, cohort, **overrides) -> str:
    """Submit a nomination through the form; the page the head lands on, with the name taken out."""
    data = {**nomination_data(**overrides), "cohort_id": cohort.id, "submit": "1"}
    response = client.post("/opd/usulan/baru", data=data, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return re.sub(r"\d+", "N", html.replace(overrides.get("full_name", ""), "NAMA"))


def alerts(html: str) -> list[str]:
    """The flashed messages of a page."""
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip()
            for text in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.DOTALL)]


@pytest.mark.parametrize("case", ["nominee_email", "nominee_phone", "trainee_elsewhere", "mentor", "admin"])
def test_head_cannot_tell_who_is_known_elsewhere(client, auth, head, other_head, make_cohort, make_user,
                                                 make_nomination, case):
    """Does probing with someone known elsewhere give the same answer as nominating a stranger?"""
    cohort = make_cohort()
    probe = {"full_name": "Orang Dicari", "email": "dicari@contoh.test", "phone": "0812-5555-0000"}
    if case == "nominee_email":
        make_nomination(cohort, other_head, email="dicari@contoh.test")
    elif case == "nominee_phone":
        make_nomination(cohort, other_head, phone="+62 812 5555 0000")
    elif case == "trainee_elsewhere":
        make_user(role="trainee", email="dicari@contoh.test")
    else:
        make_user(role=case, email="dicari@contoh.test")
    auth.login(head)
    probed = submit_form(client, cohort, **probe)
    control = submit_form(client, cohort, full_name="Orang Asing", email="asing@contoh.test", phone="0812-7777-0000")
    assert alerts(probed) == alerts(control)
    assert "diajukan" in alerts(probed)[0]
    assert db.session.scalar(select(Nomination).where(Nomination.email == "dicari@contoh.test",
                                                      Nomination.opd_id == head.opd_id)).status == "submitted"


def test_admin_sees_the_detail_on_the_nomination(client, auth, head, other_head, make_cohort, make_user,
                                                 make_nomination):
    """Does the admin's nomination page name the other OPD's nomination and the account behind the email?"""
    cohort = make_cohort()
    make_nomination(cohort, other_head, phone="0812-5555-0000")
    make_user(role="mentor", email="dicari@contoh.test")
    nomination = make_nomination(cohort, head, email="dicari@contoh.test", phone="+62 812 5555 0000")
    auth.login(make_user(role="admin"))
    html = client.get(f"/admin/usulan/{nomination.id}").get_data(as_text=True)
    assert f"{other_head.opd.short_name} juga mengusulkan orang ini" in html
    assert "bukan peserta (Mentor)" in html


def test_approval_is_refused_with_the_detail(head, other_head, make_cohort, make_user, make_nomination):
    """Is approving a staff account's email, or a person another OPD already got placed, refused with why?"""
    admin = make_user(role="admin")
    cohort = make_cohort()
    make_user(role="mentor", email="mentor.kota@contoh.test")
    staff = make_nomination(cohort, head, email="mentor.kota@contoh.test")
    with pytest.raises(ServiceError, match="bukan peserta"):
        nominations.decide(staff, "approved", "", admin)
    db.session.rollback()
    first = make_nomination(cohort, other_head, email="dua.opd@contoh.test")
    second = make_nomination(cohort, head, email="dua.opd@contoh.test")
    nominations.decide(first, "approved", "", admin)  # still undecided elsewhere: the admin may pick one
    with pytest.raises(ServiceError, match="juga mengusulkan"):
        nominations.decide(second, "approved", "", admin)


def test_own_opd_duplicates_are_still_explained(client, auth, head, make_cohort, make_nomination):
    """Does the head still get the specific message for a person their own OPD already nominated?"""
    cohort = make_cohort()
    make_nomination(cohort, head, email="sendiri@contoh.test")
    auth.login(head)
    html = submit_form(client, cohort, full_name="Orang Sendiri", email="sendiri@contoh.test")
    assert any("sudah diusulkan" in text for text in alerts(html))
