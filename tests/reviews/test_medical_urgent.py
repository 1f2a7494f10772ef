"""medical_urgent (spec 6.4) is shown and acknowledged by name like safety_urgent:
on the formulation page and its report, first in the queue, on the supervisor's home."""

import pytest
from django.urls import reverse

from assessments.core.models import AuditEntry
from assessments.reviews.models import Notification
from tests.conftest import PASSWORD
from tests.engine.engine_support import load_vignette
from tests.factories import finalized_interview, patient_for


@pytest.fixture
def severe(clinician, supervisor, cadi, django_capture_on_commit_callbacks):
    """A cadi@2 interview with confusion and severe agitation four days after a stop."""
    answers = load_vignette("V2-P6-abrupt-stop-confusion-agitation", folder="vignettes-v2")["answers"]
    with django_capture_on_commit_callbacks(execute=True):
        interview, formulation = finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)
    return formulation


def test_it_shows_the_medical_banner_on_the_formulation_page(severe, clinician, login):
    assert "medical_urgent" in severe.result["flags"]
    body = login(clinician).get(reverse("formulation-detail", args=[severe.uuid])).content.decode()
    assert 'id="medical-banner"' in body and "urgent medical assessment today" in body
    assert body.index('id="medical-banner"') < body.index('id="flags"')


def test_it_puts_the_medical_flag_first_and_asks_a_named_acknowledgement(
    severe, supervisor, login, django_capture_on_commit_callbacks
):
    review = severe.review
    assert review.safety_urgent and review.urgent_flags == ["medical_urgent"]
    assert Notification.objects.filter(recipient=supervisor, kind="medical_urgent").exists()
    assert not Notification.objects.filter(recipient=supervisor, kind="safety_urgent").exists()
    client = login(supervisor)
    home = client.get(reverse("home")).content.decode()
    assert 'id="safety-alerts"' in home and 'data-urgent="medical_urgent"' in home
    queue = client.get(reverse("review-queue")).content.decode()
    assert 'data-flag="medical_urgent"' in queue
    page = client.get(reverse("review-detail", args=[review.uuid])).content.decode()
    assert 'data-urgent="medical_urgent"' in page and "Severe withdrawal signs were reported" in page
    client.post(reverse("review-acknowledge", args=[review.uuid]))
    review.refresh_from_db()
    assert review.safety_acknowledged_by == supervisor
    entry = AuditEntry.objects.filter(object_uuid=review.uuid, data__safety="acknowledged").get()
    assert entry.data["flags"] == ["medical_urgent"]
    assert not Notification.objects.filter(
        review=review, kind="medical_urgent", read_at__isnull=True
    ).exists()
    assert 'id="safety-alerts"' not in client.get(reverse("home")).content.decode()
