"""What-if runs: a draft question-set version over the finalized interviews of its set,
without storing anything.

Each finalized interview (the latest of an amendment chain) is formulated again by
the draft from its stored answers and compared with its latest stored formulation.
Stored formulations are only read. The report keeps pseudonymous record numbers and
codes, never names or free text, because a question-set admin need not be anyone's
clinician. Requested in `questionsets.whatif`; started here on its signal.
"""

from django.db.models import OuterRef, Subquery
from django.dispatch import receiver
from django.utils import timezone

from assessments.core.outbox import enqueue
from assessments.formulation.models import Formulation
from assessments.interviews.models import Interview
from assessments.questionsets.compiled import compiled_for
from assessments.questionsets.models import QuestionSetVersion, WhatIfRun
from assessments.questionsets.signals import whatif_requested

# The task keeps its historical name, so runs already in the outbox still find it.
TASK_NAME = "questionsets.whatif_run"
# Enough rows to see the pattern; the counts are always exact.
MAX_LISTED = 500
Status = WhatIfRun.Status


@receiver(whatif_requested, dispatch_uid="reports_whatif_enqueue")
def whatif_enqueue(sender, *, run: WhatIfRun, user, **kwargs) -> None:
    """Enqueue the run's task after commit (through the outbox)."""
    enqueue(TASK_NAME, run.pk, user=user)


def _interviews(version: QuestionSetVersion):
    latest = Formulation.objects.filter(interview=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Interview.objects.filter(
            status=Interview.Status.FINALIZED, question_set_version__question_set_id=version.question_set_id
        )
        # An amended interview is represented by its finalized amendment.
        .exclude(amended_by__status=Interview.Status.FINALIZED)
        .annotate(
            before=Subquery(latest.values("dominant")[:1]),
            before_share=Subquery(latest.values("craving_share")[:1]),
        )
        .filter(before__isnull=False)
        .order_by("pk")
    )


def _held(run_id: int):
    return WhatIfRun.objects.filter(pk=run_id, status=Status.RUNNING)


def whatif_execute(*, run_id: int) -> str:
    """The task's body. Claims the run by compare-and-set (PENDING → RUNNING), so a
    duplicate delivery does nothing; returns what happened, for the task result."""

    if not WhatIfRun.objects.filter(pk=run_id, status=Status.PENDING).update(
        status=Status.RUNNING, updated_at=timezone.now()
    ):
        return "skipped"
    run = WhatIfRun.objects.select_related("version").get(pk=run_id)
    if run.version.updated_at != run.revision:
        whatif_fail(run_id=run_id, error="draft_changed")
        return "failed"
    compiled = compiled_for(run.version)
    interviews = _interviews(run.version)
    total = interviews.count()
    _held(run_id).update(total=total)
    step = max(1, total // 50)
    changes: list[dict] = []
    refusals: list[dict] = []
    changed = refused = 0
    rows = interviews.values_list(
        "answers", "session__patient__record_number", "session__patient__uuid", "before", "before_share"
    )
    for index, (answers, record_number, patient, before, before_share) in enumerate(
        rows.iterator(chunk_size=200), 1
    ):
        # Items the draft no longer asks are not part of its answer set.
        kept = {code: value for code, value in answers.items() if code in compiled.definition.items}
        kept = compiled.visible_answers(kept)
        errors = compiled.validate(kept)
        if errors:
            refused += 1
            if len(refusals) < MAX_LISTED:
                refusals.append(
                    {"record_number": record_number, "patient": str(patient), "items": sorted(errors)}
                )
        else:
            result = compiled.formulate(kept)
            if result["dominant"] != before:
                changed += 1
                if len(changes) < MAX_LISTED:
                    changes.append(
                        {
                            "record_number": record_number,
                            # For the audit entry of whoever reads the report.
                            "patient": str(patient),
                            "before": before,
                            "after": result["dominant"],
                            "craving_share_before": before_share,
                            "craving_share_after": result["craving_share"],
                        }
                    )
        if index % step == 0 and index < total:
            _held(run_id).update(processed=index, updated_at=timezone.now())
    finished = _held(run_id).update(
        status=Status.DONE,
        processed=total,
        changed=changed,
        refused=refused,
        changes=changes,
        refusals=refusals,
        finished_at=timezone.now(),
    )
    return "done" if finished else "superseded"


def whatif_fail(*, run_id: int, error: str) -> None:
    WhatIfRun.objects.filter(pk=run_id, status__in=[Status.PENDING, Status.RUNNING]).update(
        status=Status.FAILED, error=error[:64], finished_at=timezone.now()
    )
