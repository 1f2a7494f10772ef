"""Properties over generated answer sets, valid and not."""

import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessments.formulation.engine import AnswerError
from tests.engine.engine_support import answer_sets, cadi, full_answer_sets

ITEMS = cadi().definition.items
CRAVING_SCALES = [
    code for code, item in ITEMS.items() if "craving" in item.weights and "anxiety" not in item.weights
]
ANXIETY_SCALES = [
    code for code, item in ITEMS.items() if "anxiety" in item.weights and "craving" not in item.weights
]
SINGLES = [code for code, item in ITEMS.items() if item.type == "single"]


def _weights(code, option_code):
    if option_code is None:  # unanswered carries no evidence
        return 0, 0
    option = next(option for option in ITEMS[code].options if option.code == option_code)
    return option.craving, option.anxiety


@settings(max_examples=300)
@given(answer_sets())
def test_it_reports_whole_number_shares_summing_to_100_unless_there_is_no_evidence(answers):
    result = cadi().formulate(answers)
    assert 0 <= result["craving_score"] <= 100 and 0 <= result["anxiety_score"] <= 100
    if result["craving_share"] is None:
        assert result["anxiety_share"] is None
        assert result["craving_score"] == result["anxiety_score"] == 0
        assert result["dominant"] == "insufficient"
    else:
        assert type(result["craving_share"]) is int and type(result["anxiety_share"]) is int
        assert result["craving_share"] + result["anxiety_share"] == 100
    assert result["dominant"] in ("craving", "anxiety", "mixed", "insufficient")
    assert result["confidence"] in ("low", "moderate", "high")


@settings(max_examples=200)
@given(answer_sets())
def test_it_is_deterministic_whatever_the_order_of_the_answers(answers):
    first = json.dumps(cadi().formulate(answers))
    assert json.dumps(cadi().formulate(answers)) == first
    reordered = dict(reversed(list(answers.items())))
    assert json.dumps(cadi().formulate(reordered)) == first


@settings(max_examples=300)
@given(answer_sets(), st.sampled_from(CRAVING_SCALES), st.integers(0, 3))
def test_it_never_lowers_the_craving_share_when_a_craving_rating_rises(answers, code, rating):
    before = cadi().formulate({**answers, code: rating})
    after = cadi().formulate({**answers, code: rating + 1})
    assume(before["craving_share"] is not None)
    assert after["craving_share"] >= before["craving_share"]
    assert after["craving_score"] >= before["craving_score"]


@settings(max_examples=300)
@given(answer_sets(), st.sampled_from(ANXIETY_SCALES), st.integers(0, 3))
def test_it_never_lowers_the_anxiety_share_when_an_anxiety_rating_rises(answers, code, rating):
    before = cadi().formulate({**answers, code: rating})
    after = cadi().formulate({**answers, code: rating + 1})
    assume(before["anxiety_share"] is not None)
    assert after["anxiety_share"] >= before["anxiety_share"]


@settings(max_examples=500)
@given(answer_sets(), st.sampled_from(SINGLES), st.data())
def test_it_never_lowers_a_share_when_an_answer_moves_toward_that_mechanism(answers, code, data):
    new = data.draw(st.sampled_from(ITEMS[code].option_codes))
    old_craving, old_anxiety = _weights(code, answers.get(code))
    new_craving, new_anxiety = _weights(code, new)
    before = cadi().formulate(answers)
    after = cadi().formulate({**answers, code: new})
    assume(before["craving_share"] is not None)
    if new_craving > old_craving and new_anxiety <= old_anxiety:
        assert after["craving_share"] >= before["craving_share"]
    if new_anxiety > old_anxiety and new_craving <= old_craving:
        assert after["anxiety_share"] >= before["anxiety_share"]


@settings(max_examples=200)
@given(full_answer_sets(), st.data())
def test_it_never_lowers_the_anxiety_share_when_another_symptom_is_added(answers, data):
    chosen = answers["anxiety_symptoms"]
    spare = [code for code in ITEMS["anxiety_symptoms"].option_codes if code not in chosen]
    assume(spare)
    before = cadi().formulate(answers)
    after = cadi().formulate({**answers, "anxiety_symptoms": [*chosen, data.draw(st.sampled_from(spare))]})
    assume(before["anxiety_share"] is not None)
    assert after["anxiety_share"] >= before["anxiety_share"]


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
KEYS = st.sampled_from(list(ITEMS)) | st.text(max_size=12) | st.integers()
OPTION_LIKE = st.sampled_from(sorted({o for item in ITEMS.values() for o in item.option_codes}))


@settings(max_examples=500)
@given(
    st.one_of(
        st.dictionaries(KEYS, JUNK | OPTION_LIKE | st.lists(OPTION_LIKE, max_size=4), max_size=8),
        answer_sets().flatmap(
            lambda good: st.dictionaries(st.sampled_from(list(ITEMS)), JUNK, max_size=3).map(
                lambda bad: {**good, **bad}
            )
        ),
        JUNK,
    )
)
def test_it_formulates_or_refuses_naming_an_item_never_anything_else(payload):
    try:
        result = cadi().formulate(payload)
    except AnswerError as refused:
        named = refused.item_code
        assert named == "answers" or named in {str(key) for key in payload}
        assert refused.message.startswith(f"{named}: ")
        assert refused.errors[named] == refused.message
        assert cadi().validate(payload) == refused.errors
    else:
        assert cadi().validate(payload) == {}
        json.dumps(result)
