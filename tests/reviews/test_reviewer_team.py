"""Only a supervisor of the review's clinician may decide on it, checked in the service
itself (not only by the page that finds the review): issue #11, item 12."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments.core.models import AuditEntry
from assessments.reviews import services
from assessments.reviews.models import Review, ReviewEvent
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def stranger(db):
    """A supervisor, but of nobody in particular: not of the review's clinician."""
    return make_user("stranger_supervisor", "supervisor")


@pytest.mark.parametrize(
    "decide",
    [
        lambda review, user: services.review_endorse(
            review=review, user=user, password=PASSWORD, impression="mixed"
        ),
        lambda review, user: services.review_return(
            review=review, user=user, impression="mixed", comment="Please check the dates."
        ),
        lambda review, user: services.safety_acknowledge(review=review, user=user),
    ],
    ids=["endorse", "return", "acknowledge"],
)
def test_a_supervisor_outside_the_team_cannot_decide(finalize, supervisor, stranger, decide):
    _, _, review = finalize("P6-anxiety-with-active-suicidal-thoughts", "mainly_anxiety")
    with pytest.raises(PermissionDenied):
        decide(review, stranger)
    review = Review.objects.get(pk=review.pk)
    assert review.status == "pending" and review.decided_by is None
    assert review.safety_acknowledged_by is None
    assert not ReviewEvent.objects.filter(review=review, actor=stranger).exists()
    assert not AuditEntry.objects.filter(user=stranger, action="update").exists()
    # The team's own supervisor may (the refusal above is about the team, not the review).
    decide(review, supervisor)
