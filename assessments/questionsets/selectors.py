from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import QuestionSet, QuestionSetVersion, WhatIfRun
from .vocabulary import dominant_label, flag_label


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


def case_failures(expect: dict, result: dict) -> list[str]:
    """What a test case expected and what the formulation said, in words the admin
    reads on the formulation page ("expected Mainly craving, got Mixed"), never codes.
    The same checks as the engine's run_test_cases, which gates publishing."""
    failures = []
    if result["dominant"] not in expect.get("dominant", [result["dominant"]]):
        failures.append(
            _("expected %(expected)s, got %(got)s")
            % {
                "expected": _(" or ").join(dominant_label(d) for d in expect["dominant"]),
                "got": dominant_label(result["dominant"]),
            }
        )
    for flag in expect.get("flags_include", []):
        if flag not in result["flags"]:
            failures.append(_("expected the flag %(flag)s, not raised") % {"flag": flag_label(flag)})
    for flag in expect.get("flags_exclude", []):
        if flag in result["flags"]:
            failures.append(_("the flag %(flag)s was raised, expected not") % {"flag": flag_label(flag)})
    return failures


def test_case_results(compiled) -> list[dict]:
    """Each test case with its formulation beside its expectation, for the dry run and
    the publish confirmation, failures in words (labels, not codes)."""
    rows = []
    for case in compiled.definition.test_cases:
        result = compiled.formulate(case["answers"])
        rows.append(
            {
                "id": case["id"],
                "story": case.get("story", ""),
                "expect": case["expect"],
                "expected_dominant": [dominant_label(d) for d in case["expect"].get("dominant", [])],
                "expected_flags": [flag_label(f) for f in case["expect"].get("flags_include", [])],
                "excluded_flags": [flag_label(f) for f in case["expect"].get("flags_exclude", [])],
                "result": result,
                "result_dominant": dominant_label(result["dominant"]),
                "result_flags": [flag_label(f) for f in result["flags"]],
                "failures": case_failures(case["expect"], result),
            }
        )
    return rows
