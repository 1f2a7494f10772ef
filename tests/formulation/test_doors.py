"""The command line and the API give the same fields, and refuse bad input naming the item."""

import json
import subprocess
import sys

import pytest
from django.urls import reverse

from assessments.formulation.models import Formulation
from tests.factories import vignette
from tests.helpers import ROOT, process_env

CONTRACT = {
    "craving_score",
    "anxiety_score",
    "craving_share",
    "anxiety_share",
    "dominant",
    "confidence",
    "rules",
    "flags",
    "recommendations",
    "missing",
    "question_set",
    "engine_version",
}

# Each bad input of clinical spec section 4, with the item code it must name.
BAD_INPUTS = [
    ({"answers": {"not_an_item": 1}}, "not_an_item"),
    ({"answers": {"onset_pattern": "sometimes"}}, "onset_pattern"),
    ({"answers": {"automaticity": 5}}, "automaticity"),
    ({"answers": {"automaticity": -1}}, "automaticity"),
    ({"answers": {"onset_pattern": ["diffuse"]}}, "onset_pattern"),
    ({"answers": {"anxiety_symptoms": "insomnia"}}, "anxiety_symptoms"),
    ({"answers": {"days_since_dose_change": 4000}}, "days_since_dose_change"),
    ({"answers": "not an object"}, "answers"),
    ({"answers": {}, "question_set": "nope@9"}, "question_set"),
    # cadi@2 made other_sedative_use a list (spec 6.1); cadi@1 still takes one value.
    ({"answers": {"other_sedative_use": "alcohol"}}, "other_sedative_use"),
    ({"answers": {"other_sedative_use": "alcohol"}, "question_set": "cadi@2"}, "other_sedative_use"),
    ({"answers": {"other_sedative_use": ["alcohol"]}, "question_set": "cadi@1"}, "other_sedative_use"),
    ({"answers": {"other_sedative_use": ["both"]}, "question_set": "cadi@2"}, "other_sedative_use"),
    ({"answers": {"low_mood": 5}, "question_set": "cadi@2"}, "low_mood"),
    ({"answers": {"low_mood": 2}, "question_set": "cadi@1"}, "low_mood"),
]


def _command(text: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "formulate", *(args or ["-"])],
        input=text,
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def api(login, clinician, cadi):
    client = login(clinician)

    def post(body: str):
        return client.post(reverse("api-formulation-preview"), body, content_type="application/json")

    return post


@pytest.mark.django_db(transaction=True)
def test_it_formulates_from_the_command_line_and_the_api_alike(login, clinician, cadi):
    body = json.dumps({"answers": vignette("P1-clear-craving")["answers"], "ignored": True})
    from_command = _command(body)
    assert from_command.returncode == 0, from_command.stderr
    printed = json.loads(from_command.stdout)
    assert set(printed) == CONTRACT and printed["dominant"] == "craving"
    response = login(clinician).post(
        reverse("api-formulation-preview"), body, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == printed
    assert not Formulation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_defaults_to_cadi2_and_takes_either_version_at_both_doors(login, clinician, cadi):
    client = login(clinician)
    answers = {"other_sedative_use": ["alcohol", "opioids"], "onset_pattern": "diffuse"}
    for body, expected in [
        ({"answers": answers}, "cadi@2"),
        ({"answers": answers, "question_set": "cadi@2"}, "cadi@2"),
        ({"answers": answers, "question_set": "cadi"}, "cadi@2"),
        ({"answers": {"other_sedative_use": "alcohol"}, "question_set": "cadi@1"}, "cadi@1"),
    ]:
        text = json.dumps(body)
        out = _command(text)
        assert out.returncode == 0, out.stderr
        printed = json.loads(out.stdout)
        response = client.post(reverse("api-formulation-preview"), text, content_type="application/json")
        assert response.status_code == 200 and response.json() == printed
        assert printed["question_set"] == expected
        assert ("overdose_risk" in printed["flags"]) == (expected == "cadi@2")
        assert "sedative_substitution" in printed["flags"]


@pytest.mark.django_db(transaction=True)
def test_it_reads_a_file_path_and_a_versioned_question_set(tmp_path, cadi):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"onset_pattern": "diffuse"}, "question_set": "cadi@1"}))
    out = _command("", str(path))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["question_set"] == "cadi@1"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("payload", "code"), BAD_INPUTS)
def test_it_refuses_bad_input_on_the_command_line_naming_the_item(payload, code, cadi):
    out = _command(json.dumps(payload))
    assert out.returncode != 0
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and code in lines[0] and "Traceback" not in out.stderr


@pytest.mark.django_db(transaction=True)
def test_it_refuses_malformed_json_on_the_command_line(cadi):
    out = _command('{"answers": {')
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "malformed JSON" in lines[0]


@pytest.mark.parametrize(("payload", "code"), BAD_INPUTS)
def test_it_refuses_bad_input_in_the_api_naming_the_item(api, payload, code):
    response = api(json.dumps(payload))
    assert response.status_code == 400
    assert response.json()["field"] == code and code in response.json()["detail"]
    assert not Formulation.objects.exists()


def test_it_answers_malformed_json_in_the_api_with_a_clear_400(api):
    response = api('{"answers": {')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_it_requires_authentication_for_the_api(client, cadi):
    response = client.post(reverse("api-formulation-preview"), "{}", content_type="application/json")
    assert response.status_code == 403


def test_it_publishes_an_openapi_schema_for_the_preview(login, clinician):
    response = login(clinician).get(reverse("api-schema") + "?format=json")
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/formulations/preview"]["post"]
    assert "400" in operation["responses"] and "200" in operation["responses"]
    assert set(schema["components"]["schemas"]["Formulation"]["properties"]) == CONTRACT
