"""Issue 14: clinician screens that cannot mislead, each item driven in Chromium."""

import copy
import datetime
import re
import time

import pytest
from playwright.sync_api import expect

from assessments.core.models import AuditEntry
from assessments.interviews.models import Interview
from assessments.patients.models import MedicationEntry, Patient
from assessments.questionsets.services import version_clone, version_definition_save, version_publish
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import AXE, log_in
from tests.e2e.interview_driver import cadi_items, fill, wait_saved
from tests.factories import draft_interview, finalized_interview, patient_for, taper, vignette

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()


def _switch_language(page, language: str):
    page.locator("#language-select").select_option(language)
    page.locator("#language-select").locator("xpath=..").get_by_role("button").click()
    page.wait_for_load_state()


def _login(page, live_server, username: str, language: str = "en"):
    page.goto(f"{live_server.url}/accounts/login/")
    if language != "en":
        _switch_language(page, language)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r".*/(?!accounts/login).*"))
    return page


@pytest.fixture
def clinician(live_server, cadi):
    return make_user("dr_screens", "clinician")


@pytest.fixture
def patient(clinician):
    patient = patient_for(clinician, display_name="Anna Kowalska", year_of_birth=1970)
    taper(patient, clinician, today=TODAY)  # lorazepam 2 mg 90 days ago, 1 mg 10 days ago
    return patient


def _finalized(patient, clinician, name: str, **extra):
    answers = {**vignette(name)["answers"], **extra}
    answers.setdefault("clinician_impression", "unclear")
    return finalized_interview(patient, clinician, answers, PASSWORD)


def _axe_all(page) -> list:
    """Every axe-core violation, whatever its impact."""
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


@pytest.fixture
def required_cadi(cadi, clinician):
    """cadi with the safety items and the impression marked required, published (as
    cadi@2 does; spec 6.1), so the test does not depend on which version is shipped."""
    admin = make_user("qs_admin_screens", "questionset_admin")
    draft = version_clone(version=cadi, user=admin)
    definition = copy.deepcopy(draft.definition)
    # Exactly these three, whatever the shipped version marks (cadi@2 also requires the
    # severe-withdrawal screen).
    for section in definition["sections"]:
        for item in section["items"]:
            item["required"] = item["code"] in (
                "suicidal_thoughts",
                "other_sedative_use",
                "clinician_impression",
            )
    version_definition_save(version=draft, definition=definition, user=admin, change={"test": "required"})
    return version_publish(version=draft, user=admin, password=PASSWORD)


# --- Item 1 -------------------------------------------------------------------------
def test_it_refuses_to_finalize_without_required_items_and_confirms_an_incomplete_one(
    live_server, page, clinician, patient, required_cadi
):
    interview = draft_interview(patient, clinician)
    assert interview.question_set_version == required_cadi
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/interviews/{interview.uuid}/")
    for code in ("suicidal_thoughts", "other_sedative_use", "clinician_impression"):
        expect(page.locator(f"input[name='{code}']").first).to_have_attribute("aria-required", "true")
        expect(page.locator(f"#item-{code} legend")).to_contain_text("(required)")
    expect(page.locator("input[name='automaticity']").first).not_to_have_attribute("aria-required", "true")
    page.locator("input[name='automaticity'][value='3']").check()
    wait_saved(page)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#finalize-button").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()  # errors.js runs after it shows
    for code in ("suicidal_thoughts", "other_sedative_use", "clinician_impression"):
        expect(summary.locator(f"a[href='#item-{code}']")).to_be_visible()
    expect(page.locator("#save-status")).not_to_contain_text("saved")
    summary.locator("a[href='#item-suicidal_thoughts']").click()
    assert page.evaluate("() => document.activeElement.name") == "suicidal_thoughts"
    interview.refresh_from_db()
    assert interview.status == "draft"

    # Required items answered, but under half of the core items: an explicit choice.
    page.locator("input[name='suicidal_thoughts'][value='none']").check()
    page.locator("input[name='other_sedative_use'][value='none']").check()
    page.locator("input[name='clinician_impression'][value='unclear']").check()
    wait_saved(page)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#finalize-button").click()
    expect(page.locator("#error-summary a[href='#id_finalize_incomplete']")).to_be_visible()
    interview.refresh_from_db()
    assert interview.status == "draft"
    page.locator("#id_finalize_incomplete").check()
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#finalize-button").click()
    expect(page.locator("#incomplete-banner")).to_be_visible()
    expect(page.locator("#confidence")).to_have_attribute("data-confidence", "low")


