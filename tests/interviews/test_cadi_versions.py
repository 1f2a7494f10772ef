"""cadi@2 is the default for new interviews; cadi@1 is retired, not deleted, and an
interview started on it finishes on it (issue 13)."""

import json

from assessments.interviews import services as interview_services
from assessments.interviews.models import Interview
from assessments.questionsets.models import QuestionSetVersion
from assessments.questionsets.selectors import version_resolve
from assessments.questionsets.services import shipped_version
from tests.conftest import PASSWORD
from tests.engine.engine_support import CASES_DIR
from tests.factories import draft_interview, patient_for

Status = QuestionSetVersion.Status


def test_it_publishes_cadi2_as_the_default_and_keeps_cadi1_retired(cadi):
    old = shipped_version(1)
    assert (cadi.ref, cadi.status) == ("cadi@2", Status.PUBLISHED)
    assert (old.ref, old.status) == ("cadi@1", Status.RETIRED) and old.retired_at is not None
    assert version_resolve(None) == cadi and version_resolve("cadi@1") == old


def test_it_finishes_an_interview_started_on_cadi1_on_cadi1(
    cadi, clinician, django_capture_on_commit_callbacks
):
    old = shipped_version(1)
    interview = draft_interview(patient_for(clinician), clinician)
    # An interview opened before cadi@2 was published points at cadi@1.
    Interview.objects.filter(pk=interview.pk).update(question_set_version=old)
    interview.refresh_from_db()
    answers = {"onset_pattern": "cue_linked", "other_sedative_use": "both", "clinician_impression": "mixed"}
    interview_services.interview_save_draft(
        interview=interview, user=clinician, answers=answers, lock_version=interview.lock_version
    )
    interview.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        # A deliberately partial answer set: confirmed as incomplete (issue 14, item 1).
        formulation = interview_services.interview_finalize(
            interview=interview, user=clinician, password=PASSWORD, incomplete_confirmed=True
        )
    assert formulation.question_set_version == old and formulation.result["question_set"] == "cadi@1"
    assert "sedative_substitution" in formulation.result["flags"]


def test_it_starts_new_interviews_on_cadi2_with_its_items(cadi, clinician):
    interview = draft_interview(patient_for(clinician), clinician)
    case = json.loads(
        (CASES_DIR / "vignettes-v2" / "V2-P8-alcohol-pregabalin-passive-ideation-low-mood.json").read_text()
    )
    interview_services.interview_save_draft(
        interview=interview, user=clinician, answers=case["answers"], lock_version=interview.lock_version
    )
    interview.refresh_from_db()
    assert interview.question_set_version == cadi
    assert interview.answers["other_sedative_use"] == ["alcohol", "gabapentinoids"]
