"""Pages that gather several apps (above every layer of `assessments`, like urls.py)."""

from typing import Any

from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.accounts.permissions import signed_in
from assessments.accounts.roles import Role, user_roles
from assessments.core import audit
from assessments.questionsets.models import QuestionSetVersion
from assessments.reviews import selectors as review_selectors


@require_GET
@signed_in
def home(request):
    roles = user_roles(request.user)
    context: dict[str, Any] = {"roles": roles}
    if Role.SUPERVISOR in roles:
        # Unacknowledged urgent safety flags stay on top of the supervisor's home page.
        context["safety_alerts"] = list(review_selectors.unacknowledged_safety(request.user)[:20])
        if context["safety_alerts"]:
            # The alerts show record numbers: reading them is audited, naming each patient.
            audit.record_listing(
                "safety_alerts",
                [review.interview.session.patient.uuid for review in context["safety_alerts"]],
            )
        context["pending_count"] = review_selectors.review_queue(user=request.user).count()
    if Role.QUESTIONSET_ADMIN in roles:
        context["versions"] = QuestionSetVersion.objects.select_related("question_set").order_by(
            "question_set__slug", "-number"
        )
    return render(request, "accounts/home.html", context)
