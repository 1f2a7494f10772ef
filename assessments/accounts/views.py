from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.questionsets.models import QuestionSetVersion

from .roles import Role, user_roles


@require_GET
def home(request):
    roles = user_roles(request.user)
    context = {"roles": roles}
    if Role.QUESTIONSET_ADMIN in roles:
        context["versions"] = QuestionSetVersion.objects.select_related("question_set").order_by(
            "question_set__slug", "-number"
        )
    return render(request, "accounts/home.html", context)
