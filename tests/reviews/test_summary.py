"""The dashboard's summary (one row per clinician, patient clinician and day) kept on
write gives exactly what counting the reviews gives."""

import datetime

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import Supervision
from assessments.reviews import selectors, services, summary
from assessments.reviews.models import Review, ReviewDayStats, ReviewSummaryState
from tests.conftest import PASSWORD, make_user


def _rows():
    return sorted(
        ReviewDayStats.objects.values(
            *[f.attname for f in ReviewDayStats._meta.concrete_fields if f.name != "id"]
        ).order_by(),
        key=lambda r: (r["clinician_id"], r["patient_primary_clinician_id"], r["day"]),
    )


def _decide_some(finalize, supervisor):
    _, _, a = finalize("P1-clear-craving", "mainly_craving")
    _, _, b = finalize("P2-clear-anxiety", "mainly_craving")
    _, _, c = finalize("P3-mixed", "mixed")
    services.review_endorse(review=a, user=supervisor, password=PASSWORD, impression="mainly_craving")
    services.review_return(review=b, user=supervisor, impression="mainly_anxiety", comment="Please revise")
    return a, b, c


def test_each_write_keeps_the_summary_equal_to_a_rebuild(finalize, supervisor):
    _decide_some(finalize, supervisor)
    kept = _rows()
    assert sum(r["total"] for r in kept) == Review.objects.count() == 3
    summary.rebuild()
    assert _rows() == kept


def test_the_dashboard_counts_what_the_reviews_hold(finalize, supervisor, clinician):
    _decide_some(finalize, supervisor)
    stats = selectors.dashboard(user=supervisor)
    reviews = Review.objects.all()
    assert [(r["clinician__username"], r["total"], r["pending"]) for r in stats["per_clinician"]] == [
        (clinician.username, reviews.count(), reviews.filter(status="pending").count())
    ]
    raw = {(r["dominant"], r["n"]) for r in reviews.values("dominant").annotate(n=Count("pk")).order_by()}
    month = stats["months"][0]
    assert {(d, month[d]) for d in selectors.DOMINANTS if month[d]} == raw
    engine_supervisor = next(
        a for a in stats["agreement"] if a["pair"] == ("engine_impression", "supervisor_impression")
    )
    assert engine_supervisor["n"] == reviews.exclude(supervisor_impression="").count() == 2


def test_the_summary_follows_the_access_rule_and_the_filters(finalize, supervisor, clinician, login):
    _decide_some(finalize, supervisor)
    outsider = make_user("other_supervisor", "supervisor")
    assert selectors.dashboard(user=outsider)["per_clinician"] == []
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert selectors.dashboard(user=supervisor, date_from=tomorrow)["per_clinician"] == []
    assert selectors.dashboard(user=supervisor, clinician=str(outsider.uuid))["per_clinician"] == []
    today = timezone.localdate()
    only_today = selectors.dashboard(user=supervisor, date_from=today, date_to=today)
    assert only_today["per_clinician"][0]["total"] == 3
    assert login(supervisor).get(reverse("review-dashboard")).status_code == 200


# The dashboard's figures are cached under the summary's state token (#16): these hold
# the cache to never serving a figure the summary no longer gives.


def _engine_supervisor_n(stats) -> int:
    return next(
        a["n"] for a in stats["agreement"] if a["pair"] == ("engine_impression", "supervisor_impression")
    )


def _summary_queries(captured) -> int:
    return sum("reviews_reviewdaystats" in q["sql"] for q in captured.captured_queries)


def test_a_second_dashboard_reads_its_figures_from_the_cache_not_the_summary(finalize, supervisor):
    _decide_some(finalize, supervisor)
    with CaptureQueriesContext(connection) as first:
        figures = selectors.dashboard(user=supervisor)
    with CaptureQueriesContext(connection) as second:
        again = selectors.dashboard(user=supervisor)
    assert _summary_queries(first) == 1 and _summary_queries(second) == 0
    assert again == figures


def test_every_write_to_the_summary_shows_at_once(finalize, supervisor):
    _, _, c = _decide_some(finalize, supervisor)
    before = selectors.dashboard(user=supervisor)
    assert _engine_supervisor_n(before) == 2
    services.review_endorse(review=c, user=supervisor, password=PASSWORD, impression="mixed")
    after = selectors.dashboard(user=supervisor)
    assert _engine_supervisor_n(after) == 3
    assert [r["pending"] for r in after["per_clinician"]] == [0]
    # A rebuild (the hourly beat task) is a write too. Rows changed behind summary's
    # back (never done by the app; the README forbids it) are not seen until then: the
    # cached figure still stands, and the rebuild recomputes the same one.
    ReviewDayStats.objects.all().delete()
    assert _engine_supervisor_n(selectors.dashboard(user=supervisor)) == 3
    summary.rebuild()
    assert _engine_supervisor_n(selectors.dashboard(user=supervisor)) == 3
    Review.objects.filter(pk=c.pk).update(supervisor_impression="")
    summary.rebuild()
    assert _engine_supervisor_n(selectors.dashboard(user=supervisor)) == 2


def test_cached_figures_are_kept_apart_per_viewer_and_filter(finalize, supervisor, clinician):
    _decide_some(finalize, supervisor)
    assert selectors.dashboard(user=supervisor)["per_clinician"][0]["total"] == 3
    outsider = make_user("other_supervisor", "supervisor")
    assert selectors.dashboard(user=outsider)["per_clinician"] == []
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert selectors.dashboard(user=supervisor, date_from=tomorrow)["per_clinician"] == []
    assert selectors.dashboard(user=supervisor, clinician=str(outsider.uuid))["per_clinician"] == []
    # The outsider takes on the clinician: a new team, new figures.
    Supervision.objects.create(supervisor=outsider, clinician=clinician)
    assert selectors.dashboard(user=outsider)["per_clinician"][0]["total"] == 3


def test_without_its_state_row_the_summary_is_read_every_time(finalize, supervisor):
    _decide_some(finalize, supervisor)
    ReviewSummaryState.objects.all().delete()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert selectors.dashboard(user=supervisor)["per_clinician"][0]["total"] == 3
        assert _summary_queries(captured) == 1
    _, _, d = finalize("P1-clear-craving", "mainly_craving")  # a write brings the row back
    assert ReviewSummaryState.objects.count() == 1
    assert selectors.dashboard(user=supervisor)["per_clinician"][0]["total"] == 4


def test_cached_figures_follow_a_change_of_the_viewers_superuser_status(
    finalize, supervisor, other_clinician
):
    """restrict_to_patients lets a superuser see every bucket; once that status is gone,
    figures cached while it held must not be served (the cache key carries it)."""
    _, _, review = finalize("P1-clear-craving", "mainly_craving")
    patient = review.interview.session.patient
    patient.primary_clinician = other_clinician  # a patient outside the supervisor's care relation
    patient.save()
    summary.rebuild()  # as the hourly task does after a reassignment
    assert selectors.dashboard(user=supervisor)["per_clinician"] == []
    supervisor.is_superuser = True
    supervisor.save()
    assert selectors.dashboard(user=supervisor)["per_clinician"][0]["total"] == 1
    supervisor.is_superuser = False
    supervisor.save()
    assert selectors.dashboard(user=supervisor)["per_clinician"] == []