# --- Item 2 -------------------------------------------------------------------------
def test_it_shows_failed_actions_in_one_error_summary_at_the_top(live_server, page, clinician, patient):
    interview = draft_interview(patient, clinician)
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/interviews/{interview.uuid}/")
    page.locator("input[name='clinician_impression'][value='mixed']").check()
    wait_saved(page)
    page.locator("#id_password").fill("not-my-password")
    page.locator("#finalize-button").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()  # errors.js runs after it shows
    assert summary.bounding_box()["y"] < 400, "the summary is at the top, not 6,500 px below"
    expect(page.locator("#save-status")).not_to_contain_text("saved")
    summary.locator("a[href='#id_password']").click()
    assert _focused_id(page) == "id_password"

    # The same pattern on the patient page: a refused medication entry.
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    page.locator("summary", has_text="Add medication entry").click()
    page.locator("#id_daily_dose_mg").fill("-5")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator("#error-summary a[href='#id_daily_dose_mg']")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()  # errors.js runs after it shows
    page.locator("#error-summary a[href='#id_daily_dose_mg']").click()
    assert _focused_id(page) == "id_daily_dose_mg"


# --- Item 3 -------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "pl"])
def test_it_shows_no_mix_when_insufficient_and_names_missing_items_by_question(
    live_server, page, clinician, patient, language
):
    interview, formulation = _finalized(patient, clinician, "P4-insufficient")
    assert formulation.dominant == "insufficient"
    _login(page, live_server, clinician.username, language)
    page.goto(f"{live_server.url}/formulations/{formulation.uuid}/")
    expect(page.locator("#dominant")).to_have_attribute("data-dominant", "insufficient")
    expect(page.locator(".mix-bar")).to_have_count(0)
    expect(page.locator("#strengths")).to_have_count(0)
    assert not re.search(r"\b\d{1,3}\s?%", page.locator("#mix-heading").locator("xpath=..").inner_text())
    items = cadi_items()
    links = page.locator("#missing-items a")
    assert links.count() == len(formulation.result["missing"]) > 0
    for index, code in enumerate(formulation.result["missing"]):
        expect(links.nth(index)).to_have_text(items[code].text[language])
        expect(links.nth(index)).to_have_attribute("href", re.compile(f"#item-{code}$"))
    links.first.click()
    first = formulation.result["missing"][0]
    expect(page.locator(f"#item-{first}")).to_be_visible()


