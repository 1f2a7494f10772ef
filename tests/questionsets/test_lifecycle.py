"""Versions move draft → published → retired; a published version never changes."""

import copy

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.core.models import AuditEntry
from assessments.formulation.engine import DefinitionError
from assessments.interviews.models import Interview
from assessments.questionsets import services
from assessments.questionsets.models import QuestionSetVersion
from assessments.questionsets.selectors import version_resolve
from tests.conftest import PASSWORD
from tests.questionsets.conftest import new_item, with_item

Status = QuestionSetVersion.Status


def _failing(definition: dict) -> dict:
    """The clear-craving vignette now expected to be anxiety: a test case that fails."""
    result = copy.deepcopy(definition)
    result["test_cases"][0]["expect"]["dominant"] = ["anxiety"]
    return result


def test_it_clones_a_version_into_a_numbered_draft_and_audits_it(cadi, qs_admin):
    draft = services.version_clone(version=cadi, user=qs_admin)
    number = cadi.number + 1
    assert (draft.number, draft.status, draft.based_on, draft.created_by) == (
        number,
        Status.DRAFT,
        cadi,
        qs_admin,
    )
    assert draft.definition["version"] == number
    assert {k: v for k, v in draft.definition.items() if k != "version"} == {
        k: v for k, v in cadi.definition.items() if k != "version"
    }
    entry = AuditEntry.objects.get(object_uuid=draft.uuid)
    assert entry.action == AuditEntry.Action.CREATE and entry.data["cloned_from"] == str(cadi.uuid)


def test_it_saves_a_valid_draft_edit_and_audits_the_change(draft, qs_admin):
    services.version_definition_save(
        version=draft,
        definition=with_item(draft.definition, new_item()),
        user=qs_admin,
        change={"item": "sleep_dread"},
    )
    draft.refresh_from_db()
    assert "sleep_dread" in [i["code"] for s in draft.definition["sections"] for i in s["items"]]
    assert AuditEntry.objects.filter(
        object_uuid=draft.uuid, action="update", data__item="sleep_dread"
    ).exists()


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (
            lambda d: d["rules"][0].update(when="no_such_item == 'x'"),
            "rule cue_dosing_link: unknown item or value 'no_such_item'",
        ),
        (lambda d: d["rules"][0].update(when="onset_pattern == "), "rule cue_dosing_link: does not compile"),
        (
            lambda d: d["sections"][1]["items"].append(copy.deepcopy(d["sections"][1]["items"][0])),
            "item onset_pattern: duplicate item code",
        ),
        (
            lambda d: d["sections"][1]["items"][0]["options"].pop(0),
            "rule cue_dosing_link: 'cue_linked' is not an option of onset_pattern",
        ),
        (lambda d: d.update(version=7), "version: must be 3"),  # a draft of cadi@2
        (
            lambda d: d["test_cases"][0]["expect"].update(dominant="craving"),
            "test case v2-clear-craving.expect.dominant",
        ),
    ],
    ids=[
        "unknown-code",
        "not-compiling",
        "duplicate-code",
        "option-used-by-rule",
        "wrong-number",
        "expect-string",
    ],
)
def test_it_refuses_an_invalid_edit_naming_the_problem_and_stores_nothing(draft, qs_admin, mutate, named):
    before = copy.deepcopy(draft.definition)
    changed = copy.deepcopy(draft.definition)
    mutate(changed)
    with pytest.raises(DefinitionError) as refused:
        services.version_definition_save(version=draft, definition=changed, user=qs_admin, change={})
    assert any(named in error for error in refused.value.errors), refused.value.errors
    draft.refresh_from_db()
    assert draft.definition == before
    assert not AuditEntry.objects.filter(object_uuid=draft.uuid, action="update").exists()


def test_it_publishes_a_passing_draft_and_retires_the_previous_version(cadi, draft, qs_admin):
    services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    cadi.refresh_from_db()
    draft.refresh_from_db()
    assert cadi.status == Status.RETIRED and cadi.retired_at is not None
    assert draft.status == Status.PUBLISHED and draft.published_by == qs_admin
    assert version_resolve("cadi") == draft
    assert version_resolve(cadi.ref) == cadi  # stored formulations stay reproducible
    entry = AuditEntry.objects.get(object_uuid=draft.uuid, data__change="published")
    assert entry.data["retired"] == [str(cadi.uuid)]


