"""What-if: a draft run over finalized interviews, counting changed dominants,
never touching a stored formulation."""

import copy

import pytest
from django.urls import reverse

from assessments.formulation.models import Formulation
from assessments.questionsets import services
from assessments.questionsets.models import WhatIfRun
from assessments.questionsets.whatif import whatif_request
from assessments.reports.whatif import whatif_execute


def _anxiety_heavy(definition: dict) -> dict:
    """Rules that read cue-linked onset as strong evidence for anxiety: craving
    pictures (cue-linked) stop being craving-dominant, diffuse ones do not move.
    Two rules at the largest weight allowed: cadi@2's shares keep a strong craving
    picture's margin past the cap, so one is not enough to move it."""
    result = copy.deepcopy(definition)
    for suffix in ("", "_again"):
        _add_anxiety_rule(result, suffix)
    return result


def _add_anxiety_rule(result: dict, suffix: str) -> None:
    result["rules"].append(
        {
            "id": "cue_linked_read_as_anxiety" + suffix,
            "when": "onset_pattern == 'cue_linked'",
            "direction": "anxiety",
            "weight": 20,
            "label": {
                "en": "Cue-linked onset read as anxiety",
                "pl": "Początek związany z bodźcami jako lęk",
            },
            "rationale": "A deliberately wrong rule, to see the what-if count it.",
        }
    )


@pytest.fixture
def three_interviews(finalize, clinician):
    return [finalize(name)[0] for name in ("P1-clear-craving", "P2-clear-anxiety", "P1-clear-craving")]


def _formulation_rows():
    return list(Formulation.objects.order_by("pk").values())


def test_it_counts_changed_dominants_and_leaves_formulations_untouched(
    three_interviews, draft, qs_admin, django_capture_on_commit_callbacks
):
    services.version_definition_save(
        version=draft, definition=_anxiety_heavy(draft.definition), user=qs_admin, change={}
    )
    stored = _formulation_rows()
    with django_capture_on_commit_callbacks(execute=True):
        run = whatif_request(version=draft, user=qs_admin)
    run.refresh_from_db()
    craving_records = sorted(
        i.session.patient.record_number for i in (three_interviews[0], three_interviews[2])
    )
    assert (run.status, run.total, run.processed, run.refused) == ("done", 3, 3, 0)
    assert run.changed == 2
    assert sorted(row["record_number"] for row in run.changes) == craving_records
    assert {row["before"] for row in run.changes} == {"craving"}
    assert all(row["after"] != "craving" for row in run.changes)
    assert _formulation_rows() == stored


def test_it_reports_no_change_for_an_unchanged_clone(
    three_interviews, draft, qs_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = whatif_request(version=draft, user=qs_admin)
    run.refresh_from_db()
    assert (run.status, run.total, run.changed, run.changes) == ("done", 3, 0, [])


def test_it_lists_answer_sets_the_draft_refuses_by_item_code(
    three_interviews, draft, qs_admin, django_capture_on_commit_callbacks
):
    definition = copy.deepcopy(draft.definition)
    onset = definition["sections"][1]["items"][0]
    onset["options"] = [o for o in onset["options"] if o["code"] != "diffuse"]
    definition["rules"] = [r for r in definition["rules"] if "diffuse" not in r["when"]]
    definition["test_cases"] = [
        c for c in definition["test_cases"] if c["answers"].get("onset_pattern") != "diffuse"
    ]
    services.version_definition_save(version=draft, definition=definition, user=qs_admin, change={})
    with django_capture_on_commit_callbacks(execute=True):
        run = whatif_request(version=draft, user=qs_admin)
    run.refresh_from_db()
    assert run.refused == 1 and run.refusals[0]["items"] == ["onset_pattern"]
    assert run.refusals[0]["record_number"] == three_interviews[1].session.patient.record_number


def test_it_runs_only_once_however_often_the_task_is_delivered(
    three_interviews, draft, qs_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = whatif_request(version=draft, user=qs_admin)
    assert whatif_execute(run_id=run.pk) == "skipped"
    run.refresh_from_db()
    assert run.total == 3


def test_it_fails_a_run_whose_draft_changed_before_it_started(draft, qs_admin):
    run = whatif_request(version=draft, user=qs_admin)  # not committed: the task has not run
    services.version_definition_save(
        version=draft, definition=copy.deepcopy(draft.definition), user=qs_admin, change={}
    )
    assert whatif_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "draft_changed")


def test_it_refuses_a_what_if_for_a_published_version(cadi, qs_admin):
    with pytest.raises(services.VersionError):
        whatif_request(version=cadi, user=qs_admin)


def test_it_polls_progress_until_the_run_is_done(draft, qs_admin, login):
    run = whatif_request(version=draft, user=qs_admin)
    client = login(qs_admin)
    pending = client.get(reverse("questionset-whatif-progress", args=[run.uuid]), HTTP_HX_REQUEST="true")
    assert pending.status_code == 200 and 'hx-trigger="every 1s"' in pending.content.decode()
    WhatIfRun.objects.filter(pk=run.pk).update(status="running", total=10, processed=4)
    running = client.get(reverse("questionset-whatif-progress", args=[run.uuid])).content.decode()
    assert 'value="40"' in running and "4 of 10" in running
    WhatIfRun.objects.filter(pk=run.pk).update(status="pending", total=0, processed=0)
    whatif_execute(run_id=run.pk)
    done = client.get(reverse("questionset-whatif-progress", args=[run.uuid])).content.decode()
    assert "hx-trigger" not in done and "0 of 0" in done


def test_it_shows_the_report_without_names(
    three_interviews, draft, qs_admin, login, django_capture_on_commit_callbacks
):
    patient = three_interviews[0].session.patient
    patient.display_name = "Jan Kowalski"
    patient.save()
    services.version_definition_save(
        version=draft, definition=_anxiety_heavy(draft.definition), user=qs_admin, change={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = login(qs_admin).post(reverse("questionset-whatif-start", args=[draft.uuid]))
    run = WhatIfRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("questionset-whatif", args=[run.uuid])
    page = login(qs_admin).get(response.url).content.decode()
    assert patient.record_number in page and "Kowalski" not in page
    assert "2 of 3 formulations would change" in page
