"""Script-injection payloads stored in every free-text field come out escaped everywhere."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.reviews import services as review_services
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)//<a href='javascript:alert(1)'>x</a>",
    "{{ 7|add:7 }}{% now 'Y' %}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_escapes_stored_payloads_on_every_page(login, clinician, supervisor, cadi, payload, committed):
    patient = patient_for(clinician, display_name=payload)
    answers = {**vignette("P3-mixed")["answers"], "clinician_impression": "mixed", "clinician_notes": payload}
    with committed():
        interview, formulation = finalized_interview(patient, clinician, answers, PASSWORD)
        review_services.review_return(
            review=formulation.review, user=supervisor, impression="mixed", comment=payload
        )
    pages = {
        clinician: [
            reverse("home"),
            reverse("patient-list"),
            reverse("patient-detail", args=[patient.uuid]),
            reverse("interview-detail", args=[interview.uuid]),
            reverse("formulation-detail", args=[formulation.uuid]),
            reverse("notification-list"),
        ],
        supervisor: [
            reverse("home"),
            reverse("review-detail", args=[formulation.review.uuid]),
            reverse("review-queue"),
            reverse("review-dashboard"),
            reverse("audit-log"),
            reverse("patient-detail", args=[patient.uuid]),
        ],
    }
    shown = set()
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert payload not in body, f"raw payload on {url}"
            if escape(payload) in body:
                shown.add(url)
    # The notes and the comment are displayed (escaped) on the interview and the review.
    assert {
        reverse("interview-detail", args=[interview.uuid]),
        reverse("review-detail", args=[formulation.review.uuid]),
    } <= shown
    export = login(clinician).get(reverse("patient-export", args=[patient.uuid]))
    assert export["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("patient-list", "?sort=record_number;DROP TABLE x&status=active' OR 1=1--"),
        ("patient-list", "?page=-1&sort[]=x"),
        ("review-queue", "?clinician=' OR 1=1--&dominant=<script>&flag=safety_urgent%00"),
        ("review-dashboard", "?clinician=nope&date_from=2026-13-45&date_to=x"),
        ("audit-log", "?patient='; DROP TABLE core_auditentry;--&action=bogus&from=x&to=2026-99-99&page=zz"),
    ],
)
def test_it_never_fails_on_hostile_sort_and_filter_values(login, supervisor, clinician, name, query):
    user = clinician if name == "patient-list" else supervisor
    response = login(user).get(reverse(name) + query)
    assert response.status_code in (200, 400)
