import copy
import datetime

import pytest

from assessments.formulation.engine import ENGINE_VERSION
from assessments.formulation.models import Formulation
from assessments.formulation.services import formulation_compute
from assessments.questionsets.models import QuestionSetVersion
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette


@pytest.fixture
def stored(clinician, cadi):
    answers = {**vignette("P3-mixed")["answers"], "clinician_impression": "mixed"}
    _, formulation = finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)
    return formulation


def test_it_keeps_the_inputs_version_and_engine_of_a_formulation(stored, cadi):
    assert stored.question_set_version == cadi
    assert stored.engine_version == ENGINE_VERSION == stored.result["engine_version"]
    assert stored.answers["onset_pattern"] == "both"
    assert stored.dominant == stored.result["dominant"] == "mixed"


def test_it_recomputes_an_identical_result_from_the_stored_inputs(stored):
    recomputed = formulation_compute(version=stored.question_set_version, answers=stored.answers)
    assert recomputed == stored.result


def test_it_never_rewrites_a_stored_formulation(stored):
    stored.dominant = "craving"
    with pytest.raises(ValueError, match="cannot be changed"):
        stored.save()
    assert Formulation.objects.get(pk=stored.pk).dominant == "mixed"


def test_it_leaves_stored_formulations_alone_when_a_new_rule_set_is_published(stored, cadi):
    definition = copy.deepcopy(cadi.definition)
    definition["version"] = cadi.number + 1
    cadi.status = QuestionSetVersion.Status.RETIRED
    cadi.save(update_fields=["status"])
    QuestionSetVersion.objects.create(
        question_set=cadi.question_set, number=cadi.number + 1, status="published", definition=definition
    )
    before = copy.deepcopy(stored.result)
    assert Formulation.objects.get(pk=stored.pk).result == before
    assert Formulation.objects.get(pk=stored.pk).question_set_version == cadi


def test_it_stores_the_labels_in_every_language_of_the_set(stored):
    polish = stored.localized_result("pl")
    assert polish["dominant"] == stored.result["dominant"]
    assert [r["id"] for r in polish["rules"]] == [r["id"] for r in stored.result["rules"]]
    assert [r["label"] for r in polish["rules"]] != [r["label"] for r in stored.result["rules"]]


def test_it_keeps_a_bounded_cache_of_compiled_versions(cadi):
    from assessments.questionsets import compiled as services

    services.compiled_cache_clear()
    for minute in range(services.COMPILED_CACHE_SIZE + 5):
        QuestionSetVersion.objects.filter(pk=cadi.pk).update(
            updated_at=cadi.updated_at + datetime.timedelta(minutes=minute)
        )
        cadi.refresh_from_db()
        services.compiled_for(cadi)
    assert services.compiled_cache_size() == services.COMPILED_CACHE_SIZE
