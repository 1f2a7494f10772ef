"""Faults, with a real Redis and real worker processes (the docker-compose command).

Redis refused: the web request still completes quickly and leaves the task in the
outbox; once Redis is back the relay publishes it and the worker runs it once. A
worker killed in the middle of a task: the task runs again on a new worker and its
effect happens once.
"""

import os
import re
import signal
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.urls import reverse
from kombu import pools

from assessments.core import outbox
from assessments.core.models import AuditEntry, OutboxMessage
from assessments.reports.models import ReportJob
from assessments.reports.services import report_request
from assessments.reviews.models import Notification
from tests.conftest import PASSWORD
from tests.factories import draft_interview, patient_for, vignette
from tests.helpers import ROOT, compose_command, free_port, process_env, require_redis, wait_for
from zeus_assess.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _reset_connections():
    # Both Celery's pools and kombu's process-wide registry of producer pools
    # (keyed by broker URL) hold connections: drop them all.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextmanager
def broker(url: str):
    """Point this process's Celery app at `url` with fresh connections, tasks not eager."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    _reset_connections()
    app.conf.broker_url, app.conf.task_always_eager = url, False
    outbox._broker_down_until = 0.0
    try:
        yield
    finally:
        _reset_connections()
        app.conf.broker_url, app.conf.task_always_eager = saved
        outbox._broker_down_until = 0.0


@contextmanager
def worker(tmp_path, name: str, **env):
    """The compose worker command in its own process group, so it can be killed whole."""
    log = tmp_path / f"{name}.log"
    command = compose_command("worker") + ["--hostname", f"{name}@%h"]
    environment = process_env(PYTHONPATH=str(ROOT), **env)
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_for(lambda: "ready." in log.read_text(), timeout=60), log.read_text()[-3000:]
        yield process, log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _succeeded(log, task_name: str) -> int:
    return len(re.findall(rf"Task {re.escape(task_name)}\[[0-9a-z-]+\] succeeded", log.read_text()))


def test_it_saves_and_finalizes_fast_with_redis_refused_and_runs_each_task_once_after(
    clinician, supervisor, cadi, login, tmp_path
):
    redis_url = require_redis()
    interview = draft_interview(patient_for(clinician), clinician)
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    client = login(clinician)
    timings = {}
    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        saved = client.post(
            reverse("interview-autosave", args=[interview.uuid]),
            {"automaticity": "3", "lock_version": "1"},
            HTTP_HX_REQUEST="true",
        )
        timings["save"] = time.monotonic() - started
        started = time.monotonic()
        finalized = client.post(
            reverse("interview-finalize", args=[interview.uuid]),
            {**answers, "lock_version": "2", "password": PASSWORD},
        )
        timings["finalize"] = time.monotonic() - started
        formulation = interview.formulations.get()
        started = time.monotonic()
        client.post(reverse("report-pdf-start", args=[formulation.uuid]))
        timings["report"] = time.monotonic() - started
    print(f"\nwith Redis refused: {', '.join(f'{k} {v:.3f}s' for k, v in timings.items())}")
    assert saved.status_code == 200 and finalized.status_code == 302
    assert all(seconds < 5 for seconds in timings.values()), timings
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    assert sorted(pending.values_list("task_name", flat=True)) == [
        "reports.run_job",
        "reviews.notify_submitted",
    ]
    # The first publish failed; the next was not even tried (the outbox backs off).
    assert sorted(pending.values_list("attempts", flat=True)) == [0, 1]
    assert pending.get(attempts=1).last_error == "OperationalError"
    job = ReportJob.objects.get(formulation=formulation)
    assert job.status == ReportJob.Status.PENDING  # shown as queued, not lost

    with broker(redis_url), worker(tmp_path, "back") as (_, log):
        started = time.monotonic()
        assert outbox.relay() == 2
        assert outbox.relay() == 0  # nothing left to send twice
        assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == "done", timeout=60), (
            log.read_text()[-3000:]
        )
        assert wait_for(lambda: _succeeded(log, "reviews.notify_submitted") == 1, timeout=30)
        print(f"after Redis is back: both tasks done {time.monotonic() - started:.2f}s after the relay")
        time.sleep(2)  # room for a duplicate to show up, if there were one
        assert _succeeded(log, "reports.run_job") == 1 and _succeeded(log, "reviews.notify_submitted") == 1
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
    job.refresh_from_db()
    assert job.attempts == 1 and bytes(job.content).startswith(b"%PDF")
    assert Notification.objects.filter(review=formulation.review, kind="new_review").count() == 1


def test_it_runs_a_task_again_on_a_new_worker_after_a_kill_without_duplicating_its_effect(
    clinician, cadi, tmp_path
):
    redis_url = require_redis()
    from tests.factories import finalized_interview

    answers = {**vignette("P3-mixed")["answers"], "clinician_impression": "mixed"}
    _, formulation = finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)
    fast_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "4", "REPORTS_JOB_LEASE_SECONDS": "3"}

    with broker(redis_url):
        with worker(
            tmp_path, "doomed", CELERY_EXTRA_IMPORTS="tests.reports.slow_worker", **fast_redelivery
        ) as (
            doomed,
            doomed_log,
        ):
            job = report_request(
                user=clinician, kind=ReportJob.Kind.PDF, language="en", formulation=formulation
            )
            assert OutboxMessage.objects.get(args=[job.pk], task_name="reports.run_job").status == "sent"
            running = ReportJob.objects.filter(pk=job.pk, status="running", progress__gt=0)
            assert wait_for(running.exists, timeout=60), doomed_log.read_text()[-3000:]
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait()
            killed_at = time.monotonic()
        job.refresh_from_db()
        assert job.status == "running" and job.attempts == 1  # left behind mid-way

        with worker(tmp_path, "fresh", **fast_redelivery) as (_, log):
            assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == "done", timeout=90), (
                log.read_text()[-3000:]
            )
            print(f"\nafter SIGKILL: done on the new worker {time.monotonic() - killed_at:.1f}s later")
            time.sleep(6)  # past another visibility timeout: no further run may change anything
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and bytes(job.content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="create", object_uuid=job.uuid).count() == 1
