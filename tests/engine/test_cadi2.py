"""cadi@2 (clinical spec, section 6): its worked cases, its own publish gate, its
required items, and the behaviours section 6 names, each from the evidence directions."""

import json

import pytest

from tests.engine.engine_support import CASES_DIR, cadi2

VIGNETTES = sorted((CASES_DIR / "vignettes-v2").glob("*.json"))
REQUIRED = ("severe_withdrawal_signs", "suicidal_thoughts", "other_sedative_use", "clinician_impression")


def test_it_has_the_worked_cases_copied_into_the_tests():
    assert len(VIGNETTES) == 8


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda path: path.stem)
def test_it_meets_each_worked_case(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["question_set"] == "cadi@2"
    result = cadi2().formulate(case["answers"])
    expect = case["expect"]
    assert result["dominant"] in expect["dominant"], result
    assert set(expect["flags_include"]) <= set(result["flags"]), result["flags"]
    assert not set(expect["flags_exclude"]) & set(result["flags"]), result["flags"]
    assert result["confidence"] in expect.get("confidence", [result["confidence"]])


def test_it_passes_its_own_publish_gate():
    assert len(cadi2().definition.test_cases) >= 40
    assert cadi2().run_test_cases() == []


def test_it_marks_the_required_items_of_6_1():
    assert set(cadi2().required_items) == set(REQUIRED)


def test_it_formulates_a_partial_answer_set_without_the_required_items():
    result = cadi2().formulate({"onset_pattern": "cue_linked", "first_in_sequence": "medication_thought"})
    assert result["dominant"] == "insufficient"
    assert cadi2().unanswered_required({}) == list(cadi2().required_items)


def test_it_refuses_other_sedative_use_as_a_single_string_naming_the_item():
    errors = cadi2().validate({"other_sedative_use": "alcohol"})
    assert list(errors) == ["other_sedative_use"]
    assert "expects a list" in errors["other_sedative_use"]


def test_it_no_longer_knows_the_old_both_option():
    assert "other_sedative_use" in cadi2().validate({"other_sedative_use": ["both"]})


def test_it_keeps_every_cadi1_code():
    from tests.engine.engine_support import cadi

    old, new = cadi().definition.items, cadi2().definition.items
    assert set(old) <= set(new)
    for code, item in old.items():
        if code != "other_sedative_use":  # the one item 6.1 changes: single -> multi, "both" gone
            assert set(item.option_codes) <= set(new[code].option_codes), code
            assert new[code].type == item.type, code


def test_it_says_in_the_label_when_evidence_counts_half():
    case = next(c for c in cadi2().definition.test_cases if c["id"] == "v2-symptoms-inside-window-count-half")
    rules = {rule["id"]: rule for rule in cadi2().formulate(case["answers"])["rules"]}
    full = {
        rule["id"]: rule
        for rule in cadi2().formulate({**case["answers"], "days_since_dose_change": 60})["rules"]
    }
    for rule_id in ("anxiety_breadth_broad", "persistence.over_4_weeks.anxiety"):
        assert "counted half" in rules[rule_id]["label"] and "counted half" not in full[rule_id]["label"]
        assert rules[rule_id]["contribution"] == pytest.approx(full[rule_id]["contribution"] / 2, abs=0.1)
    polish = {rule["id"]: rule for rule in cadi2().formulate(case["answers"], lang="pl")["rules"]}
    assert "w połowie" in polish["anxiety_breadth_broad"]["label"]


def test_it_prints_each_flag_recommendation_once():
    answers = dict(
        json.loads((CASES_DIR / "vignettes-v2" / "V2-P6-abrupt-stop-confusion-agitation.json").read_text())[
            "answers"
        ]
    )
    result = cadi2().formulate(answers)
    texts = [recommendation["text"] for recommendation in result["recommendations"]]
    assert len(texts) == len(set(texts)) and len(result["flags"]) == len(set(result["flags"]))
