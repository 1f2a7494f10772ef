"""Report jobs: request, claim, progress, finish, fail, download, purge.

A job runs at least once (outbox, late acknowledgement, redelivery after a lost
worker) and its effect happens once: a run claims the job by compare-and-set on
status and `attempts`, and only the run holding the latest claim may record
progress or finish. A run whose worker died leaves a claim that expires after
REPORTS_JOB_LEASE_SECONDS; the redelivered task then takes the job over.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.core import audit
from assessments.core.audit import Action
from assessments.core.outbox import enqueue

from .models import ReportJob

Status = ReportJob.Status
TASK_NAME = "reports.run_job"


class LostClaim(Exception):
    """Another run took the job over; this one must stop without writing."""


class JobRefused(Exception):
    """The job cannot succeed however often it is tried (e.g. access has ended)."""


@dataclass(frozen=True)
class Claim:
    attempt: int | None = None  # set when this run holds the job
    wait: float | None = None  # set when another live run holds it


def report_request(*, user, kind: str, language: str, formulation=None) -> ReportJob:
    """Create a job and enqueue its task after commit (through the outbox)."""
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind, requested_by=user, formulation=formulation, language=language
        )
        enqueue(TASK_NAME, job.pk, user=user)
    return job


def report_retry(*, job: ReportJob, user) -> ReportJob:
    """After a failure ("try again"): a new job, so the failed one stays on record."""
    return report_request(user=user, kind=job.kind, language=job.language, formulation=job.formulation)


def job_claim(*, job_id: int) -> Claim:
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.REPORTS_JOB_LEASE_SECONDS)
    row = ReportJob.objects.filter(pk=job_id).values("status", "attempts", "claimed_at").first()
    if row is None or row["status"] not in (Status.PENDING, Status.RUNNING):
        return Claim()
    if row["status"] == Status.RUNNING and row["claimed_at"] > now - lease:
        return Claim(wait=(row["claimed_at"] + lease - now).total_seconds() + 1)
    claimed = ReportJob.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.RUNNING, claimed_at__lte=now - lease),
        pk=job_id,
        attempts=row["attempts"],
    ).update(status=Status.RUNNING, attempts=row["attempts"] + 1, claimed_at=now, progress=0, error="")
    return Claim(attempt=row["attempts"] + 1) if claimed else Claim()


def _held(job_id: int, attempt: int):
    return ReportJob.objects.filter(pk=job_id, attempts=attempt, status=Status.RUNNING)


def job_progress(*, job_id: int, attempt: int, percent: int) -> None:
    if not _held(job_id, attempt).update(progress=max(0, min(99, percent))):
        raise LostClaim


def job_finish(
    *, job_id: int, attempt: int, content: bytes, content_type: str, rows: int, patients: Sequence[str] = ()
) -> bool:
    """Store the file and mark the job done, once; False when the claim was lost."""
    now = timezone.now()
    with transaction.atomic():
        done = _held(job_id, attempt).update(
            status=Status.DONE,
            progress=100,
            content=content,
            content_type=content_type,
            rows=rows,
            patients=list(patients),
            finished_at=now,
            expires_at=now + datetime.timedelta(days=settings.REPORTS_KEEP_DAYS),
        )
        if done:
            job = (
                ReportJob.objects.defer("content")
                .select_related("formulation__interview__session__patient")
                .get(pk=job_id)
            )
            _audit_per_patient(job, action=Action.CREATE, data={"kind": job.kind, "rows": rows})
    return bool(done)


def job_release(*, job_id: int, attempt: int) -> None:
    """Give the job back (before a retry) so the next run can claim it at once."""
    _held(job_id, attempt).update(status=Status.PENDING, progress=0)


def job_fail(*, job_id: int, error: str) -> None:
    """The failure the requester sees ("failed, try again"); never silent."""
    ReportJob.objects.filter(pk=job_id, status__in=(Status.PENDING, Status.RUNNING)).update(
        status=Status.FAILED, error=error[:100], finished_at=timezone.now()
    )


def report_download(*, job: ReportJob, user) -> bytes:
    """The file, if the requester may still see every patient in it (access may have
    ended since it was made: a supervision over, a patient restricted); else
    PermissionDenied, audited. Each patient included gets an audit entry."""
    if job.patients and not _still_visible(job, user):
        audit.record(Action.DENIED, job, data={"reason": "access_ended"})
        raise PermissionDenied
    action = Action.PRINT if job.kind == ReportJob.Kind.PDF else Action.EXPORT
    _audit_per_patient(job, action=action, data={"kind": job.kind, "rows": job.rows})
    return bytes(job.content or b"")


def _still_visible(job: ReportJob, user) -> bool:
    from assessments.patients.models import Patient

    wanted = set(job.patients)
    visible = Patient.objects.visible_to(user).filter(uuid__in=wanted, processing_restricted=False)
    return visible.count() == len(wanted)


def _audit_per_patient(job: ReportJob, *, action: str, data: dict) -> None:
    """One entry per patient in the file (a patient's access history then lists every
    export holding their data); a PDF names its one patient."""
    patient = _patient_of(job)
    if patient is not None or not job.patients:
        audit.record(action, job, patient=patient, data=data)
        return
    for uuid in job.patients:
        audit.record(action, job, patient=_PatientRef(uuid), data=data)  # type: ignore[arg-type]


class _PatientRef:
    """Just the uuid of a patient, for an audit entry (no need to load the record)."""

    def __init__(self, uuid: str):
        self.uuid = uuid


def reports_purge_expired(*, now: datetime.datetime | None = None) -> int:
    return ReportJob.objects.filter(status=Status.DONE, expires_at__lte=now or timezone.now()).update(
        status=Status.EXPIRED, content=None
    )


def _patient_of(job: ReportJob):
    interview = job.formulation.interview if job.formulation is not None else None
    return interview.session.patient if interview is not None else None
