"""Quotas and places taken at their edges: one place left, exactly full, and other OPDs and cohorts kept apart.

Written for the mutation run (``make mutate``): each test fails when one operator of the
quota rules (``services/cohorts.py``, ``services/nominations.py``, ``Cohort.quota_for``) changes.
"""
from datetime import date

import pytest

from tests.program.conftest import nomination_data
from tic_academy.extensions import db
from tic_academy.models.program import CohortQuota
from tic_academy.services import ServiceError, cohorts, nominations


@pytest.fixture
def admin(make_user):
    """An admin."""
    return make_user(role="admin")


def draft(head, cohort, **overrides):
    """Save a draft through the service."""
    return nominations.save_draft(None, head=head, cohort_id=cohort.id, data=nomination_data(**overrides))


def test_submission_with_one_place_left_goes_through_and_the_next_is_refused(head, make_cohort, make_nomination):
    """With a quota of 2 and one nomination in, is the second accepted and a third refused?"""
    cohort = make_cohort(quotas={head.opd_id: 2})
    make_nomination(cohort, head, status="submitted")
    second = draft(head, cohort, email="kedua@contoh.test", phone="0812-0000-0002")
    nominations.submit(second, head)
    assert second.status == "submitted"
    third = draft(head, cohort, email="ketiga@contoh.test", phone="0812-0000-0003")
    with pytest.raises(ServiceError, match="[Kk]uota"):
        nominations.submit(third, head)
    assert third.status == "draft"


def test_submitted_quota_counts_only_this_opd_this_cohort_and_live_nominations(head, other_head, make_cohort,
                                                                              make_nomination):
    """Do other OPDs' nominations, other cohorts' and withdrawn, rejected or waitlisted ones leave the quota free?"""
    cohort = make_cohort(quotas={head.opd_id: 1})
    elsewhere = make_cohort(quotas={head.opd_id: 1})
    make_nomination(cohort, other_head, status="submitted")
    make_nomination(elsewhere, head, status="approved")
    for status in ("withdrawn", "rejected", "waitlisted", "draft"):
        make_nomination(cohort, head, status=status)
    nomination = draft(head, cohort)
    nominations.submit(nomination, head)
    assert nomination.status == "submitted"


@pytest.mark.parametrize("status", ["approved", "enrolled"])
def test_approved_and_enrolled_nominations_use_the_quota(head, make_cohort, make_nomination, status):
    """Does an approved or enrolled nomination take one of the OPD's quota places at submission?"""
    cohort = make_cohort(quotas={head.opd_id: 1})
    make_nomination(cohort, head, status=status)
    with pytest.raises(ServiceError, match="[Kk]uota"):
        nominations.submit(draft(head, cohort), head)


def test_no_quota_means_no_limit_on_submission(head, other_head, make_cohort, make_nomination):
    """Is an OPD without a quota (another OPD has one) free to submit?"""
    cohort = make_cohort(quotas={other_head.opd_id: 1})
    make_nomination(cohort, head, status="submitted")
    nominations.submit(draft(head, cohort), head)
    assert cohort.quota_for(head.opd_id) is None and cohort.quota_for(other_head.opd_id) == 1


def test_approval_with_one_quota_place_left_and_then_full(head, admin, make_cohort, make_nomination):
    """With a quota of 2, is the second approval accepted and a third refused as full?"""
    cohort = make_cohort(quotas={head.opd_id: 2})
    first, second, third = (make_nomination(cohort, head) for _ in range(3))
    nominations.decide(first, "approved", "", admin)
    nominations.decide(second, "approved", "", admin)
    with pytest.raises(ServiceError, match="[Kk]uota"):
        nominations.decide(third, "approved", "", admin)


def test_approval_with_one_place_left_in_the_cohort_and_then_full(head, other_head, admin, make_cohort,
                                                                 make_nomination):
    """With capacity 2, is the second approval (of any OPD) accepted and a third refused?"""
    cohort = make_cohort(capacity=2)
    first, third = make_nomination(cohort, head), make_nomination(cohort, head)
    second = make_nomination(cohort, other_head)
    nominations.decide(first, "approved", "", admin)
    nominations.decide(second, "approved", "", admin)
    with pytest.raises(ServiceError, match="sudah penuh"):
        nominations.decide(third, "approved", "", admin)


