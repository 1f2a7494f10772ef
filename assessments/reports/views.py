from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments.accounts.permissions import acts_as, role_required, signed_in, superuser_required
from assessments.accounts.roles import Role
from assessments.core.access import get_visible_or_404
from assessments.core.texts import current_language
from assessments.formulation.models import Formulation

from . import services
from .models import ReportJob


def _job(request, job_uuid, *, with_content: bool = False) -> ReportJob:
    queryset = ReportJob.objects.select_related("formulation__interview__session__patient")
    if not with_content:
        queryset = queryset.defer("content")
    # Reads of the job page are not audited (it polls every second); downloads are.
    return get_visible_or_404(request, queryset, uuid=job_uuid, audit=False)


def _started(request, job: ReportJob):
    if request.htmx:
        return render(request, "reports/_job.html", {"job": job})
    return redirect("report-job-detail", job_uuid=job.uuid)


# Exports are for the care roles; the role decorators below and the job page's buttons
# use the same list.
EXPORT_ROLES = (Role.CLINICIAN, Role.SUPERVISOR)
reports_roles = role_required(*EXPORT_ROLES)


@require_GET
@reports_roles
def job_list(request):
    jobs = ReportJob.objects.visible_to(request.user).defer("content").order_by("-created_at")[:50]
    return render(
        request,
        "reports/job_list.html",
        {
            "jobs": jobs,
            "may_export": acts_as(request.user, *EXPORT_ROLES),
            "may_research": request.user.is_superuser,
        },
    )


@require_POST
@signed_in
def pdf_start(request, formulation_uuid):
    formulation = get_visible_or_404(request, Formulation.objects.all(), uuid=formulation_uuid, audit=False)
    job = services.report_request(
        user=request.user, kind=ReportJob.Kind.PDF, language=current_language(), formulation=formulation
    )
    return _started(request, job)


@require_POST
@reports_roles
def export_start(request):
    job = services.report_request(user=request.user, kind=ReportJob.Kind.CSV, language=current_language())
    return _started(request, job)


@require_POST
@superuser_required
def research_start(request):
    job = services.report_request(
        user=request.user, kind=ReportJob.Kind.RESEARCH, language=current_language()
    )
    return _started(request, job)


@require_GET
@signed_in
def job_detail(request, job_uuid):
    return render(request, "reports/job_detail.html", {"job": _job(request, job_uuid)})


@require_GET
@signed_in
def job_status(request, job_uuid):
    return render(request, "reports/_job.html", {"job": _job(request, job_uuid)})


@require_POST
@signed_in
def job_retry(request, job_uuid):
    job = _job(request, job_uuid)
    if job.status not in (ReportJob.Status.FAILED, ReportJob.Status.EXPIRED):
        return _started(request, job)
    return _started(request, services.report_retry(job=job, user=request.user))


@require_GET
@signed_in
def job_download(request, job_uuid):
    job = _job(request, job_uuid, with_content=True)
    if job.status != ReportJob.Status.DONE:
        raise Http404
    response = HttpResponse(
        services.report_download(job=job, user=request.user), content_type=job.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    # Patient data: never kept in shared or browser caches.
    response["Cache-Control"] = "no-store, private"
    return response
