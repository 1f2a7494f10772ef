import pytest

from assessments.reviews.services import review_endorse
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette


@pytest.fixture
def finalize(clinician, cadi, committed):
    """finalize(vignette, owner=..., **patient fields) -> formulation, signed by its owner."""

    def _finalize(name="P1-clear-craving", *, owner=None, impression="mainly_craving", notes="", **patient):
        owner = owner or clinician
        answers = {**vignette(name)["answers"], "clinician_impression": impression}
        if notes:
            answers["clinician_notes"] = notes
        with committed():
            _, formulation = finalized_interview(patient_for(owner, **patient), owner, answers, PASSWORD)
        return formulation

    return _finalize


@pytest.fixture
def endorse(supervisor, committed):
    def _endorse(formulation, impression="mainly_craving", comment=""):
        with committed():
            review_endorse(
                review=formulation.review,
                user=supervisor,
                password=PASSWORD,
                impression=impression,
                comment=comment,
            )
        formulation.review.refresh_from_db()

    return _endorse