def test_quota_places_taken_are_counted_per_opd_and_cohort(head, other_head, admin, make_cohort, make_nomination,
                                                          enroll, make_user):
    """Do places taken count only this cohort's placed nominations of that OPD, and enrollments not withdrawn?"""
    cohort, elsewhere = make_cohort(), make_cohort()
    make_nomination(cohort, head, status="approved")
    make_nomination(cohort, head, status="enrolled")
    make_nomination(cohort, head, status="submitted")
    make_nomination(cohort, other_head, status="approved")
    make_nomination(elsewhere, head, status="approved")
    assert cohorts.places_taken(cohort.id, head.opd_id) == 2
    assert cohorts.places_taken(cohort.id, other_head.opd_id) == 1
    enroll(cohort, make_user()), enroll(cohort, make_user()), enroll(cohort, make_user(), status="withdrawn")
    enroll(elsewhere, make_user())
    assert cohorts.places_taken(cohort.id) == 2


def test_quota_approval_ignores_other_opds_places(head, other_head, admin, make_cohort, make_nomination):
    """Is an OPD's last quota place free for it however many places another OPD has taken?"""
    cohort = make_cohort(quotas={head.opd_id: 1, other_head.opd_id: 2})
    make_nomination(cohort, other_head, status="approved")
    mine = make_nomination(cohort, head)
    nominations.decide(mine, "approved", "", admin)
    assert mine.status == "approved"


def test_approval_goes_to_the_least_loaded_mentor(head, admin, make_cohort, make_nomination, make_user, enroll):
    """Is an approved trainee given the cohort mentor with the fewest active trainees?"""
    busy, free = make_user(role="mentor", full_name="Ani Sibuk"), make_user(role="mentor", full_name="Zaki Luang")
    cohort = make_cohort(status="running")
    cohort.mentors.extend([busy, free])
    db.session.commit()
    enroll(cohort, make_user(), mentor=busy)
    enroll(cohort, make_user(), mentor=free, status="withdrawn")
    assert cohorts.least_loaded_mentor(cohort).id == free.id
    nomination = make_nomination(cohort, head)
    nominations.decide(nomination, "approved", "", admin)
    assert nomination.status == "enrolled"
    assert nomination.user.id is not None
    enroll(cohort, make_user(), mentor=free)
    enroll(cohort, make_user(), mentor=free)
    assert cohorts.least_loaded_mentor(cohort).id == busy.id


def test_a_tie_in_load_goes_to_the_mentor_first_by_name(make_cohort, make_user):
    """With equal loads, is the mentor first by name chosen (so the choice is stable)?"""
    zaki, ani = make_user(role="mentor", full_name="Zaki"), make_user(role="mentor", full_name="Ani")
    cohort = make_cohort(status="running")
    cohort.mentors.extend([zaki, ani])
    db.session.commit()
    assert cohorts.least_loaded_mentor(cohort).id == ani.id
    assert cohorts.least_loaded_mentor(make_cohort()) is None


def test_quota_equal_to_the_capacity_is_allowed_one_more_is_not(make_cohort, make_opd):
    """Is a quota of exactly the capacity accepted, capacity + 1 refused, and a negative quota refused?"""
    opd = make_opd()
    cohorts._check_quotas({opd.id: 30}, 30)
    cohorts._check_quotas({opd.id: 0}, 30)
    cohorts._check_quotas({}, 30)
    with pytest.raises(ServiceError):
        cohorts._check_quotas({opd.id: 31}, 30)
    with pytest.raises(ServiceError):
        cohorts._check_quotas({opd.id: -1}, 30)


def test_setting_quotas_replaces_keeps_and_drops(make_cohort, make_opd):
    """Does saving quotas update a changed one, drop one set to 0, add a new one and skip an unknown OPD?"""
    kept, dropped, added = make_opd(), make_opd(), make_opd()
    cohort = make_cohort(quotas={kept.id: 2, dropped.id: 3})
    cohorts._set_quotas(cohort, {kept.id: 5, dropped.id: 0, added.id: 1, 999_999: 4})
    db.session.commit()
    assert {q.opd_id: q.places for q in db.session.query(CohortQuota).filter_by(cohort_id=cohort.id)} == {
        kept.id: 5, added.id: 1}


def test_week_on_counts_weeks_from_the_start_day(make_cohort):
    """Is the start day in week 1, day 7 still week 1, day 8 week 2, and the day before the start week 0?"""
    cohort = make_cohort(start_date=date(2026, 3, 2))
    assert cohort.week_on(date(2026, 3, 1)) == 0
    assert cohort.week_on(date(2026, 3, 2)) == 1
    assert cohort.week_on(date(2026, 3, 8)) == 1
    assert cohort.week_on(date(2026, 3, 9)) == 2
