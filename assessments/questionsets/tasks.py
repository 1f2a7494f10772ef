"""Question-set tasks: ids in, idempotent by compare-and-set on WhatIfRun.status."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .whatif import whatif_execute, whatif_fail

logger = logging.getLogger(__name__)


# Within the global time limit: a late-acked task running longer than the visibility
# timeout (derived from that limit) would be handed to a second worker while alive.
@shared_task(
    name="questionsets.whatif_run",
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    acks_late=True,
)
def whatif_run(run_id: int, started_by_id: int | None = None) -> str:
    try:
        return whatif_execute(run_id=run_id)
    except SoftTimeLimitExceeded:
        whatif_fail(run_id=run_id, error="time_limit")
        logger.error("what-if run %s failed: time limit", run_id)
        return "failed"
    except Exception as exc:
        # A what-if is advice, not a record: fail visibly rather than retry for hours.
        whatif_fail(run_id=run_id, error=type(exc).__name__)
        logger.error("what-if run %s failed: %s", run_id, type(exc).__name__)
        return "failed"
