"""Redis restarted while grading jobs are queued: what Redis lost, the sweep queues again, and every
submission is graded once a worker runs (slow: real Celery worker and kernels; the PostgreSQL pass only)."""
from datetime import timedelta

import pytest
import redis

from tests.drills.servers import PrivateRedis, only_in_postgres_pass
from tests.runners.test_celery_runner import start_worker  # noqa: F401 - a fixture used below
from tests.runners.test_local_runner import CORRECT, wait_for
from tic_academy.jobs.runners import get_runner
from tic_academy.clock import now_utc
from tic_academy.services.submissions import STALE_QUEUED, create_submission, requeue_stale

pytestmark = [pytest.mark.celery, pytest.mark.kernel, pytest.mark.postgres]


@pytest.fixture
def private_redis():
    """A Redis of this test's own, without persistence, which the test restarts."""
    only_in_postgres_pass()
    server = PrivateRedis()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config, private_redis):
    """The Celery runner on the private Redis."""
    return {**app_config, "RUNNER": "celery", "REDIS_URL": private_redis.url, "GRADING_VISIBILITY_TIMEOUT": 30}


def test_jobs_lost_in_a_redis_restart_are_graded(app, make_user, make_track, private_redis, start_worker):  # noqa: F811
    """Two jobs queued, Redis restarted (queue gone), one submitted while it was down: all three graded."""
    exercise = make_track([{"exercises": [{"points": 2}]}]).stages[0].exercises[0]
    runner = get_runner(app)
    queued = [create_submission(make_user(), exercise, CORRECT) for _ in range(2)]
    for submission in queued:
        runner.enqueue(submission.id)
    queue = redis.Redis.from_url(private_redis.url)
    assert queue.llen("celery") == 2
    private_redis.stop()
    while_down = create_submission(make_user(), exercise, CORRECT)
    runner.enqueue(while_down.id)  # refused by the broker: logged, the submission stays recorded
    private_redis.start()
    assert queue.llen("celery") == 0  # Redis lost its queue
    start_worker("w1")
    # The sweep (beat in production) finds the submissions queued too long and queues them again.
    assert requeue_stale(runner.enqueue, now=now_utc() + STALE_QUEUED + timedelta(seconds=1)) == 3
    for submission in [*queued, while_down]:
        graded = wait_for(submission.id, timeout=120)
        assert (graded.status, graded.auto_score, graded.attempts) == ("graded", 2, 1)
    queue.close()
