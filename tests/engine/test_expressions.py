"""The closures the engine evaluates agree with rule-engine's own `Rule.matches`."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rule_engine import DataType

from assessments.formulation.engine.compiled import _DERIVED, _ITEM_TYPES
from assessments.formulation.engine.expressions import ExpressionError, compile_expression, make_context
from tests.engine.engine_support import cadi, cadi2

ITEMS = cadi().definition.items
CHOICES = {
    code: frozenset(item.option_codes) for code, item in ITEMS.items() if item.type in ("single", "multi")
}
CONTEXT = make_context({**{code: _ITEM_TYPES[item.type] for code, item in ITEMS.items()}, **_DERIVED})

# Beyond cadi's own rules: every node type the translator accepts, in odd shapes.
EXTRA = [
    "true",
    "not (med_status == 'tapering')",
    "med_status == null",
    "null == med_status",
    "med_status != other_sedative_use",
    "onset_pattern == 'both' or (automaticity ?? 0) > 2 and persistence != null",
    "(automaticity ?? 0) * 2 - (idealization ?? 1) >= 3",
    "-(automaticity ?? 0) < -2",
    "(automaticity ?? 0) + 1 + (idealization ?? 0) + 2 == 6",
    "((automaticity ?? 0) ?? 9) == 0",
    "((days_since_dose_change ?? -1) >= 0 ? 'recent' : 'old') == 'recent'",
    "withdrawal_signs.length >= 2",
    "withdrawal_signs == ['none']",
    "cue_contexts == withdrawal_signs",
    "'tremor' in withdrawal_signs and not 'sweating' in withdrawal_signs",
    "med_status in ['tapering', 'discontinued']",
    "med_status in [onset_pattern, 'tapering']",
    "dominant in ['craving', 'mixed'] and (craving_share ?? 0) >= 65",
    "craving_share == null",
    "(craving_share ?? anxiety_share ?? 0) > 40",
    "craving_score + anxiety_score > 100",
    "clinician_notes == 'x'",
    "(clinician_notes ?? '') >= 'm'",
    "[med_status, onset_pattern] == ['tapering', null]",
    "(days_since_dose_change ?? 0) >= 0.5 and (days_since_dose_change ?? 0) < 28.5",
]
EXPRESSIONS = [rule.when for rule in cadi().definition.rules] + EXTRA
COMPILED = [compile_expression(text, CONTEXT, CHOICES) for text in EXPRESSIONS]


def _value(item):
    if item.type == "multi":
        return st.lists(st.sampled_from(item.option_codes), max_size=4)
    if item.type == "single":
        return st.none() | st.sampled_from(item.option_codes)
    if item.type in ("scale", "integer"):
        return st.none() | st.integers(-3, 40)
    return st.none() | st.text(max_size=3)


def _contexts(items, windows=()):
    """Every item's possible answers, the windows' day counts and the computed mix."""
    return st.fixed_dictionaries(
        {
            **{code: _value(item) for code, item in items.items()},
            **{code: st.sampled_from([28, 42]) for code in windows},
            "craving_score": st.integers(0, 100),
            "anxiety_score": st.integers(0, 100),
            "craving_share": st.none() | st.integers(0, 100),
            "anxiety_share": st.none() | st.integers(0, 100),
            "dominant": st.sampled_from(["craving", "anxiety", "mixed", "insufficient"]),
        }
    )


CONTEXTS = _contexts(ITEMS)


@settings(max_examples=400)
@given(CONTEXTS)
def test_it_evaluates_every_expression_exactly_as_rule_engine_does(context):
    for expression in COMPILED:
        assert expression.evaluate(context) is expression.rule.matches(context), expression.text


# cadi@2's rules read its own items and the withdrawal window its definition declares.
ITEMS2 = cadi2().definition.items
WINDOWS2 = {window.code: DataType.FLOAT for window in cadi2().definition.windows}
CONTEXT2 = make_context(
    {**{code: _ITEM_TYPES[item.type] for code, item in ITEMS2.items()}, **WINDOWS2, **_DERIVED}
)
CHOICES2 = {
    code: frozenset(item.option_codes) for code, item in ITEMS2.items() if item.type in ("single", "multi")
}
COMPILED2 = [compile_expression(rule.when, CONTEXT2, CHOICES2) for rule in cadi2().definition.rules]
CONTEXTS2 = _contexts(ITEMS2, WINDOWS2)


@settings(max_examples=400)
@given(CONTEXTS2)
def test_it_evaluates_every_cadi2_rule_exactly_as_rule_engine_does(context):
    for expression in COMPILED2:
        assert expression.evaluate(context) is expression.rule.matches(context), expression.text


def test_it_reads_symbols_in_order_of_first_use():
    # The order decides the order of a fired rule's evidence in the formulation.
    expression = compile_expression(
        "(automaticity ?? 0) >= 2 and 'tremor' in withdrawal_signs and med_status == 'tapering' "
        "and (automaticity ?? 0) + (idealization ?? 0) > 1",
        CONTEXT,
        CHOICES,
    )
    assert expression.symbols == ("automaticity", "withdrawal_signs", "med_status", "idealization")


def test_it_keeps_author_text_out_of_the_generated_code():
    # An option code or string literal is bound as a value, never spliced into source.
    hostile = "x') or __import__('os').system('true') or ('"
    context = make_context({"note": DataType.NULLABLE(DataType.STRING)})
    expression = compile_expression(f'note == "{hostile}"', context, {})
    assert expression.evaluate({"note": hostile}) is True
    assert expression.evaluate({"note": "x"}) is False


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("(med_status ?? '') =~ 'tap.*'", "does not support"),
        ("withdrawal_signs[0] == 'tremor'", "does not support"),
        ("[s for s in withdrawal_signs if s != 'none'].length > 0", "does not support"),
        ("(automaticity ?? 0) / 2 > 1", "only + - * are supported"),
        ("withdrawal_signs.is_empty", "only .length is supported"),
        ("$today == $today", "does not support"),
        ("med_status == 'tapring'", "'tapring' is not an option of med_status"),
        ("'tremmor' in withdrawal_signs", "'tremmor' is not an option of withdrawal_signs"),
        ("automaticty >= 2", "unknown item or value 'automaticty'"),
        ("automaticity >= 2", "does not compile"),
        ("med_status ==", "does not compile"),
        ("automaticity ?? 0", "must be a true/false condition"),
    ],
)
def test_it_refuses_expressions_it_cannot_evaluate_exactly(text, problem):
    with pytest.raises(ExpressionError, match=re.escape(problem)):
        compile_expression(text, CONTEXT, CHOICES)
