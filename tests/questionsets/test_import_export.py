"""Import refuses every malformed file and creates nothing; exports round-trip and
FHIR exports validate with fhir.resources."""

import copy
import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from assessments.core.models import AuditEntry
from assessments.formulation.engine import DefinitionError
from assessments.questionsets import fhir, services
from assessments.questionsets.models import QuestionSet, QuestionSetVersion


def _cadi() -> dict:
    return services.definition_read()


def _mutated(mutate) -> bytes:
    definition = _cadi()
    mutate(definition)
    return json.dumps(definition).encode()


def _drop_item_code(d):
    del d["sections"][2]["items"][0]["code"]


MALFORMED = {
    "not-json": (b'{"slug": "cadi",', "file: not valid JSON"),
    "not-utf8": ("{}".encode("utf-16"), "file: not UTF-8"),
    "top-level-list": (b"[1, 2]", "the top level must be a JSON object, not list"),
    "top-level-string": (b'"cadi"', "not str"),
    "empty-object": (b"{}", "languages: must list"),
    "missing-item-code": (_mutated(_drop_item_code), "code None must be lower-case"),
    "bad-expression": (
        _mutated(lambda d: d["rules"][0].update(when="automaticity >=")),
        "rule cue_dosing_link: does not compile",
    ),
    "unknown-code-in-rule": (
        _mutated(lambda d: d["rules"][0].update(when="ghost == 'x'")),
        "unknown item or value 'ghost'",
    ),
    "unknown-language": (
        _mutated(lambda d: d.update(languages=["en", "de"])),
        "languages: must list distinct known languages",
    ),
    "text-in-unknown-language": (
        _mutated(lambda d: d["sections"][0]["items"][0]["text"].update(de="Status")),
        "item med_status.text: must give a text for exactly these languages",
    ),
    "wrong-item-type": (
        _mutated(lambda d: d["sections"][0]["items"][0].update(type="slider")),
        "unknown type 'slider'",
    ),
    "weight-as-string": (
        _mutated(lambda d: d["sections"][1]["items"][0]["options"][0].update(craving="3")),
        "option cue_linked.craving: must be a number",
    ),
    "sections-not-list": (_mutated(lambda d: d.update(sections={})), "sections: must be a non-empty list"),
    "falling-scale-weights": (
        _mutated(lambda d: d["sections"][2]["items"][2]["weights"].update(craving=[0, 3, 2, 1, 0])),
        "never fall",
    ),
    "unknown-key": (_mutated(lambda d: d.update(colour="blue")), "unknown key 'colour'"),
    "duplicate-item": (
        _mutated(lambda d: d["sections"][1]["items"].append(copy.deepcopy(d["sections"][1]["items"][0]))),
        "item onset_pattern: duplicate item code",
    ),
    "test-case-bad-answer": (
        _mutated(lambda d: d["test_cases"][0]["answers"].update(automaticity=9)),
        "test case v2-clear-craving: automaticity",
    ),
    "test-case-unknown-flag": (
        _mutated(lambda d: d["test_cases"][0]["expect"].update(flags_include=["sunburn"])),
        "flags_include: must list flags of the contract",
    ),
    "duplicate-test-case": (
        _mutated(lambda d: d["test_cases"].append(copy.deepcopy(d["test_cases"][0]))),
        "duplicate test case id",
    ),
    "unknown-flag-in-rule": (
        _mutated(lambda d: d["rules"][1].update(flag="sunburn")),
        "raises 'sunburn', which is not a flag",
    ),
    "version-not-number": (_mutated(lambda d: d.update(version="two")), "version: must be a whole number"),
}