# --- Item 4 -------------------------------------------------------------------------
def test_it_explains_the_formulation_once_with_taper_words_and_review(
    live_server, page, clinician, patient, screenshot_dir
):
    from assessments.reviews.services import review_return

    supervisor = make_user("sup_screens", "supervisor")
    from assessments.accounts.services import supervision_add

    supervision_add(supervisor=supervisor, clinician=clinician)
    interview, formulation = _finalized(patient, clinician, "P7-craving-high-relapse-risk")
    review_return(
        review=formulation.review, user=supervisor, impression="mixed", comment="Check the access to tablets."
    )
    _login(page, live_server, clinician.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/formulations/{formulation.uuid}/")
    flags = page.locator("#flags > li")
    assert flags.count() == len(formulation.result["flags"]) > 0
    for index in range(flags.count()):
        flag = flags.nth(index)
        label = flag.locator(".flag-label").inner_text()
        assert flag.inner_text().count(label) == 1, flag.inner_text()
        items = flag.locator(".flag-evidence [data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
        assert len(items) == len(set(items))
    contributions = page.locator("[data-rule] td.text-end").all_inner_texts()
    assert contributions and all(float(c) != 0 for c in contributions)
    assert re.search(r"\b[0-4] · \w", page.locator("#rules-heading").locator("xpath=..").inner_text())
    expect(page.locator("#mix-explained")).to_be_visible()
    expect(page.locator("#strengths")).to_contain_text("Strength of the evidence")
    taper_box = page.locator("#taper-context")
    expect(taper_box).to_contain_text("Lorazepam")
    expect(taper_box).to_contain_text("10.00 mg")
    expect(page.locator("#review-status")).to_have_attribute("data-status", "returned")
    expect(page.locator("#review-status")).to_contain_text("sup_screens")
    expect(page.locator("#review-comment")).to_have_text("Check the access to tablets.")
    page.screenshot(path=str(screenshot_dir / "formulation-1366.png"), full_page=True)
    for width in (375, 820, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('#mix-legend li, .mix-bar .progress-bar')].filter(el => {
                 const r = el.getBoundingClientRect();
                 return el.scrollWidth > el.clientWidth + 1 || r.right > window.innerWidth || r.left < 0;
               }).map(el => el.textContent)"""
        )
        assert clipped == [], (width, clipped)
        assert page.locator(".mix-bar .progress-bar").all_inner_texts() == ["", ""]
    page.set_viewport_size({"width": 375, "height": 800})
    page.locator("#mix-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "formulation-375.png"))


def test_it_shows_the_patients_own_words_on_the_formulation(live_server, page, clinician, patient, cadi):
    """cadi@2's `patient_words` item (spec 6.1), where the version has it."""
    from assessments.formulation.services import compiled_for

    if "patient_words" not in compiled_for(cadi).definition.items:
        pytest.skip("the shipped question set has no patient_words item yet (cadi@2, issue 13)")
    _interview, formulation = _finalized(
        patient, clinician, "P1-clear-craving", patient_words="It <b>calls</b> me"
    )
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/formulations/{formulation.uuid}/")
    expect(page.locator("#patient-words")).to_have_text("It <b>calls</b> me")


# --- Item 5 -------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "pl"])
def test_it_makes_a_two_page_report_without_split_rows(
    live_server, page, clinician, patient, language, screenshot_dir
):
    import io

    import pypdfium2
    from pypdf import PdfReader

    from assessments.reviews.services import review_endorse

    supervisor = make_user("sup_pdf", "supervisor")
    from assessments.accounts.services import supervision_add

    supervision_add(supervisor=supervisor, clinician=clinician)
    _interview, formulation = _finalized(patient, clinician, "P7-craving-high-relapse-risk")
    review_endorse(review=formulation.review, user=supervisor, password=PASSWORD, impression="mixed")
    _login(page, live_server, clinician.username, language)
    page.goto(f"{live_server.url}/formulations/{formulation.uuid}/")
    page.locator("#report-heading").locator("xpath=..").get_by_role("button").click()
    link = page.locator("a[href*='/download/']")
    expect(link).to_be_visible(timeout=30000)
    with page.expect_download() as info:
        link.click()
    data = open(info.value.path(), "rb").read()
    pdf = pypdfium2.PdfDocument(data)
    for number in range(len(pdf)):
        image = pdf[number].render(scale=1.5).to_pil()
        image.save(screenshot_dir / f"report-page{number + 1}-{language}.png")
        # Each rendered page is a page of text, not blank.
        assert image.convert("L").getextrema()[0] < 100
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 2, len(reader.pages)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = " ".join(pages)
    words = {
        "en": ("Taper context", "Lorazepam", "Diazepam equivalent", "endorsed and signed by sup_pdf"),
        "pl": (
            "Kontekst redukcji dawki",
            "Lorazepam",
            "Równoważnik diazepamu",
            "zatwierdzenie i podpis: sup_pdf",
        ),
    }[language]
    for word in words:
        assert word in text, word
    # A row is never split: each rule's label and its contribution are on one page.
    result = formulation.localized_result(language)
    for rule in result["rules"]:
        if rule["direction"] == "flag" or not rule["contribution"]:
            continue
        label = " ".join(rule["label"].split())
        on = [i for i, p in enumerate(pages) if label in p]
        assert len(on) == 1, (label, on)


# --- Item 6 -------------------------------------------------------------------------
def test_it_finds_patients_and_restricts_only_after_confirmation(live_server, page, clinician, patient):
    other = patient_for(clinician, display_name="Jan Nowak")
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/patients/")
    expect(page.locator("td", has_text="Anna Kowalska")).to_be_visible()
    page.locator("#patient-query").fill("kowal")
    page.locator("#patient-query").press("Enter")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(patient.record_number)
    page.locator("#patient-query").fill(other.record_number)
    page.locator("#patient-query").press("Enter")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Jan Nowak")
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    expect(page.locator("#display-name")).to_have_text("Anna Kowalska")

    page.get_by_role("button", name="Restrict processing").click()
    expect(page.locator("#confirm-restrict")).to_be_visible()
    patient.refresh_from_db()
    assert not patient.processing_restricted, "one click no longer restricts"
    page.locator("#confirm-restrict").click()
    expect(page.locator("#restricted-banner")).to_be_visible()
    page.goto(f"{live_server.url}/patients/")
    expect(page.locator("tbody")).not_to_contain_text(patient.record_number)
    page.get_by_role("link", name="Restricted").click()
    expect(page.locator("tbody")).to_contain_text(patient.record_number)
    page.get_by_role("link", name=patient.record_number).click()
    page.get_by_role("button", name="Lift processing restriction").click()
    expect(page.locator("#restricted-banner")).to_have_count(0)
    changes = AuditEntry.objects.filter(object_uuid=patient.uuid, action="update").values_list(
        "data", flat=True
    )
    assert {"processing_restricted": True} in list(changes) and {"processing_restricted": False} in list(
        changes
    )


# --- Item 7 -------------------------------------------------------------------------
def test_it_corrects_a_medication_entry_and_refuses_future_sessions(live_server, page, clinician, patient):
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    original = MedicationEntry.objects.get(patient=patient, kind="reduction")
    page.locator(f"tr[data-entry='{original.uuid}']").get_by_role("link", name="Correct").click()
    page.locator("#id_daily_dose_mg").fill("1.5")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator("#error-summary a[href='#id_reason']")).to_be_visible()
    page.locator("#id_daily_dose_mg").fill("1.5")
    page.locator("#id_reason").fill("Typed 1 mg; the prescription says 1.5 mg.")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(f"tr[data-entry='{original.uuid}']")).to_have_class(
        re.compile("medication-superseded")
    )
    correction = MedicationEntry.objects.get(supersedes=original)
    expect(page.locator(f"tr[data-entry='{correction.uuid}']")).to_contain_text("15.00")
    original.refresh_from_db()
    assert original.daily_dose_mg == 1 and correction.correction_reason.startswith("Typed")
    assert AuditEntry.objects.filter(object_uuid=correction.uuid, data__corrects=str(original.uuid)).exists()

    page.locator("#id_session_date").fill((TODAY + datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Start session and interview").click()
    expect(page.locator("#error-summary")).to_contain_text("cannot be in the future")
    assert not Interview.objects.filter(session__patient=patient).exists()

    # Dates in inputs are ISO whatever the language.
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    _switch_language(page, "pl")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    assert page.locator("#id_date").input_value() == TODAY.isoformat()
    assert page.locator("#id_session_date").input_value() == TODAY.isoformat()


# --- Issue 13, item 3 (spec 6.5): prefilled answers shown as prefilled ---------------
def test_it_marks_answers_prefilled_from_the_medication_record_until_changed(
    live_server, page, clinician, patient, axe_check
):
    log_in(page, live_server.url, clinician.username)
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    page.get_by_role("button", name="Start session and interview").click()
    days = page.locator("#id_days_since_dose_change")
    expect(days).to_have_value("10")
    reduced = (TODAY - datetime.timedelta(days=10)).isoformat()
    note = f"Prefilled from the medication record (Lorazepam, reduced on {reduced})"
    expect(page.locator("#note-days_since_dose_change")).to_be_visible()
    expect(page.locator("#note-days_since_dose_change")).to_contain_text(note)
    # What a screen reader announces with the field: the note, then the help text.
    expect(days).to_have_accessible_description(re.compile(re.escape(note)))
    med_status = page.locator("#div_id_med_status fieldset")
    expect(med_status).to_have_accessible_description(re.compile(re.escape(note)))
    assert axe_check(page) == []

    days.fill("14")  # editable like any answer; the note goes once the change is saved
    days.press("Tab")
    wait_saved(page)
    page.reload()
    expect(days).to_have_value("14")
    expect(page.locator("#note-days_since_dose_change")).to_have_count(0)
    expect(days).not_to_have_accessible_description(re.compile("Prefilled"))
    expect(med_status).to_have_accessible_description(re.compile(re.escape(note)))


# --- Item 8 -------------------------------------------------------------------------
def test_it_plots_the_taper_as_steps_with_sessions_and_a_table(
    live_server, page, clinician, patient, screenshot_dir
):
    _finalized(patient, clinician, "P1-clear-craving")
    _finalized(patient, clinician, "P4-insufficient")
    _login(page, live_server, clinician.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    expect(page.locator("#timeline-chart")).to_have_attribute("data-points", "2")
    chart = page.evaluate(
        """() => { const c = window.zeusTimeline; return {
             datasets: c.data.datasets.map(d => ({label: d.label, axis: d.yAxisID, stepped: d.stepped,
               data: d.data.map(p => p === null ? null : (typeof p === 'object' ? {x: p.x, y: p.y} : p))})),
             dose: {min: c.scales.dose.min, max: c.scales.dose.max},
             x: {min: c.scales.x.min, max: c.scales.x.max}}; }"""
    )
    dose = next(d for d in chart["datasets"] if d["axis"] == "dose")
    assert dose["stepped"]
    assert [p["y"] for p in dose["data"]] == [20, 10, 10]
    start = datetime.date.fromisoformat("1970-01-01") + datetime.timedelta(days=chart["x"]["min"])
    assert start <= TODAY - datetime.timedelta(days=90), "the dose line covers the whole period"
    assert chart["dose"]["min"] == 0 and 20 < chart["dose"]["max"] <= 40
    craving = next(d for d in chart["datasets"] if d["axis"] == "share" and "Craving" in d["label"])
    assert len(craving["data"]) == 1, "an insufficient formulation is not plotted as a share"
    rows = page.locator("#timeline-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Insufficient")
    page.locator("#timeline-heading").scroll_into_view_if_needed()
    page.locator("#timeline-heading").locator("xpath=..").screenshot(
        path=str(screenshot_dir / "timeline.png")
    )


# --- Item 9 -------------------------------------------------------------------------
def test_it_counts_note_length_and_refuses_too_long_or_control_text_keeping_the_saved_note(
    live_server, page, clinician, patient
):
    interview = draft_interview(patient, clinician)
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/interviews/{interview.uuid}/")
    notes = page.locator("textarea[name='clinician_notes']")
    assert notes.get_attribute("maxlength") is None, "the browser must not cut text silently"
    notes.fill("First note.")
    expect(page.locator("#count-clinician_notes")).to_have_text("11 of 5000 characters")
    notes.press("Tab")
    wait_saved(page)
    notes.fill("x" * 10_000)
    expect(page.locator("#count-clinician_notes")).to_have_text("10000 of 5000 characters")
    notes.press("Tab")
    expect(page.locator("#save-status [data-state='invalid']")).to_be_visible()
    expect(page.locator("#err-clinician_notes")).to_contain_text("Notes")
    expect(page.locator("#err-clinician_notes")).to_contain_text("5000")
    interview.refresh_from_db()
    assert interview.answers.get("clinician_notes") == "First note."
    notes.fill("Bell\x07 here")
    notes.press("Tab")
    expect(page.locator("#err-clinician_notes")).to_contain_text("control characters")
    interview.refresh_from_db()
    assert interview.answers.get("clinician_notes") == "First note."


def test_none_and_the_other_options_of_a_checkbox_group_exclude_each_other(
    live_server, page, clinician, patient
):
    """cadi@2's multi items carry a real "none" option: ticking it with a sign was
    refused by the whole autosave ("Not saved") until the clinician found the clash."""
    interview = draft_interview(patient, clinician)
    _login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/interviews/{interview.uuid}/")

    def box(value):
        return page.locator(f"input[name='withdrawal_signs'][value='{value}']")

    box("tremor").check()
    box("tinnitus").check()
    wait_saved(page)
    box("none").check()
    expect(box("tremor")).not_to_be_checked()
    expect(box("tinnitus")).not_to_be_checked()
    wait_saved(page)
    interview.refresh_from_db()
    assert interview.answers["withdrawal_signs"] == ["none"]
    box("sweating").check()
    expect(box("none")).not_to_be_checked()
    wait_saved(page)
    interview.refresh_from_db()
    assert interview.answers["withdrawal_signs"] == ["sweating"]


# --- Item 10 ------------------------------------------------------------------------
def test_it_names_the_differing_items_and_reapplies_this_tabs_answers(
    live_server, page, context, clinician, patient
):
    interview = draft_interview(patient, clinician)
    _login(page, live_server, clinician.username)
    url = f"{live_server.url}/interviews/{interview.uuid}/"
    page.goto(url)
    other = context.new_page()
    other.goto(url)
    other.locator("input[name='automaticity'][value='4']").check()
    wait_saved(other)
    page.locator("input[name='idealization'][value='2']").check()
    status = page.locator("#save-status")
    expect(status.locator("[data-state='conflict']")).to_be_visible()
    expect(status.locator("#conflict-items")).to_contain_text(cadi_items()["automaticity"].text["en"])
    interview.refresh_from_db()
    assert "idealization" not in interview.answers
    status.get_by_role("button", name="Reload and re-apply this tab's answers").click()
    page.wait_for_load_state()
    wait_saved(page)
    interview.refresh_from_db()
    assert interview.answers.get("automaticity") == 4, "the other tab's answer stays"
    assert interview.answers.get("idealization") == 2, "this tab's answer was re-applied"
    expect(page.locator("input[name='idealization'][value='2']")).to_be_checked()


# --- Item 11 and the keyboard timing ----------------------------------------------
def test_every_clinician_page_passes_axe_with_unique_ids(live_server, page, clinician, patient):
    _interview, formulation = _finalized(patient, clinician, "P7-craving-high-relapse-risk")
    draft = draft_interview(patient, clinician)
    pages = [
        "/patients/",
        "/patients/new/",
        f"/patients/{patient.uuid}/",
        f"/interviews/{draft.uuid}/",
        f"/interviews/{formulation.interview.uuid}/",
        f"/formulations/{formulation.uuid}/",
    ]
    problems = []
    _login(page, live_server, clinician.username)
    for language in ("en", "pl"):
        if language != "en":
            _switch_language(page, language)
        for width in (820, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            for path in pages:
                page.goto(live_server.url + path)
                duplicates = page.evaluate(
                    "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
                    " return ids.filter((id, i) => ids.indexOf(id) !== i); }"
                )
                assert page.locator("html").get_attribute("lang") == language
                violations = _axe_all(page)
                if duplicates or violations:
                    problems.append((language, width, path, duplicates, violations))
    assert problems == []
    page.goto(f"{live_server.url}/patients/{patient.uuid}/")
    page.locator("label[for='id_session_date']").click()
    assert _focused_id(page) == "id_session_date"


def test_it_times_a_realistic_interview_by_keyboard(live_server, page, clinician, patient, run_notes):
    interview = draft_interview(patient, clinician)
    _login(page, live_server, clinician.username)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/interviews/{interview.uuid}/")
    answers = {
        **vignette("P7-craving-high-relapse-risk")["answers"],
        "clinician_impression": "mainly_craving",
    }
    answers["clinician_notes"] = "Pull strongest in the evening; agreed to keep a diary."
    started = time.monotonic()
    fill(page, answers, cadi_items())
    page.locator("#id_password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#dominant")).to_be_visible()
    elapsed = time.monotonic() - started
    run_notes.append(
        f"Keyboard-only interview ({len(answers)} answers, P7 vignette, Tab/Space/arrows): "
        f"{elapsed:.1f} s of browser time from the first answer to the formulation page"
    )
    assert Interview.objects.get(pk=interview.pk).status == "finalized"
    assert Patient.objects.get(pk=patient.pk)
