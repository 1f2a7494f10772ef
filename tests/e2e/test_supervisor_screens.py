"""Issue 15, supervisor side: a queue that reads at a glance, notifications that
clear, honest agreement figures. Each test drives real Chromium and checks the page
with axe-core at a tablet and a desktop width."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.accounts.services import supervision_add
from assessments.formulation.engine.records import KNOWN_FLAGS
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import log_in
from tests.factories import finalized_interview, patient_for, vignette

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (820, 1366)


def assert_accessible(page, axe_check):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_check(page) == [], width


def answers(name: str, **changes) -> dict:
    return {**vignette(name)["answers"], "clinician_impression": "mixed", **changes}


@pytest.fixture
def team(cadi):
    clinician = make_user("dr_kowal", "clinician")
    supervisor = make_user("dr_nadzor", "supervisor")
    supervision_add(supervisor=supervisor, clinician=clinician)
    return clinician, supervisor


def test_queue_shows_session_date_name_and_flags_by_severity(live_server, page, team, axe_check):
    clinician, _supervisor = team
    today = datetime.date.today()
    anna = patient_for(clinician, display_name="Anna Nowak")
    first, _ = finalized_interview(
        anna, clinician, answers("P1-clear-craving"), PASSWORD, date=today - datetime.timedelta(days=9)
    )
    second, _ = finalized_interview(
        anna, clinician, answers("P1-clear-craving"), PASSWORD, date=today - datetime.timedelta(days=2)
    )
    urgent, _ = finalized_interview(
        patient_for(clinician, display_name="Jan Urgent"),
        clinician,
        answers("P6-anxiety-with-active-suicidal-thoughts"),
        PASSWORD,
    )
    review, _ = finalized_interview(
        patient_for(clinician, display_name="Ewa Review"),
        clinician,
        answers("P2-clear-anxiety", suicidal_thoughts="passive"),
        PASSWORD,
    )
    relapse, _ = finalized_interview(
        patient_for(clinician), clinician, answers("P7-craving-high-relapse-risk"), PASSWORD
    )

    log_in(page, live_server.url, "dr_nadzor")
    page.goto(f"{live_server.url}/reviews/")
    rows = page.locator("#queue tbody tr")
    # Two sessions of one patient differ by their session date, and both name her.
    dates = {
        first.reviews.get().uuid: (today - datetime.timedelta(days=9)).isoformat(),
        second.reviews.get().uuid: (today - datetime.timedelta(days=2)).isoformat(),
    }
    for review_uuid, date in dates.items():
        row = page.locator(f"tr[data-review='{review_uuid}']")
        expect(row.locator("[data-session-date]")).to_have_text(date)
        expect(row).to_contain_text("Anna Nowak")
    # Urgent first, in red, with the word; review in amber with the word; the rest neutral.
    expect(rows.first).to_contain_text("Jan Urgent")
    urgent_badge = page.locator(f"tr[data-review='{urgent.reviews.get().uuid}'] [data-flag='safety_urgent']")
    expect(urgent_badge).to_have_text("Urgent · Safety: urgent")
    expect(urgent_badge).to_have_class(lambda_class("text-bg-danger"))
    review_badge = page.locator(f"tr[data-review='{review.reviews.get().uuid}'] [data-flag='safety_review']")
    expect(review_badge).to_have_text("Review · Safety: review")
    expect(review_badge).to_have_class(lambda_class("text-bg-warning"))
    relapse_badge = page.locator(
        f"tr[data-review='{relapse.reviews.get().uuid}'] [data-flag='relapse_risk_high']"
    )
    expect(relapse_badge).to_have_text("High relapse risk")
    expect(relapse_badge).not_to_have_class(lambda_class("text-bg-danger"))
    expect(relapse_badge).not_to_have_class(lambda_class("text-bg-warning"))
    # One spelling of a flag everywhere: never the lower-case variant.
    expect(page.locator("#queue")).not_to_contain_text("safety: urgent")

    # A filter for every flag the engine knows (both question-set versions).
    options = page.locator("#f-flag option").evaluate_all("opts => opts.map(o => o.value)")
    assert set(options) - {""} == set(KNOWN_FLAGS)
    page.locator("#f-flag").select_option("safety_review")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ewa Review")
    assert_accessible(page, axe_check)


def lambda_class(name: str):
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def test_notifications_name_the_record_and_clear(live_server, page, team, axe_check):
    clinician, _supervisor = team
    first, _ = finalized_interview(patient_for(clinician), clinician, answers("P1-clear-craving"), PASSWORD)
    second, _ = finalized_interview(patient_for(clinician), clinician, answers("P1-clear-craving"), PASSWORD)
    urgent, _ = finalized_interview(
        patient_for(clinician), clinician, answers("P6-anxiety-with-active-suicidal-thoughts"), PASSWORD
    )
    base = live_server.url
    log_in(page, base, "dr_nadzor")
    # Three new reviews and one urgent safety notice.
    expect(page.locator("#unread-count")).to_have_text("4")
    page.get_by_role("link", name="Notifications").click()
    items = page.locator("#notifications li")
    expect(items).to_have_count(4)
    for interview in (first, second, urgent):
        record = interview.session.patient.record_number
        expect(page.locator("[data-kind='new_review']").filter(has_text=record)).to_contain_text(
            f"{record}: A formulation awaits your review"
        )
    expect(page.locator("[data-kind='safety_urgent']")).to_contain_text(
        f"{urgent.session.patient.record_number}: Urgent safety flag"
    )
    assert_accessible(page, axe_check)

    # Opening a notice marks it read.
    record = first.session.patient.record_number
    page.locator("[data-kind='new_review']").filter(has_text=record).get_by_role("button").click()
    expect(page.locator("#unread-count")).to_have_text("3")

    # Deciding an item marks its notice read, though the notice was never opened.
    page.goto(f"{base}/reviews/{second.reviews.get().uuid}/")
    page.get_by_label("Mixed").check()
    page.get_by_label("Comment (required to return)").fill("Please ask about the evening cues again.")
    page.get_by_role("button", name="Return for revision").click()
    expect(page.get_by_text("Returned to the clinician with your comment.")).to_be_visible()
    expect(page.locator("#unread-count")).to_have_text("2")

    page.goto(f"{base}/notifications/")
    expect(page.locator("[data-read='no']")).to_have_count(2)
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("2 notifications marked read.")).to_be_visible()
    expect(page.locator("#unread-count")).to_have_count(0)
    expect(page.locator("[data-read='no']")).to_have_count(0)
    assert_accessible(page, axe_check)


def _decided_reviews(formulation, supervisor, pairs_by_month: dict) -> None:
    """Reviews decided at given moments with given impressions (clinician, engine,
    supervisor), written in bulk: the dashboard reads only these rows."""
    from django.utils import timezone

    from assessments.reviews.models import Review
    from tests.factories import bulk_copies

    rows = [(when, trio) for when, trios in pairs_by_month.items() for trio in trios]
    copies = bulk_copies(formulation, len(rows))
    Review.objects.bulk_create(
        Review(
            formulation=copy,
            interview=copy.interview,
            patient_id=copy.interview.session.patient_id,
            clinician=copy.interview.finalized_by,
            submitted_at=timezone.make_aware(when),
            clinician_impression=clinician,
            engine_impression=engine,
            supervisor_impression=boss,
            dominant=copy.dominant,
            status=Review.Status.ENDORSED,
            decided_by=supervisor,
            decided_at=timezone.make_aware(when),
        )
        for copy, (when, (clinician, engine, boss)) in zip(copies, rows, strict=True)
    )
    # bulk_create bypasses the services that keep the dashboard's summary up to date;
    # rebuild it as the hourly beat task does.
    from assessments.reviews import summary

    summary.rebuild()


def test_dashboard_gives_n_intervals_too_few_and_agreement_over_time(live_server, page, team, axe_check):
    clinician, supervisor = team
    _, formulation = finalized_interview(
        patient_for(clinician), clinician, answers("P1-clear-craving"), PASSWORD
    )
    craving, anxiety, mixed = "mainly_craving", "mainly_anxiety", "mixed"
    march = datetime.datetime(2026, 3, 16, 10, 0)
    may = datetime.datetime(2026, 5, 12, 10, 0)
    _decided_reviews(
        formulation,
        supervisor,
        {
            # 25 cases: clinician and engine agree on 20 (8 craving, 7 anxiety, 5 mixed).
            march: [(craving, craving, craving)] * 8
            + [(anxiety, anxiety, anxiety)] * 7
            + [(mixed, mixed, mixed)] * 5
            + [(craving, anxiety, craving)] * 2
            + [(anxiety, mixed, anxiety)] * 2
            + [(mixed, craving, mixed)],
            may: [(craving, craving, craving)] * 3 + [(anxiety, craving, anxiety)] * 2,
        },
    )
    base = live_server.url
    log_in(page, base, "dr_nadzor")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Dashboard").click()
    pair = page.locator("#agreement [data-pair='clinician_impression-engine_impression']")
    # 25 decided in March and 5 in May, plus the one pending review from today.
    expect(pair.locator("[data-n]")).to_have_text("31")
    # 20 + 3 of 31 agree (today's is mixed against craving): 74.2 %, Wilson 56.8 to 86.3.
    expect(pair.locator("[data-agreement]")).to_have_text("74.2 (56.8–86.3)")
    expect(pair.locator("[data-kappa]")).to_contain_text(" to ")
    expect(page.locator("#agreement-method")).to_contain_text("Wilson")

    over_time = page.locator("#agreement-over-time")
    march_cell = over_time.locator(
        "[data-month='2026-03'] [data-pair='clinician_impression-engine_impression']"
    )
    expect(march_cell).to_have_text("80.0 (60.9–91.1), n = 25")
    may_cell = over_time.locator(
        "[data-month='2026-05'] [data-pair='clinician_impression-engine_impression']"
    )
    expect(may_cell).to_have_text("too few cases, n = 5")
    # The chart plots March for the three pairs; May (5 cases) and today (1) are gaps.
    expect(page.locator("#agreement-chart")).to_have_attribute("data-points", "3")
    assert_accessible(page, axe_check)

    # A period with few cases says so instead of printing a kappa.
    page.get_by_label("From").fill("2026-05-01")
    page.get_by_label("To").fill("2026-05-31")
    page.get_by_role("button", name="Apply").click()
    expect(pair.locator("[data-n]")).to_have_text("5")
    expect(pair.locator("[data-too-few]")).to_have_text("too few cases")
    expect(page.locator("#agreement")).not_to_contain_text("0.0")
    # Filtering by clinician: the other clinician of this supervisor has none.
    other = make_user("dr_inny", "clinician")
    supervision_add(supervisor=supervisor, clinician=other)
    page.goto(f"{base}/reviews/dashboard/?clinician={other.uuid}")
    expect(pair.locator("td").nth(1)).to_have_text("0")
    assert_accessible(page, axe_check)


def _to_polish(page):
    page.locator("#language-select").select_option("pl")
    page.locator("#language-select").locator("xpath=..").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")


def test_polish_wording_uses_one_translation_per_meaning(live_server, page, team, axe_check):
    clinician, _supervisor = team
    finalized_interview(
        patient_for(clinician), clinician, answers("P6-anxiety-with-active-suicidal-thoughts"), PASSWORD
    )
    base = live_server.url
    log_in(page, base, "dr_nadzor")
    page.goto(f"{base}/reviews/")
    _to_polish(page)
    # "All" clinicians and "all" flags are different words in Polish.
    expect(page.locator("#f-clinician option").first).to_have_text("Wszyscy")
    expect(page.locator("#f-flag option").first).to_have_text("Wszystkie")
    expect(page.locator("[data-flag='safety_urgent']")).to_have_text("Pilne · Bezpieczeństwo: pilne")
    assert_accessible(page, axe_check)
    page.goto(f"{base}/reviews/dashboard/")
    header = page.locator("#per-clinician thead")
    expect(header).to_contain_text("Oczekujące")
    # "All" as a column of counts is a total.
    expect(header).to_contain_text("Razem")
    page.goto(f"{base}/audit/")
    expect(page.locator("#a-user option").first).to_have_text("Wszyscy")
    expect(page.locator("#a-action option").first).to_have_text("Wszystkie")

    # A draft question-set version and a draft interview are different drafts.
    from assessments.questionsets import services

    admin = make_user("qs_lead", "questionset_admin")
    draft = services.version_clone(version=_cadi(), user=admin)
    admin_page = page.context.browser.new_context().new_page()
    log_in(admin_page, base, "qs_lead")
    admin_page.goto(f"{base}/question-sets/versions/{draft.uuid}/")
    _to_polish(admin_page)
    expect(admin_page.locator("#version-status")).to_have_text("Wersja robocza")
    # The supervisor reads a clinician's unfinished interview: a draft of another kind.
    from tests.factories import draft_interview

    interview = draft_interview(patient_for(clinician), clinician)
    page.goto(f"{base}/interviews/{interview.uuid}/")
    expect(page.get_by_text("Szkic", exact=True)).to_be_visible()


def _cadi():
    from assessments.questionsets.services import default_question_set_ensure

    return default_question_set_ensure()
