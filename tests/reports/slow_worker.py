"""Loaded into a test worker through CELERY_EXTRA_IMPORTS: the first run of a report
job stalls after its first progress step, so the fault test can kill the worker in
the middle of the task. Never imported by the application."""

import time

from assessments.reports import services

_progress = services.job_progress


def _stalling_progress(*, job_id: int, attempt: int, percent: int) -> None:
    _progress(job_id=job_id, attempt=attempt, percent=percent)
    if attempt == 1:
        time.sleep(600)


services.job_progress = _stalling_progress
