"""Endorsing is an e-signature: wrong passwords count toward the lockout (issue #11, item 8)."""

from django.conf import settings
from django.urls import reverse

from assessments.core.models import AuditEntry
from assessments.reviews.models import Review
from tests.conftest import PASSWORD

WRONG = "not-the-password-1"


def test_it_locks_endorse_signatures_too(login, finalize, supervisor):
    _, _, review = finalize()
    client = login(supervisor)
    url = reverse("review-decide", args=[review.uuid])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        data = {"decision": "endorse", "supervisor_impression": "mixed", "password": WRONG}
        assert client.post(url, data).status_code == 400
    data = {"decision": "endorse", "supervisor_impression": "mixed", "password": PASSWORD}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Too many wrong passwords" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == "pending"
    assert {
        e.data["purpose"]
        for e in AuditEntry.objects.filter(user=supervisor, action="denied", data__reason="signature")
    } == {"endorse"}
