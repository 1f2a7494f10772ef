"""Required items (clinical spec 6.1) are data of the definition, so an admin can change
which they are in a later version; the engine reports them but never enforces them."""

import copy
import json

import pytest

from assessments.formulation.engine import DefinitionError, load_definition
from tests.engine.engine_support import CADI_PATH

CADI = json.loads(CADI_PATH.read_text(encoding="utf-8"))


def _with_required(*codes, value=True):
    data = copy.deepcopy(CADI)
    for section in data["sections"]:
        for item in section["items"]:
            if item["code"] in codes:
                item["required"] = value
    return data


def test_it_lists_the_required_items_in_interview_order():
    compiled = load_definition(
        _with_required("clinician_impression", "suicidal_thoughts", "other_sedative_use")
    )
    assert compiled.required_items == ("suicidal_thoughts", "other_sedative_use", "clinician_impression")
    assert compiled.definition.items["suicidal_thoughts"].required is True
    assert compiled.definition.items["automaticity"].required is False


def test_it_has_no_required_items_unless_the_definition_marks_them():
    assert load_definition(copy.deepcopy(CADI)).required_items == ()


def test_it_says_which_required_items_are_still_unanswered():
    compiled = load_definition(_with_required("suicidal_thoughts", "withdrawal_signs", "clinician_notes"))
    answers = {"suicidal_thoughts": "none", "withdrawal_signs": [], "clinician_notes": "  "}
    assert compiled.unanswered_required(answers) == ["withdrawal_signs", "clinician_notes"]
    answers.update(withdrawal_signs=["none"], clinician_notes="seen")
    assert compiled.unanswered_required(answers) == []


def test_it_never_asks_for_a_required_item_the_form_hides():
    compiled = load_definition(_with_required("days_since_dose_change"))
    assert compiled.unanswered_required({"med_status": "tapering"}) == ["days_since_dose_change"]
    assert compiled.unanswered_required({"med_status": "stable_dose"}) == []


def test_it_still_formulates_a_partial_answer_set():
    compiled = load_definition(_with_required("suicidal_thoughts"))
    assert compiled.formulate({"onset_pattern": "cue_linked"})["dominant"] == "insufficient"


def test_it_refuses_a_required_mark_that_is_not_true_or_false():
    with pytest.raises(DefinitionError) as caught:
        load_definition(_with_required("suicidal_thoughts", value="yes"))
    assert caught.value.errors == ["item suicidal_thoughts.required: must be true or false"]
