"""Loading refuses a bad definition, naming every offending rule, item or option."""

import copy
import json

import pytest

from assessments.formulation.engine import DefinitionError, load_definition
from tests.engine.engine_support import CADI2_PATH, CADI_PATH

CADI = json.loads(CADI_PATH.read_text(encoding="utf-8"))


def _cadi():
    return copy.deepcopy(CADI)


def _rule(data, rule_id):
    return next(rule for rule in data["rules"] if rule["id"] == rule_id)


def _item(data, code):
    return next(item for section in data["sections"] for item in section["items"] if item["code"] == code)


def _errors(data) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(data)
    assert str(caught.value).startswith("invalid question-set definition: ")
    return caught.value.errors


def test_it_loads_the_shipped_definition():
    compiled = load_definition(_cadi())
    assert compiled.reference == "cadi@1" and compiled.languages == ("en", "pl")


def test_it_names_the_rule_whose_expression_reads_an_unknown_item():
    data = _cadi()
    _rule(data, "safety_active")["when"] = "suicidal_thougts == 'active'"
    assert _errors(data) == ["rule safety_active: unknown item or value 'suicidal_thougts'"]


def test_it_names_the_rule_whose_expression_does_not_compile():
    data = _cadi()
    _rule(data, "sedative_use")["when"] = "other_sedative_use in ['alcohol',"
    errors = _errors(data)
    assert len(errors) == 1 and errors[0].startswith("rule sedative_use: does not compile")


def test_it_names_the_rule_that_compares_an_item_with_an_unknown_option():
    data = _cadi()
    _rule(data, "safety_passive")["when"] = "suicidal_thoughts == 'pasive'"
    assert _errors(data) == ["rule safety_passive: 'pasive' is not an option of suicidal_thoughts"]


def test_it_names_duplicate_codes():
    data = _cadi()
    data["sections"][1]["items"].append(copy.deepcopy(_item(data, "automaticity")))
    _item(data, "med_status")["options"].append({"code": "tapering", "label": {"en": "Again", "pl": "Znowu"}})
    data["rules"].append(copy.deepcopy(_rule(data, "safety_active")))
    errors = _errors(data)
    assert "item automaticity: duplicate item code" in errors
    assert "item med_status option tapering: duplicate option code" in errors
    assert "rule: duplicate rule id 'safety_active'" in errors


def test_it_collects_every_problem_not_just_the_first():
    data = _cadi()
    _item(data, "automaticity")["type"] = "slider"
    _item(data, "days_since_dose_change")["visible_if"] = {"item": "med_status", "not_in": ["stable"]}
    _rule(data, "relapse_moderate_access")["flag"] = "relapse_risk_medium"
    _rule(data, "cue_dosing_link")["when"] = "dominant == 'craving'"
    data["languages"] = ["en", "pl", "de"]
    errors = _errors(data)
    assert "item automaticity: unknown type 'slider' (known: single, multi, scale, integer, text)" in errors
    assert "item days_since_dose_change.visible_if: 'stable' is not an option of med_status" in errors
    assert any(e.startswith("rule relapse_moderate_access: raises 'relapse_risk_medium'") for e in errors)
    assert any(e.startswith("languages: ") for e in errors)


def test_it_refuses_a_scoring_rule_that_reads_the_mix_it_feeds():
    data = _cadi()
    _rule(data, "cue_dosing_link")["when"] = "dominant == 'craving'"
    assert _errors(data) == ["rule cue_dosing_link: a craving rule cannot read dominant, computed from it"]


def test_it_refuses_rules_that_read_the_never_scored_clinician_section():
    data = _cadi()
    _rule(data, "safety_active")["when"] = "clinician_impression == 'mixed'"
    assert _errors(data) == ["rule safety_active: reads clinician_impression, which is never scored"]