@pytest.mark.parametrize(("raw", "named"), MALFORMED.values(), ids=MALFORMED.keys())
def test_it_refuses_a_malformed_import_naming_the_problem_and_creates_nothing(cadi, qs_admin, raw, named):
    counts = (QuestionSet.objects.count(), QuestionSetVersion.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DefinitionError) as refused:
        services.version_import(raw=raw, user=qs_admin)
    assert any(named in error for error in refused.value.errors), refused.value.errors
    assert (
        QuestionSet.objects.count(),
        QuestionSetVersion.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_it_refuses_a_malformed_upload_with_the_message_on_the_page(cadi, qs_admin, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.json", MALFORMED["bad-expression"][0], content_type="application/json")
    response = login(qs_admin).post(reverse("questionset-import"), {"file": upload})
    assert response.status_code == 400
    assert "rule cue_dosing_link: does not compile" in response.content.decode()
    assert QuestionSetVersion.objects.count() == 2  # cadi@1 (retired) and cadi@2, nothing new


def test_it_imports_a_file_as_the_next_draft_of_its_set(cadi, qs_admin):
    draft = services.version_import(raw=json.dumps(_cadi()).encode(), user=qs_admin)
    assert (draft.question_set, draft.number, draft.status, draft.definition["version"]) == (
        cadi.question_set,
        cadi.number + 1,
        "draft",
        cadi.number + 1,
    )
    assert AuditEntry.objects.filter(object_uuid=draft.uuid, action="create", data__imported=True).exists()


def test_it_imports_a_new_set_under_its_own_slug(cadi, qs_admin):
    definition = {**_cadi(), "slug": "cadi_short", "title": {"en": "Short CADI", "pl": "Krótki CADI"}}
    draft = services.version_import(raw=json.dumps(definition).encode(), user=qs_admin)
    assert (draft.question_set.slug, draft.question_set.title, draft.number) == (
        "cadi_short",
        "Short CADI",
        1,
    )


def test_it_exports_json_that_imports_back_unchanged(cadi, qs_admin, login):
    response = login(qs_admin).get(reverse("questionset-export", args=[cadi.uuid]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('cadi-2.json"')
    assert json.loads(response.content) == cadi.definition
    draft = services.version_import(raw=response.content, user=qs_admin)
    assert {**draft.definition, "version": cadi.number} == cadi.definition
    assert AuditEntry.objects.filter(object_uuid=cadi.uuid, action="export").exists()


def test_it_exports_a_version_as_a_valid_fhir_questionnaire(cadi, qs_admin, login):
    resource = fhir.questionnaire_resource(cadi)
    questionnaire = Questionnaire(**resource)
    assert questionnaire.status == "active" and questionnaire.version == "2"
    groups = {group.linkId: group for group in questionnaire.item}
    assert list(groups) == [s["code"] for s in cadi.definition["sections"]]
    onset = next(i for i in groups["timing"].item if i.linkId == "onset_pattern")
    assert onset.type == "choice" and [o.valueCoding.code for o in onset.answerOption][:2] == [
        "cue_linked",
        "diffuse",
    ]
    days = next(i for i in groups["context"].item if i.linkId == "days_since_dose_change")
    assert days.type == "integer" and days.enableWhen[0].question == "med_status"
    # Polish rides on the translation extension.
    translation = onset.text__ext.extension[0]
    assert translation.url == fhir.TRANSLATION and translation.extension[1].valueString.startswith("Kiedy")
    response = login(qs_admin).get(reverse("questionset-fhir", args=[cadi.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    Questionnaire.model_validate_json(response.content)


@pytest.fixture
def finalized(finalize):
    return finalize()[0]


def test_it_exports_a_finalized_interview_as_a_valid_questionnaire_response(finalized, clinician, login):
    response = login(clinician).get(reverse("interview-fhir", args=[finalized.uuid]))
    assert response.status_code == 200
    resource = QuestionnaireResponse.model_validate_json(response.content)
    assert resource.status == "completed" and resource.questionnaire == "urn:zeus-assess:questionnaire:cadi|2"
    assert resource.subject.identifier.value == finalized.session.patient.record_number
    answers = {item.linkId: item.answer for group in resource.item for item in group.item}
    assert answers["onset_pattern"][0].valueCoding.code == "cue_linked"
    assert [a.valueCoding.code for a in answers["cue_contexts"]] == finalized.answers["cue_contexts"]
    assert answers["automaticity"][0].valueCoding.code == "4"
    assert answers["days_since_dose_change"][0].valueInteger == finalized.answers["days_since_dose_change"]
    entry = AuditEntry.objects.get(action="export", object_uuid=finalized.uuid)
    assert entry.patient_uuid == finalized.session.patient.uuid and entry.user == clinician


def test_it_names_no_patient_in_the_questionnaire_response(finalized):
    finalized.session.patient.display_name = "Jan Kowalski"
    finalized.session.patient.save()
    assert "Kowalski" not in json.dumps(fhir.questionnaire_response_resource(finalized))


def test_it_gives_the_questionnaire_response_to_the_supervisor(finalized, supervisor, login):
    assert login(supervisor).get(reverse("interview-fhir", args=[finalized.uuid])).status_code == 200


@pytest.mark.parametrize("who", ["qs_admin", "other_clinician"])
def test_it_hides_the_questionnaire_response_from_those_without_a_care_relation(
    finalized, login, who, request
):
    user = request.getfixturevalue(who)
    response = login(user).get(reverse("interview-fhir", args=[finalized.uuid]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="export", object_uuid=finalized.uuid).exists()
    assert AuditEntry.objects.filter(action="denied", user=user).exists()


def test_it_does_not_export_a_draft_interview(clinician, cadi, login):
    from tests.factories import draft_interview, patient_for

    interview = draft_interview(patient_for(clinician), clinician)
    assert login(clinician).get(reverse("interview-fhir", args=[interview.uuid])).status_code == 404
