import pytest

from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette


@pytest.fixture
def finalize(clinician, cadi, django_capture_on_commit_callbacks):
    """finalize(vignette_name, impression) -> (interview, formulation, review) for `clinician`."""

    def _finalize(name="P1-clear-craving", impression="mainly_craving", *, owner=None):
        owner = owner or clinician
        answers = {**vignette(name)["answers"], "clinician_impression": impression}
        # Run what would run after commit (the outbox publishes then), as in production.
        with django_capture_on_commit_callbacks(execute=True):
            interview, formulation = finalized_interview(patient_for(owner), owner, answers, PASSWORD)
        return interview, formulation, formulation.review

    return _finalize
