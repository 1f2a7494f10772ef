"""Lost messages and dead workers, with real Redis servers and real worker processes.

Redis restarting empty loses every message it held: the outbox row of a task counts
as done only once the task has run, so the relay sends it again. A worker killed whole
(SIGKILL of its process group) leaves its late-acked message unacknowledged: Redis
hands it to another worker after the visibility timeout, which is derived from the task
time limit, and the job's lease has expired by then, so the job is taken over within
about twice the time limit; meanwhile the job's page says it will be retried.
"""

import os
import signal
import subprocess
import time

import pytest
from django.urls import reverse

from assessments.core import outbox
from assessments.core.models import OutboxMessage
from assessments.reports.models import ReportJob
from assessments.reports.services import report_request
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette
from tests.helpers import free_port, require_redis, stop, wait_for
from tests.reports.test_faults import _succeeded, broker, worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _formulation(clinician):
    answers = {**vignette("P3-mixed")["answers"], "clinician_impression": "mixed"}
    return finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)[1]


def _private_redis(port: int, log) -> subprocess.Popen:
    # Never the shared Redis: a server of our own, without persistence, to restart empty.
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(log, "ab"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    assert wait_for(lambda: "Ready to accept connections" in log.read_text(), timeout=20), log.read_text()
    return process


def test_a_pdf_requested_while_the_worker_is_down_is_made_once_after_redis_restarts_empty(
    clinician, cadi, settings, tmp_path
):
    require_redis()
    formulation = _formulation(clinician)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    redis_log = tmp_path / "redis.log"
    # Rows published this long ago and not run yet are sent again by the relay.
    settings.OUTBOX_REDELIVER_SECONDS = 2
    redis = _private_redis(port, redis_log)
    try:
        with broker(url):
            job = report_request(
                user=clinician, kind=ReportJob.Kind.PDF, language="en", formulation=formulation
            )
            message = OutboxMessage.objects.get(task_name="reports.run_job", args=[job.pk])
            assert message.status == OutboxMessage.Status.SENT  # it reached Redis, no worker ran it
            redis.kill()  # Redis loses everything it held
            redis.wait()
            redis = _private_redis(port, redis_log)
            lost_at = time.monotonic()
            with worker(tmp_path, "after", REDIS_URL=url) as (_, log):
                time.sleep(2.5)  # past OUTBOX_REDELIVER_SECONDS
                assert outbox.relay() == 1  # what beat does every OUTBOX_RELAY_SECONDS
                assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == "done", timeout=60), (
                    log.read_text()[-3000:]
                )
                print(f"\nafter Redis lost the message: PDF made {time.monotonic() - lost_at:.1f}s later")
                assert wait_for(
                    lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.DONE,
                    timeout=10,
                )
                time.sleep(3)  # past another redelivery timeout: a done row is never sent again
                assert outbox.relay() == 0
                time.sleep(1)
                assert _succeeded(log, "reports.run_job") == 1
    finally:
        stop(redis)
    job.refresh_from_db()
    assert job.attempts == 1 and bytes(job.content).startswith(b"%PDF")


def test_a_job_of_a_sigkilled_worker_is_taken_over_within_twice_the_time_limit_and_says_so(
    clinician, cadi, login, settings, tmp_path
):
    redis_url = require_redis()
    formulation = _formulation(clinician)
    time_limit = 10
    # Only the time limit is short: the visibility timeout and the lease follow from it.
    limits = {"CELERY_TASK_TIME_LIMIT": str(time_limit), "CELERY_TASK_SOFT_TIME_LIMIT": str(time_limit - 2)}
    # The web process (this one, rendering the job page) runs with the same time limit,
    # so the same derived lease: the time limit plus a tenth of it, at least 1 s.
    settings.REPORTS_JOB_LEASE_SECONDS = time_limit + max(1, time_limit // 10)
    client = login(clinician)
    with broker(redis_url):
        with worker(tmp_path, "doomed", CELERY_EXTRA_IMPORTS="tests.reports.slow_worker", **limits) as (
            doomed,
            doomed_log,
        ):
            job = report_request(
                user=clinician, kind=ReportJob.Kind.PDF, language="en", formulation=formulation
            )
            running = ReportJob.objects.filter(pk=job.pk, status="running", progress__gt=0)
            assert wait_for(running.exists, timeout=60), doomed_log.read_text()[-3000:]
            os.killpg(doomed.pid, signal.SIGKILL)  # the whole worker: main process and children
            doomed.wait()
            killed_at = time.monotonic()

        pages = []
        with worker(tmp_path, "fresh", **limits) as (_, log):

            def taken_over():
                pages.append(client.get(reverse("report-job-status", args=[job.uuid])).content.decode())
                return ReportJob.objects.filter(pk=job.pk, attempts=2).exists()

            assert wait_for(taken_over, timeout=4 * time_limit, interval=0.5), log.read_text()[-3000:]
            recovered = time.monotonic() - killed_at
            assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == "done", timeout=60)
            print(f"\nafter SIGKILL: taken over {recovered:.1f}s later (time limit {time_limit}s)")
    assert recovered < 2 * time_limit, recovered
    # While it waited for another worker, its page said so instead of "In progress".
    assert any("will be retried" in page for page in pages), pages[-1]
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and bytes(job.content).startswith(b"%PDF")
