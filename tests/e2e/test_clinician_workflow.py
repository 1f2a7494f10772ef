import datetime

import pytest
from playwright.sync_api import expect

from assessments.interviews.models import Interview
from tests.conftest import PASSWORD, make_user
from tests.e2e.interview_driver import cadi_items, fill, wait_saved
from tests.factories import vignette

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(live_server, page, cadi):
    make_user("dr_e2e", "clinician")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("dr_e2e")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Clinician", exact=True)).to_be_visible()
    return page


def _new_patient_with_taper(page, live_server) -> str:
    page.goto(f"{live_server.url}/patients/new/")
    page.get_by_label("Year of birth").fill("1975")
    page.get_by_role("button", name="Save patient").click()
    expect(page.get_by_role("heading", name="Patient ZA-")).to_be_visible()
    today = datetime.date.today()
    for kind, dose, days_ago in (("dose", "2", 120), ("reduction", "1", 20)):
        page.locator("summary", has_text="Add medication entry").click()
        page.get_by_label("Drug").select_option("lorazepam")
        page.get_by_label("Kind").select_option(kind)
        page.get_by_label("Daily dose (mg)").fill(dose)
        page.get_by_label("Date").first.fill((today - datetime.timedelta(days=days_ago)).isoformat())
        page.get_by_role("button", name="Add entry").click()
        expect(page.get_by_text("Medication entry added.")).to_be_visible()
    expect(page.locator("td", has_text="10.00")).to_be_visible()  # 1 mg lorazepam = 10 mg diazepam
    return page.url


def _start_session(page):
    page.get_by_role("button", name="Start session and interview").click()
    expect(page.locator("#interview-form")).to_be_visible()


def _finalize(page):
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("#dominant")).to_be_visible()


def test_it_runs_a_whole_session_by_keyboard_and_shows_the_formulation(live_server, signed_in, axe_check):
    page = signed_in
    assert axe_check(page) == []
    patient_url = _new_patient_with_taper(page, live_server)
    assert axe_check(page) == []
    _start_session(page)
    # Pre-filled from the taper: a reduction 20 days ago.
    expect(page.locator("input[name='med_status'][value='tapering']")).to_be_checked()
    expect(page.locator("input[name='days_since_dose_change']")).to_have_value("20")
    assert axe_check(page) == []

    case = vignette("P1-clear-craving")
    answers = {**case["answers"], "clinician_impression": "mainly_craving"}
    items = cadi_items()
    codes = list(items)
    first_half = set(codes[: codes.index("main_concern") + 1])
    fill(page, answers, items, first_half)
    wait_saved(page)
    page.reload()
    for code in first_half & set(answers):
        value = answers[code]
        if items[code].type in ("single", "scale"):
            expect(page.locator(f"input[name='{code}'][value='{value}']")).to_be_checked()
        elif items[code].type == "multi":
            for option in value:
                expect(page.locator(f"input[name='{code}'][value='{option}']")).to_be_checked()
        else:
            expect(page.locator(f"[name='{code}']")).to_have_value(str(value))
    fill(page, answers, items, set(codes) - first_half)
    _finalize(page)
    dominant = page.locator("#dominant").get_attribute("data-dominant")
    assert dominant in case["expect"]["dominant"]
    expect(page.locator("#disclaimer")).to_be_visible()
    assert axe_check(page) == []
    interview = Interview.objects.get()
    assert interview.status == "finalized" and interview.answers["automaticity"] == 4
    page.goto(patient_url)
    expect(page.locator("#timeline-chart")).to_have_attribute("data-points", "1")


def test_it_makes_the_safety_flag_impossible_to_miss_and_plots_two_sessions(live_server, signed_in):
    page = signed_in
    patient_url = _new_patient_with_taper(page, live_server)
    items = cadi_items()
    _start_session(page)
    fill(page, {**vignette("P2-clear-anxiety")["answers"], "clinician_impression": "mainly_anxiety"}, items)
    _finalize(page)
    expect(page.locator("#safety-banner")).to_have_count(0)
    page.goto(patient_url)
    _start_session(page)
    safety = {
        **vignette("P6-anxiety-with-active-suicidal-thoughts")["answers"],
        "clinician_impression": "mixed",
    }
    fill(page, safety, items)
    _finalize(page)
    expect(page.locator("#safety-banner")).to_be_visible()
    expect(page.locator("[data-flag='safety_urgent']")).to_be_visible()
    page.goto(patient_url)
    expect(page.locator("#timeline-chart")).to_have_attribute("data-points", "2")
    expect(page.locator("#timeline-count")).to_contain_text("2 finalized interviews")


def test_it_is_usable_at_tablet_width(live_server, signed_in):
    page = signed_in
    page.set_viewport_size({"width": 768, "height": 1024})
    _new_patient_with_taper(page, live_server)
    _start_session(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 768
    expect(page.locator("#finalize-button")).to_be_visible()
