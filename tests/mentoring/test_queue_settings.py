"""The queue pages read REVIEW_TARGET_WORKDAYS from the config and hand it to the queue service."""
from datetime import timedelta

import pytest

from tic_academy.extensions import db
from tic_academy.models.mentoring import ReviewItem
from tic_academy.clock import now_utc


@pytest.fixture
def app_config(app_config):
    """A target far longer than the default two working days."""
    return {**app_config, "REVIEW_TARGET_WORKDAYS": 30}


def test_mentor_queue_uses_the_configured_target(world, client, auth):
    """Is an item that waited two weeks not overdue when the configured target is 30 working days?"""
    db.session.add(ReviewItem(kind="help", trainee_id=world.trainee.id, mentor_id=world.mentor_a.id,
                              status="open", created_at=now_utc() - timedelta(days=14)))
    db.session.commit()
    auth.login(world.mentor_a)
    html = client.get("/mentor/").get_data(as_text=True)
    assert 'data-kind="help"' in html
    assert "table-danger" not in html
