"""Views respect their forms: a field the form refuses is shown to the user, nothing is
stored, and writes go through services."""

from django.urls import reverse

from assessments.reviews.models import Notification
from tests.conftest import PASSWORD


def test_a_refused_comment_is_shown_and_nothing_is_signed(login, finalize, supervisor):
    _, _, review = finalize()
    response = login(supervisor).post(
        reverse("review-decide", args=[review.uuid]),
        {
            "decision": "endorse",
            "supervisor_impression": "mainly_craving",
            "password": PASSWORD,
            "comment": "x" * 5001,  # longer than the form allows
        },
    )
    assert response.status_code == 400
    assert "5000" in response.content.decode()  # Django's message names the limit
    review.refresh_from_db()
    assert review.status == "pending" and review.decided_by is None and review.comment == ""


def test_an_unknown_impression_is_refused_naming_the_field(login, finalize, supervisor):
    _, _, review = finalize()
    response = login(supervisor).post(
        reverse("review-decide", args=[review.uuid]),
        {"decision": "return", "supervisor_impression": "bogus", "comment": "please look again"},
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.status == "pending"


def test_opening_a_notification_marks_it_read_through_the_service(login, finalize, supervisor):
    _, _, review = finalize()
    notification = Notification.objects.filter(recipient=supervisor).first()
    assert notification is not None and notification.read_at is None
    response = login(supervisor).post(reverse("notification-open", args=[notification.uuid]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_endorsing_with_nothing_filled_names_every_missing_field_at_once_and_counts_no_failure(
    login, finalize, supervisor
):
    """The walk got only "The password is not correct" for an empty form, and the missing
    impression only after typing the right password: fields first, the signature last,
    and an empty password is not a wrong one."""
    from assessments.core.models import AuditEntry

    _, _, review = finalize()
    response = login(supervisor).post(
        reverse("review-decide", args=[review.uuid]), {"decision": "endorse", "password": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Record your own impression" in body
    assert "Enter your password to sign" in body and "not correct" not in body
    assert not AuditEntry.objects.filter(user=supervisor, action="denied").exists()
    review.refresh_from_db()
    assert review.status == "pending"


def test_a_wrong_password_is_not_tried_while_the_impression_is_missing(login, finalize, supervisor):
    from assessments.core.models import AuditEntry

    _, _, review = finalize()
    response = login(supervisor).post(
        reverse("review-decide", args=[review.uuid]), {"decision": "endorse", "password": "wrong-one"}
    )
    assert response.status_code == 400 and "Record your own impression" in response.content.decode()
    assert not AuditEntry.objects.filter(user=supervisor, action="denied").exists()


def test_switching_language_on_a_refused_decision_returns_to_the_review(login, finalize, supervisor):
    """The decide address is POST-only: the language switch on its refusal goes back to
    the review, not to a blank 405."""
    _, _, review = finalize()
    client = login(supervisor)
    refused = client.post(
        reverse("review-decide", args=[review.uuid]), {"decision": "endorse", "password": ""}
    )
    assert refused.status_code == 400
    page = reverse("review-detail", args=[review.uuid])
    assert f'name="next" value="{page}"' in refused.content.decode()
    assert client.get(page).status_code == 200
