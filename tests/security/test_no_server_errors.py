"""Hostile input gets a clear 400 naming the field, never a 500 (issue #11, item 9)."""

import copy
import json

import pytest
from django.urls import reverse

from assessments.formulation.engine import DefinitionError
from assessments.questionsets import services as qs_services
from assessments.questionsets.models import QuestionSetVersion

PREVIEW = "api-formulation-preview"


def _preview(client, body: str):
    return client.post(reverse(PREVIEW), body, content_type="application/json")


def _assert_api_error(response, field=None):
    """The body the OpenAPI schema promises for a refusal: detail, field, errors."""
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["field"], str)
    assert isinstance(body["errors"], dict) and all(isinstance(v, str) for v in body["errors"].values())
    if field is not None:
        assert body["field"] == field, body


def test_deeply_nested_json_is_a_400(login, clinician, cadi):
    client = login(clinician)
    nested = '{"answers": ' + "[" * 1500 + "]" * 1500 + "}"
    _assert_api_error(_preview(client, nested))
    _assert_api_error(_preview(client, "[" * 100_000))


@pytest.mark.parametrize("body", ["{not json", '"a string"', "[]", "null", '{"answers": {"x": 1}} trailing'])
def test_malformed_json_uses_the_promised_error_body(login, clinician, cadi, body):
    _assert_api_error(_preview(login(clinician), body))


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b", "\udfff"])
def test_nul_and_lone_surrogates_in_typed_text_are_a_400(login, clinician, cadi, text):
    body = json.dumps({"answers": {"clinician_notes": text}})
    _assert_api_error(_preview(login(clinician), body), field="clinician_notes")


def _cadi(cadi):
    return copy.deepcopy(cadi.definition)


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (lambda d: d["sections"][0].update(title={"en": "a\x00b", "pl": "x"}), "NUL"),
        (lambda d: d["sections"][0].update(title={"en": "a\ud800b", "pl": "x"}), "surrogate"),
        (lambda d: d["test_cases"][0].update(story=[[["nested"]]]), "story"),
        (lambda d: d["rules"][0].update(when=" or ".join(["onset_pattern == 'cue_linked'"] * 3000)), "rule"),
    ],
    ids=["nul", "surrogate", "nested-story", "huge-expression"],
)
def test_hostile_imports_are_refused_naming_the_problem(cadi, qs_admin, mutate, named, login):
    definition = _cadi(cadi)
    mutate(definition)
    raw = json.dumps(definition).encode()
    before = QuestionSetVersion.objects.count()
    with pytest.raises(DefinitionError) as refused:
        qs_services.version_import(raw=raw, user=qs_admin)
    assert any(named in error for error in refused.value.errors), refused.value.errors
    assert QuestionSetVersion.objects.count() == before
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.json", raw, content_type="application/json")
    response = login(qs_admin).post(reverse("questionset-import"), {"file": upload})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["%00", "a%00b", "%ED%A0%80", "%FF", "a" * 5000])
@pytest.mark.parametrize("name", ["audit-log", "patient-list", "review-queue"])
def test_filter_pages_answer_hostile_query_strings_without_error(login, supervisor, value, name):
    client = login(supervisor)
    for key in ("patient", "user", "action", "from", "to", "q", "flag", "sort", "page"):
        response = client.get(f"{reverse(name)}?{key}={value}")
        assert response.status_code in (200, 400, 403), (key, response.status_code)
        if "%00" in value:
            assert response.status_code == 400
            assert key in response.content.decode()
