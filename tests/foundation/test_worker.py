import uuid

import pytest

from assessments.core.tasks import ping
from tests.helpers import compose_command, process_env, require_redis, start, stop
from zeus_assess.celery import app


@pytest.fixture
def real_worker(tmp_path):
    """The worker command from docker-compose.yml, run natively against Redis."""
    require_redis()
    process = start(compose_command("worker"), process_env(), tmp_path / "worker.log")
    app.conf.task_always_eager = False
    yield process, tmp_path / "worker.log"
    app.conf.task_always_eager = True
    stop(process)


@pytest.mark.worker
def test_it_round_trips_a_task_through_redis_and_a_real_worker(real_worker):
    process, log = real_worker
    token = uuid.uuid4().hex
    result = ping.delay(token)
    try:
        assert result.get(timeout=60) == f"pong:{token}"
    finally:
        assert process.poll() is None, log.read_text()[-2000:]