def test_it_refuses_to_publish_while_a_test_case_fails_listing_it(cadi, draft, qs_admin):
    services.version_definition_save(
        version=draft, definition=_failing(draft.definition), user=qs_admin, change={}
    )
    with pytest.raises(services.PublishRefused) as refused:
        services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    assert refused.value.errors == ["v2-clear-craving: dominant craving, expected ['anxiety']"]
    draft.refresh_from_db()
    cadi.refresh_from_db()
    assert (draft.status, cadi.status) == (Status.DRAFT, Status.PUBLISHED)


def test_it_refuses_to_publish_without_test_cases(draft, qs_admin):
    services.version_definition_save(
        version=draft, definition={**draft.definition, "test_cases": []}, user=qs_admin, change={}
    )
    with pytest.raises(services.PublishRefused, match="at least one test case"):
        services.version_publish(version=draft, user=qs_admin, password=PASSWORD)


def test_it_refuses_to_publish_an_invalid_definition_that_reached_the_table(draft, qs_admin):
    # A row written around the services (a shell, an old bug): the gate checks again.
    broken = copy.deepcopy(draft.definition)
    broken["rules"][0]["when"] = "nonsense ==="
    QuestionSetVersion.objects.filter(pk=draft.pk).update(definition=broken)
    with pytest.raises(DefinitionError, match="cue_dosing_link"):
        services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_refuses_any_service_change_of_a_published_version(cadi, qs_admin):
    with pytest.raises(services.VersionError):
        services.version_definition_save(version=cadi, definition=cadi.definition, user=qs_admin, change={})
    with pytest.raises(services.VersionError):
        services.version_publish(version=cadi, user=qs_admin, password=PASSWORD)
    with pytest.raises(services.VersionError):
        services.version_delete(version=cadi, user=qs_admin)


@pytest.mark.parametrize(
    "change",
    [
        lambda v: QuestionSetVersion.objects.filter(pk=v.pk).update(
            definition={**v.definition, "title": {"en": "x", "pl": "y"}}
        ),
        lambda v: QuestionSetVersion.objects.filter(pk=v.pk).update(number=99),
        lambda v: QuestionSetVersion.objects.filter(pk=v.pk).update(status="draft"),
        lambda v: QuestionSetVersion.objects.filter(pk=v.pk).delete(),
        lambda v: (v.definition["sections"][0]["items"][0].update(core=True), v.save()),
    ],
    ids=["update-definition", "update-number", "back-to-draft", "delete", "save"],
)
def test_it_has_the_database_refuse_changing_a_published_version(cadi, change):
    with pytest.raises(IntegrityError, match="questionsets_version_frozen"), transaction.atomic():
        change(cadi)
    fresh = QuestionSetVersion.objects.get(pk=cadi.pk)
    assert fresh.definition == services.definition_read() and fresh.status == Status.PUBLISHED


def test_it_has_the_database_refuse_changing_a_retired_version(cadi, draft, qs_admin):
    services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionSetVersion.objects.filter(pk=cadi.pk).update(definition={})


def test_it_lets_the_database_save_a_published_row_whose_frozen_fields_are_unchanged(cadi):
    # The lifecycle itself (status, dates) still moves; only the content is frozen.
    cadi.save()
    cadi.refresh_from_db()
    assert cadi.status == Status.PUBLISHED


def test_it_lets_a_draft_change_and_be_deleted(draft, qs_admin):
    QuestionSetVersion.objects.filter(pk=draft.pk).update(number=50)
    services.version_delete(version=draft, user=qs_admin)
    assert not QuestionSetVersion.objects.filter(pk=draft.pk).exists()


def test_it_keeps_interviews_on_their_version_after_a_new_one_is_published(
    cadi, draft, qs_admin, finalize, clinician
):
    before, formulation = finalize()
    services.version_definition_save(
        version=draft, definition=with_item(draft.definition, new_item()), user=qs_admin, change={}
    )
    services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    from tests.factories import draft_interview, patient_for

    after = draft_interview(patient_for(clinician), clinician)
    before.refresh_from_db()
    assert before.question_set_version == cadi and formulation.question_set_version == cadi
    assert after.question_set_version == draft
    assert Interview.objects.filter(question_set_version=cadi).count() == 1


def test_it_refuses_to_retire_the_default_set_without_a_successor(cadi, qs_admin):
    with pytest.raises(services.VersionError):
        services.version_retire(version=cadi, user=qs_admin, password=PASSWORD)


def test_it_offers_the_django_admin_read_only(cadi, django_user_model, client):
    number = cadi.number
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    url = reverse("admin:questionsets_questionsetversion_change", args=[cadi.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"number": 5, "status": "draft", "definition": "{}"})
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:questionsets_questionsetversion_delete", args=[cadi.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    cadi.refresh_from_db()
    assert cadi.number == number and cadi.status == Status.PUBLISHED
