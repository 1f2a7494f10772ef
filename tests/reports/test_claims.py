"""The compare-and-set that makes a report task idempotent under redelivery."""

import datetime

import pytest
from django.utils import timezone

from assessments.core.models import AuditEntry
from assessments.reports import services
from assessments.reports.models import ReportJob
from assessments.reports.tasks import purge_expired, run_job


@pytest.fixture
def job(clinician):
    # Created without committing: nothing has run it yet.
    return services.report_request(user=clinician, kind=ReportJob.Kind.CSV, language="en")


def test_it_lets_one_run_claim_a_job_and_tells_a_duplicate_to_wait(job):
    first = services.job_claim(job_id=job.pk)
    duplicate = services.job_claim(job_id=job.pk)
    assert first.attempt == 1 and duplicate.attempt is None and 0 < duplicate.wait <= 331


def test_it_lets_a_new_run_take_over_a_claim_whose_worker_was_lost(job, settings):
    lost = services.job_claim(job_id=job.pk)
    ReportJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=settings.REPORTS_JOB_LEASE_SECONDS + 1)
    )
    takeover = services.job_claim(job_id=job.pk)
    assert takeover.attempt == 2
    # The lost run, should it wake up, can neither report progress nor finish.
    with pytest.raises(services.LostClaim):
        services.job_progress(job_id=job.pk, attempt=lost.attempt, percent=50)
    assert not services.job_finish(
        job_id=job.pk, attempt=lost.attempt, content=b"x", content_type="text/csv", rows=0
    )
    assert services.job_finish(
        job_id=job.pk, attempt=takeover.attempt, content=b"y", content_type="text/csv", rows=0
    )
    job.refresh_from_db()
    assert job.status == "done" and bytes(job.content) == b"y"
    assert AuditEntry.objects.filter(action="create", object_uuid=job.uuid).count() == 1


def test_it_does_nothing_when_a_finished_job_is_delivered_again(job):
    assert run_job.apply(args=[job.pk]).get() == "done"
    job.refresh_from_db()
    finished_at = job.finished_at
    assert run_job.apply(args=[job.pk]).get() == "nothing to do"
    job.refresh_from_db()
    assert job.attempts == 1 and job.finished_at == finished_at
    assert AuditEntry.objects.filter(action="create", object_uuid=job.uuid).count() == 1


def test_it_purges_expired_files(job):
    run_job.apply(args=[job.pk])
    ReportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert purge_expired.apply().get() == 1
    job.refresh_from_db()
    assert job.status == "expired" and job.content is None