def test_it_refuses_weights_in_the_clinician_section():
    data = _cadi()
    _item(data, "clinician_impression")["options"][0]["craving"] = 2
    errors = _errors(data)
    assert any(
        e.startswith("item clinician_impression option mainly_craving: this section is never scored")
        for e in errors
    )


def test_it_refuses_a_scale_whose_evidence_falls_as_the_rating_rises():
    data = _cadi()
    _item(data, "automaticity")["weights"]["craving"] = [0, 2, 1, 3, 4]
    assert _errors(data) == [
        "item automaticity.weights.craving: must start at 0 and never fall as the scale rises"
    ]


def test_it_refuses_overlapping_breadth_rules():
    data = _cadi()
    _item(data, "anxiety_symptoms")["breadth"][1]["min"] = 3
    assert _errors(data) == ["rule anxiety_breadth_several: overlaps breadth rule anxiety_breadth_some"]


def test_it_refuses_missing_translations_and_rationales():
    data = _cadi()
    del _item(data, "automaticity")["text"]["pl"]
    del _rule(data, "withdrawal_window")["rationale"]
    errors = _errors(data)
    assert "item automaticity.text: must give a text for exactly these languages: en, pl" in errors
    assert "rule withdrawal_window: needs a short rationale" in errors


def test_it_refuses_test_cases_whose_answers_are_invalid():
    data = _cadi()
    data["test_cases"][0]["answers"]["automaticity"] = 9
    assert _errors(data) == ["test case P1-clear-craving: automaticity: must be a whole number from 0 to 4"]


def test_it_refuses_unknown_keys_to_catch_typos():
    data = _cadi()
    _item(data, "days_since_dose_change")["visble_if"] = {"item": "med_status", "not_in": ["stable_dose"]}
    assert _errors(data) == ["section context item: unknown key 'visble_if'"]


@pytest.mark.parametrize("data", [None, [], "cadi", {"slug": "x"}])
def test_it_refuses_documents_that_are_not_definitions(data):
    assert _errors(data)


def _cadi2():
    return json.loads(CADI2_PATH.read_text(encoding="utf-8"))


def _set(path):
    """A mutation setting one nested field of cadi@2 (a definition written by hand)."""

    def mutate(data, value):
        *parents, last = path
        target = data
        for key in parents:
            target = key(target) if callable(key) else target[key]
        target[last] = value

    return mutate


def _with(key):
    return lambda data: next(
        item for section in data["sections"] for item in section["items"] if key in item
    )[key]


# Each field the reader keeps as written and checks later: a list or an object there
# must be refused with a message, not crash the loader (TypeError: unhashable type).
@pytest.mark.parametrize(
    ("mutate", "value", "where"),
    [
        (_set([_with("visible_if"), "item"]), ["med_status"], ".visible_if"),
        (_set([_with("visible_if"), "item"]), {"a": 1}, ".visible_if"),
        (_set([_with("discount"), "while_flag"]), ["possible_withdrawal_or_rebound"], ".discount"),
        (_set(["windows", 0, "item"]), ["drug_half_life"], "window withdrawal_window_days"),
        (_set(["recommendation_order", 0]), ["safety_urgent"], "recommendation_order"),
    ],
)
def test_it_refuses_a_value_of_the_wrong_shape_where_a_code_is_expected(mutate, value, where):
    data = _cadi2()
    mutate(data, value)
    errors = _errors(data)
    assert any(where in error for error in errors), errors


@pytest.mark.parametrize(
    ("key", "value"),
    [("dominant", 5), ("flags_include", "safety_urgent"), ("recommendations_start", [["x"]])],
)
def test_the_publish_gate_fails_a_test_case_whose_expectation_is_not_a_list_of_codes(key, value):
    # Loading still accepts it (a version published before this check must load);
    # running the test cases, which gates publishing, names the case and the key.
    data = _cadi2()
    data["test_cases"][0]["expect"][key] = value
    failures = load_definition(data).run_test_cases()
    assert f"{data['test_cases'][0]['id']}: expect.{key} must be a list of codes" in failures
