"""Report tasks: ids in, idempotent by compare-and-set on ReportJob.status/attempts."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval

from . import services
from .generate import job_run
from .whatif import whatif_execute, whatif_fail

logger = logging.getLogger(__name__)

MAX_RETRIES = 4


@shared_task(
    bind=True,
    name="reports.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=300,
    soft_time_limit=240,
    max_retries=MAX_RETRIES,
)
def run_job(self, job_id: int, started_by_id: int | None = None) -> str:
    try:
        claim = job_run(job_id=job_id)
    except services.LostClaim:
        return "superseded"
    except services.JobRefused as exc:
        services.job_fail(job_id=job_id, error=str(exc))
        return "failed"
    except SoftTimeLimitExceeded:
        services.job_fail(job_id=job_id, error="TimeLimitExceeded")
        logger.error("report job %s failed: time limit", job_id)
        return "failed"
    except Exception as exc:
        # In-process (no broker) there is nothing to wait for: the failure shows at once.
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            countdown = get_exponential_backoff_interval(
                factor=5, retries=self.request.retries, maximum=300, full_jitter=True
            )
            raise self.retry(exc=exc, countdown=countdown)
        services.job_fail(job_id=job_id, error=type(exc).__name__)
        logger.error("report job %s failed: %s", job_id, type(exc).__name__)
        return "failed"
    if claim.wait is not None:
        # Another run holds a live claim (a duplicate delivery): look again after its lease.
        raise self.retry(countdown=claim.wait, max_retries=MAX_RETRIES + 10)
    return "done" if claim.attempt else "nothing to do"


@shared_task(name="reports.purge_expired", time_limit=120, soft_time_limit=100)
def purge_expired() -> int:
    return services.reports_purge_expired()


# What-if runs (requested by question-set admins): ids in, idempotent by compare-and-set on
# WhatIfRun.status.
@shared_task(name="questionsets.whatif_run", time_limit=600, soft_time_limit=540, acks_late=True)
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
