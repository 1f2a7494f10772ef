"""Run one report job: claim it, build the file, store it (called by the task)."""

from django.contrib.auth import get_user_model
from django.utils import translation

from assessments.formulation.models import Formulation

from . import exports, services
from .models import ReportJob
from .pdf import render
from .services import Claim


def job_run(*, job_id: int) -> Claim:
    claim = services.job_claim(job_id=job_id)
    attempt = claim.attempt
    if attempt is None:
        return claim
    job = ReportJob.objects.defer("content").get(pk=job_id)

    def progress(percent: int) -> None:
        # Looked up on the module at each call, so the fault tests can slow it down.
        services.job_progress(job_id=job_id, attempt=attempt, percent=percent)

    try:
        with translation.override(job.language):
            content, content_type, rows, patients = _build(job, progress)
    except services.LostClaim:
        raise
    except BaseException:
        # Give the job back so the retry (or a "try again") can claim it at once.
        services.job_release(job_id=job_id, attempt=attempt)
        raise
    services.job_finish(
        job_id=job_id,
        attempt=attempt,
        content=content,
        content_type=content_type,
        rows=rows,
        patients=patients,
    )
    return claim


def _build(job: ReportJob, progress) -> tuple[bytes, str, int, list[str]]:
    user = get_user_model().objects.get(pk=job.requested_by_id)
    if job.kind == ReportJob.Kind.PDF:
        # The access rule is checked again at run time: access may have ended since.
        formulation = (
            Formulation.objects.visible_to(user)
            .select_related(
                "interview__session__patient", "interview__finalized_by", "question_set_version__question_set"
            )
            .filter(pk=job.formulation_id)
            .first()
        )
        if formulation is None:
            raise services.JobRefused("NoAccess")
        progress(20)
        return render.render_pdf(formulation), "application/pdf", 1, []
    patients: set = set()
    if job.kind == ReportJob.Kind.RESEARCH:
        if not user.is_superuser:
            raise services.JobRefused("NoAccess")
        content, rows = exports.research_csv(user=user, progress=progress, patients=patients)
    else:
        content, rows = exports.formulations_csv(user=user, progress=progress, patients=patients)
    return content, "text/csv; charset=utf-8", rows, sorted(str(u) for u in patients)
