"""One visibility rule for conditional items: the engine's, wherever answers are checked."""

import pytest

from assessments.interviews import services
from tests.engine.engine_support import cadi
from tests.factories import as_user, draft_interview, patient_for


def test_a_malformed_controlling_answer_is_refused_naming_the_field_not_a_crash(cadi, clinician):
    draft = draft_interview(patient_for(clinician), clinician)
    answers = {"med_status": ["tapering"], "days_since_dose_change": 12}
    with as_user(clinician), pytest.raises(services.InterviewError) as refused:
        services.interview_save_draft(
            interview=draft, user=clinician, answers=answers, lock_version=draft.lock_version
        )
    assert "med_status" in refused.value.errors
    draft.refresh_from_db()
    assert draft.lock_version == 1


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        ({"med_status": "stable_dose", "days_since_dose_change": 3}, {"med_status"}),
        ({"med_status": "tapering", "days_since_dose_change": 3}, {"med_status", "days_since_dose_change"}),
        ({"days_since_dose_change": 3}, {"days_since_dose_change"}),
    ],
)
def test_the_checked_answers_are_the_ones_the_scorer_counts(answers, kept):
    compiled = cadi()
    visible = compiled.visible_answers(answers)
    assert set(visible) == kept
    assert all(compiled.is_visible(code, answers) for code in visible)
    # What the scorer counted as answered is what survived the same rule.
    result = compiled.formulate(answers)
    evidence = {entry["item"] for rule in result["rules"] for entry in rule["evidence"]}
    assert evidence <= kept
