import copy

import pytest

from assessments.questionsets import services
from assessments.questionsets.models import QuestionSetVersion
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette


@pytest.fixture
def draft(cadi, qs_admin) -> QuestionSetVersion:
    """cadi@3, a draft cloned from the published cadi@2."""
    return services.version_clone(version=cadi, user=qs_admin)


def new_item(code="sleep_dread", *, craving=(0, 0, 1, 2, 3)) -> dict:
    """A scale item with craving weights, valid for the `thinking` section."""
    return {
        "code": code,
        "type": "scale",
        "text": {
            "en": "How much do you dread the night without the tablet?",
            "pl": "Jak bardzo boisz się nocy bez tabletki?",
        },
        "weights": {"craving": list(craving)},
        "evidence_label": {"en": "Dread of the night without the drug", "pl": "Lęk przed nocą bez leku"},
        "rationale": "Anticipating the night without the drug ties distress to a former dosing cue.",
    }


def with_item(definition: dict, item: dict, section="thinking") -> dict:
    result = copy.deepcopy(definition)
    next(s for s in result["sections"] if s["code"] == section)["items"].append(item)
    return result


@pytest.fixture
def finalize(clinician, cadi, django_capture_on_commit_callbacks):
    """finalize(vignette_name, owner=None) -> (interview, formulation) on the published version."""

    def _finalize(name="P1-clear-craving", impression="mainly_craving", *, owner=None):
        owner = owner or clinician
        answers = {**vignette(name)["answers"], "clinician_impression": impression}
        with django_capture_on_commit_callbacks(execute=True):
            return finalized_interview(patient_for(owner), owner, answers, PASSWORD)

    return _finalize
