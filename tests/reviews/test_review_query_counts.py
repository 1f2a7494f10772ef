import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.reviews import summary
from assessments.reviews.models import Review
from tests.factories import bulk_copies


def _clone_reviews(review: Review, n: int, *, decider) -> None:
    """n more reviews like `review` (a third pending, the rest endorsed by `decider`),
    each with its own session, interview and formulation, spread over three months."""
    formulations = bulk_copies(review.formulation, n)
    now = timezone.now()
    Review.objects.bulk_create(
        Review(
            formulation=f,
            interview=f.interview,
            patient_id=f.interview.session.patient_id,
            clinician=review.clinician,
            submitted_at=now - datetime.timedelta(days=k % 90),
            clinician_impression="mixed",
            engine_impression=review.engine_impression,
            dominant=review.dominant,
            flags_text=review.flags_text,
            status="pending" if k % 3 == 0 else "endorsed",
            supervisor_impression="" if k % 3 == 0 else "mixed",
            decided_by=None if k % 3 == 0 else decider,
            decided_at=None if k % 3 == 0 else now,
        )
        for k, f in enumerate(formulations)
    )
    # bulk_create bypasses the services that keep the dashboard's summary up to date;
    # rebuild it as the hourly beat task does.
    summary.rebuild()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_renders_queue_and_dashboard_in_constant_queries(
    login, finalize, supervisor, django_assert_num_queries
):
    _, _, review = finalize()
    client = login(supervisor)
    _clone_reviews(review, 9, decider=supervisor)
    queue, dash = _count(client, reverse("review-queue")), _count(client, reverse("review-dashboard"))
    _clone_reviews(review, 990, decider=supervisor)
    with django_assert_num_queries(queue):
        page = client.get(reverse("review-queue")).content.decode()
    # 334 pending, 50 a page: the first page links the next, without counting them all.
    assert page.count("<tr data-review=") == 50 and "Page 1<" in page and "page=2" in page
    with django_assert_num_queries(queue):
        last = client.get(reverse("review-queue") + "?page=7").content.decode()
    assert last.count("<tr data-review=") == 34 and "page=6" in last and "page=8" not in last
    with django_assert_num_queries(dash):
        response = client.get(reverse("review-dashboard"))
    assert '<td class="text-end">1000</td>' in response.content.decode()
