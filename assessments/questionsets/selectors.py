from django.conf import settings
from django.db.models import Prefetch

from .models import QuestionSet, QuestionSetVersion, WhatIfRun


class QuestionSetNotFound(LookupError):
    pass


def version_resolve(ref: str | None) -> QuestionSetVersion:
    """`slug` → its published version; `slug@N` → version N (any status, so that
    stored formulations can be reproduced on retired versions); None → default set."""
    ref = ref or settings.ZEUS_DEFAULT_QUESTION_SET
    slug, _, number = ref.partition("@")
    versions = QuestionSetVersion.objects.select_related("question_set").filter(question_set__slug=slug)
    if number:
        if not number.isdigit():
            raise QuestionSetNotFound(f"question_set: {ref!r} is not of the form slug@number")
        version = versions.filter(number=int(number)).first()
    else:
        version = versions.filter(status=QuestionSetVersion.Status.PUBLISHED).first()
    if version is None:
        raise QuestionSetNotFound(f"question_set: no published version matches {ref!r}")
    return version


def question_sets_with_versions():
    """The admin's overview: every set with its versions, newest first (two queries)."""
    versions = QuestionSetVersion.objects.select_related("created_by", "published_by").order_by("-number")
    # The list shows status and dates only; the definitions can be large.
    versions = versions.defer("definition")
    return QuestionSet.objects.order_by("slug").prefetch_related(Prefetch("versions", queryset=versions))


def versions_of(question_set_id: int):
    return (
        QuestionSetVersion.objects.filter(question_set_id=question_set_id)
        .defer("definition")
        .order_by("-number")
    )


def whatif_runs(version: QuestionSetVersion):
    return WhatIfRun.objects.filter(version=version).select_related("requested_by").order_by("-created_at")


def test_case_results(compiled) -> list[dict]:
    """Each test case with its formulation beside its expectation, for the dry run.
    `failures` uses the engine's own messages (run_test_cases), so the page and the
    publishing gate can never disagree."""
    failures_by_case: dict[str, list[str]] = {}
    for message in compiled.run_test_cases():
        case_id, _, problem = message.partition(": ")
        failures_by_case.setdefault(case_id, []).append(problem)
    rows = []
    for case in compiled.definition.test_cases:
        result = compiled.formulate(case["answers"])
        rows.append(
            {
                "id": case["id"],
                "story": case.get("story", ""),
                "expect": case["expect"],
                "result": result,
                "failures": failures_by_case.get(case["id"], []),
            }
        )
    return rows
