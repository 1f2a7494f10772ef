"""Spec section 4: bad input is refused as a whole, naming the offending item."""

import pytest

from assessments.formulation.engine import AnswerError, parse_request
from tests.engine.engine_support import cadi

BAD_ANSWERS = [
    ({"favourite_colour": "blue"}, "favourite_colour", "is not an item of cadi@1"),
    ({"onset_pattern": "sometimes"}, "onset_pattern", "is not an option"),
    ({"automaticity": 5}, "automaticity", "must be a whole number from 0 to 4"),
    ({"automaticity": -1}, "automaticity", "must be a whole number from 0 to 4"),
    ({"automaticity": 2.5}, "automaticity", "must be a whole number from 0 to 4"),
    ({"automaticity": 2.0}, "automaticity", "must be a whole number from 0 to 4"),
    ({"automaticity": True}, "automaticity", "must be a whole number from 0 to 4"),
    ({"automaticity": "3"}, "automaticity", "must be a whole number from 0 to 4"),
    ({"automaticity": [3]}, "automaticity", "not a list"),
    ({"onset_pattern": ["diffuse"]}, "onset_pattern", "expects one option, not a list"),
    ({"anxiety_symptoms": "insomnia"}, "anxiety_symptoms", "expects a list of options"),
    ({"anxiety_symptoms": ["insomnia", "dread"]}, "anxiety_symptoms", "'dread' is not an option"),
    ({"anxiety_symptoms": ["insomnia", "insomnia"]}, "anxiety_symptoms", "more than once"),
    ({"withdrawal_signs": ["none", "tremor"]}, "withdrawal_signs", "'none' cannot be combined"),
    ({"days_since_dose_change": 3651}, "days_since_dose_change", "must be a whole number from 0 to 3650"),
    ({"days_since_dose_change": -1}, "days_since_dose_change", "must be a whole number from 0 to 3650"),
    ({"clinician_notes": 42}, "clinician_notes", "must be text"),
    ({"med_status": {"value": "tapering"}}, "med_status", "is not an option"),
    ({"withdrawal_signs": [["tremor"]]}, "withdrawal_signs", "is not an option"),
]


@pytest.mark.parametrize(("answers", "code", "problem"), BAD_ANSWERS, ids=[case[1] for case in BAD_ANSWERS])
def test_it_refuses_bad_answers_naming_the_item(answers, code, problem):
    good = {"onset_pattern": "diffuse", "automaticity": 1}
    with pytest.raises(AnswerError) as caught:
        cadi().formulate({**good, **answers})
    assert caught.value.item_code == code
    assert caught.value.message.startswith(f"{code}: ")
    assert problem in caught.value.message
    assert "\n" not in caught.value.message  # one line for the command's standard error
    assert cadi().validate({**good, **answers}) == caught.value.errors


def test_it_words_the_scale_message_exactly():
    assert cadi().validate({"automaticity": 9}) == {
        "automaticity": "automaticity: must be a whole number from 0 to 4"
    }


def test_it_accepts_null_as_unanswered():
    result = cadi().formulate({"automaticity": None, "onset_pattern": None, "anxiety_symptoms": None})
    assert "automaticity" in result["missing"] and result["dominant"] == "insufficient"
    assert cadi().validate({"automaticity": None}) == {}


@pytest.mark.parametrize("answers", [None, [], "answers", 3])
def test_it_refuses_answers_that_are_not_an_object(answers):
    with pytest.raises(AnswerError) as caught:
        cadi().formulate(answers)
    assert caught.value.item_code == "answers"


def test_it_reads_the_request_envelope():
    answers = {"automaticity": 2}
    assert parse_request({"answers": answers}) == ("cadi", None, answers)
    assert parse_request({"answers": answers, "question_set": "cadi@1", "note": "ignored"}) == (
        "cadi",
        1,
        answers,
    )
    assert parse_request({"answers": {}, "question_set": "other_set@12"}) == ("other_set", 12, {})


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([], "answers"),
        ({}, "answers"),
        ({"answers": []}, "answers"),
        ({"answers": "x"}, "answers"),
        ({"answers": {}, "question_set": "cadi@"}, "question_set"),
        ({"answers": {}, "question_set": "cadi@0"}, "question_set"),
        ({"answers": {}, "question_set": "cadi@one"}, "question_set"),
        ({"answers": {}, "question_set": "Cadi"}, "question_set"),
        ({"answers": {}, "question_set": "cadi\n"}, "question_set"),
        ({"answers": {}, "question_set": 1}, "question_set"),
    ],
)
def test_it_refuses_a_malformed_envelope(payload, field):
    with pytest.raises(AnswerError) as caught:
        parse_request(payload)
    assert caught.value.item_code == field
    assert caught.value.message.startswith(f"{field}: ")
