"""The formulation contract of spec section 3, field for field."""

import json

import pytest

from assessments.formulation.engine import ENGINE_VERSION, AnswerError, CompiledQuestionSet
from tests.engine.engine_support import cadi, load_vignette

CONTRACT_KEYS = [
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
]
RULE_KEYS = ["id", "label", "direction", "contribution", "flag", "evidence"]


def _vignette(name):
    return load_vignette(name)["answers"]


def test_it_returns_exactly_the_contract_fields_in_a_fixed_order():
    result = cadi().formulate(_vignette("P3-mixed"))
    assert list(result) == CONTRACT_KEYS
    assert result["question_set"] == "cadi@1"
    assert result["engine_version"] == ENGINE_VERSION
    assert isinstance(ENGINE_VERSION, str) and ENGINE_VERSION
    for rule in result["rules"]:
        assert list(rule) == RULE_KEYS
        assert rule["direction"] in ("craving", "anxiety", "flag")
        assert rule["evidence"] and all(set(entry) == {"item", "answer"} for entry in rule["evidence"])
    json.dumps(result)  # serializable as it stands


def test_it_explains_which_answers_drove_the_mix():
    result = cadi().formulate(_vignette("P1-clear-craving"))
    by_id = {rule["id"]: rule for rule in result["rules"]}
    onset = by_id["onset_pattern.cue_linked.craving"]
    assert onset["evidence"] == [{"item": "onset_pattern", "answer": "cue_linked"}]
    assert onset["contribution"] > 0
    assert by_id["automaticity.craving"]["evidence"] == [{"item": "automaticity", "answer": 4}]
    assert result["recommendations"][0]["code"] == "focus_relapse_prevention"


def test_it_gives_labels_and_recommendations_in_the_asked_language():
    english = cadi().formulate(_vignette("P2-clear-anxiety"))
    polish = cadi().formulate(_vignette("P2-clear-anxiety"), lang="pl")
    assert [rule["id"] for rule in english["rules"]] == [rule["id"] for rule in polish["rules"]]
    assert english["rules"][0]["label"] != polish["rules"][0]["label"]
    assert polish["recommendations"][0]["text"].startswith("Lecz bezpośrednio")
    with pytest.raises(ValueError):
        cadi().formulate({}, lang="de")


def test_it_reports_missing_core_items_in_interview_order():
    result = cadi().formulate(_vignette("P4-insufficient"))
    assert result["missing"][:3] == [
        "cue_contexts",
        "cues_were_dosing_occasions",
        "pattern_predates_medication",
    ]
    assert "onset_pattern" not in result["missing"] and "med_status" not in result["missing"]


def test_it_reports_no_shares_and_insufficient_when_there_is_no_evidence():
    result = cadi().formulate({"med_status": "tapering", "cue_contexts": ["none"], "automaticity": 0})
    assert (result["craving_score"], result["anxiety_score"]) == (0, 0)
    assert result["craving_share"] is None and result["anxiety_share"] is None
    assert result["dominant"] == "insufficient" and result["confidence"] == "low"
    assert result["recommendations"][0]["code"] == "complete_core_sections"


def test_it_never_aliases_the_callers_answers():
    answers = _vignette("P3-mixed")
    result = cadi().formulate(answers)
    for rule in result["rules"]:
        for entry in rule["evidence"]:
            if isinstance(entry["answer"], list):
                entry["answer"].append("mutated")
    assert "mutated" not in answers["anxiety_symptoms"] and "mutated" not in answers["cue_contexts"]
    assert cadi().formulate(answers) == cadi().formulate(_vignette("P3-mixed"))


def test_it_ignores_the_clinician_section():
    answers = _vignette("P3-mixed")
    base = cadi().formulate(answers)
    for impression in ("mainly_craving", "mainly_anxiety", "mixed", "unclear"):
        judged = cadi().formulate(
            {**answers, "clinician_impression": impression, "clinician_notes": "seen alone"}
        )
        assert judged == base


def test_it_exposes_a_catalogue_of_every_rule_with_labels_in_every_language():
    catalogue = cadi().rule_catalogue()
    assert {
        "withdrawal_window",
        "anxiety_breadth_broad",
        "automaticity.craving",
        "onset_pattern.both.anxiety",
    } <= set(catalogue)
    for entry in catalogue.values():
        assert set(entry["label"]) == {"en", "pl"} and entry["rationale"]


def test_it_answers_the_form_whether_an_item_is_visible():
    compiled: CompiledQuestionSet = cadi()
    assert compiled.is_visible("days_since_dose_change", {"med_status": "tapering"})
    assert compiled.is_visible("days_since_dose_change", {})
    assert not compiled.is_visible("days_since_dose_change", {"med_status": "stable_dose"})
    assert compiled.is_visible("automaticity", {})


def test_it_refuses_a_bad_answer_set_with_every_error_listed():
    with pytest.raises(AnswerError) as caught:
        cadi().formulate({"automaticity": 7, "onset_pattern": "sometimes", "unknown_item": 1})
    assert set(caught.value.errors) == {"automaticity", "onset_pattern", "unknown_item"}
    assert caught.value.item_code == "automaticity"
