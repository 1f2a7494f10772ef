from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments.accounts.permissions import role_required, signed_in
from assessments.accounts.roles import Role
from assessments.core import audit
from assessments.core.access import get_visible_or_404
from assessments.core.paging import window_page
from assessments.core.texts import current_language
from assessments.formulation.models import Dominant
from assessments.formulation.presentation import formulation_display
from assessments.interviews.selectors import interview_answer_rows
from assessments.questionsets.compiled import compiled_for

from . import selectors, services
from .forms import DashboardFilterForm, DecisionForm
from .models import Review
from .presentation import flag_filter_choices, queue_rows
from .statistics import MIN_CASES


def _review(request, review_uuid, *, audit=True) -> Review:
    return get_visible_or_404(
        request,
        Review.objects.select_related(
            "interview__session__patient",
            "interview__finalized_by",
            "formulation__question_set_version",
            "clinician",
            "decided_by",
            "safety_acknowledged_by",
        ),
        uuid=review_uuid,
        patient_of=lambda review: review.interview.session.patient,
        audit=audit,
    )


@require_GET
@role_required(Role.SUPERVISOR)
def review_queue(request):
    filters = {key: request.GET.get(key, "") for key in ("clinician", "dominant", "flag")}
    # Urgent items sort first, so the first page always shows them.
    queue = window_page(selectors.review_queue(user=request.user, **filters), request.GET.get("page"), 50)
    audit.record_listing("review_queue", [r.interview.session.patient.uuid for r in queue])
    query = urlencode({key: value for key, value in filters.items() if value})
    overdue_cutoff = selectors.overdue_cutoff()
    clinicians = get_user_model().objects.filter(pk__in=selectors.supervised_clinician_ids(request.user))
    return render(
        request,
        "reviews/queue.html",
        {
            "queue": queue,
            "queue_rows": queue_rows(queue, overdue_cutoff),
            "query": query,
            "filters": filters,
            "clinicians": clinicians,
            "dominants": Dominant.choices,
            "flags": flag_filter_choices(),
        },
    )


def _history(review: Review) -> list:
    """Every step of this formulation's review, across returns and amendments."""
    chain: list[Review] = []
    current: Review | None = review
    while current is not None and len(chain) < 50:
        chain.append(current)
        current = current.previous
    events: list = []
    for item in reversed(chain):
        events.extend(item.events.select_related("actor"))
    return events


def _page(request, review, *, form=None, errors=None, status=200):
    formulation = review.formulation
    definition = compiled_for(formulation.question_set_version).definition
    context = formulation_display(formulation=formulation, definition=definition, language=current_language())
    context.update(
        review=review,
        formulation=formulation,
        interview=review.interview,
        patient=review.interview.session.patient,
        answer_rows=interview_answer_rows(review.interview, current_language()),
        history=_history(review),
        # Decide and acknowledge answer with this page at POST-only addresses.
        language_next=reverse("review-detail", args=[review.uuid]),
        form=form or DecisionForm(),
        errors=errors or {},
        can_decide=review.status == Review.Status.PENDING and review.clinician_id != request.user.pk,
    )
    return render(request, "reviews/review.html", context, status=status)


@require_GET
@signed_in
def review_detail(request, review_uuid):
    return _page(request, _review(request, review_uuid))


@require_POST
@role_required(Role.SUPERVISOR)
def review_decide(request, review_uuid):
    review = _review(request, review_uuid, audit=False)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        # A refused field (an unknown impression, an over-long comment) is shown, never dropped.
        errors = {field: " ".join(str(m) for m in msgs) for field, msgs in form.errors.items()}
        return _page(request, review, form=form, errors=errors, status=400)
    data = form.cleaned_data
    try:
        if request.POST.get("decision") == "endorse":
            services.review_endorse(
                review=review,
                user=request.user,
                password=data.get("password", ""),
                impression=data.get("supervisor_impression", ""),
                comment=data.get("comment", ""),
            )
            messages.success(request, _("Endorsed and signed."))
        elif request.POST.get("decision") == "return":
            services.review_return(
                review=review,
                user=request.user,
                impression=data.get("supervisor_impression", ""),
                comment=data.get("comment", ""),
            )
            messages.success(request, _("Returned to the clinician with your comment."))
        else:
            raise services.ReviewError({"__all__": _("Choose to endorse or to return.")})
    except services.ReviewError as exc:
        return _page(request, review, form=form, errors=exc.errors, status=400)
    return redirect("review-queue")


@require_POST
@role_required(Role.SUPERVISOR)
def review_acknowledge(request, review_uuid):
    review = _review(request, review_uuid, audit=False)
    try:
        services.safety_acknowledge(review=review, user=request.user)
    except services.ReviewError as exc:
        return _page(request, review, errors=exc.errors, status=400)
    messages.success(request, _("Safety alert acknowledged in your name."))
    return redirect("review-detail", review_uuid=review.uuid)


@require_GET
@role_required(Role.SUPERVISOR)
def review_dashboard(request):
    clinicians = (
        get_user_model()
        .objects.filter(pk__in=selectors.supervised_clinician_ids(request.user))
        .order_by("username")
    )
    form = DashboardFilterForm(request.GET or None, clinicians=clinicians)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    stats = selectors.dashboard(user=request.user, **{k: v for k, v in filters.items() if v})
    return render(
        request,
        "reviews/dashboard.html",
        {
            "form": form,
            **stats,
            "pairs": selectors.PAIRS,
            "min_cases": MIN_CASES,
            "chart": _agreement_chart(stats["agreement_over_time"]),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _agreement_chart(over_time: list) -> dict:
    """Chart.js data: percent agreement per month for each pair; a month with too few
    cases is a gap (null), not a point that looks as solid as the others."""
    names = {"clinician_impression": _("clinician"), "engine_impression": _("engine")}
    return {
        "labels": [m["month"].strftime("%Y-%m") for m in over_time],
        "datasets": [
            {
                "label": " ↔ ".join(str(names.get(side, _("supervisor"))) for side in pair),
                "data": [
                    None if row["too_few"] else row["agreement"]
                    for m in over_time
                    for row in m["pairs"]
                    if row["pair"] == pair
                ],
            }
            for pair in selectors.PAIRS
        ],
    }


@require_GET
@role_required(Role.CLINICIAN, Role.SUPERVISOR)
def notification_list(request):
    # Annotated rows (record number, patient uuid): typed loosely on purpose.
    notifications: Any = selectors.notifications_for(request.user)
    # Record numbers are patient data: the page's showing them is audited like a list.
    audit.record_listing("notifications", sorted({n.patient_uuid for n in notifications if n.record_number}))
    return render(request, "reviews/notifications.html", {"notifications": notifications})


@require_POST
@role_required(Role.CLINICIAN, Role.SUPERVISOR)
def notification_open(request, notification_uuid):
    """Mark read, then go to the review (for supervisors) or the interview (for its clinician)."""
    notification = services.notification_open(user=request.user, notification_uuid=notification_uuid)
    if notification is None:
        raise Http404
    if notification.review.clinician_id == request.user.pk:
        return redirect("interview-detail", interview_uuid=notification.review.interview.uuid)
    return redirect("review-detail", review_uuid=notification.review.uuid)


@require_POST
@role_required(Role.CLINICIAN, Role.SUPERVISOR)
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", count) % {"n": count},
    )
    return redirect("notification-list")
