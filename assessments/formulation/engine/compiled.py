"""Load a definition once into a CompiledQuestionSet, then formulate with it many times."""

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeAlias

from rule_engine import DataType

from .answers import AnswerChecker
from .definition import read_definition
from .errors import DefinitionError
from .expressions import CompiledExpression, ExpressionError, compile_expression, make_context
from .records import CHOICE_TYPES, DOMINANT_STATES, EXPECTATION_KEYS, Definition, Formulation, Localized
from .scoring import DERIVED_TYPES, Scorer
from .visibility import drop_hidden, is_shown

_ITEM_TYPES = {
    "single": DataType.NULLABLE(DataType.STRING),
    "text": DataType.NULLABLE(DataType.STRING),
    "multi": DataType.ARRAY(DataType.STRING),  # unanswered reads as an empty list
    "scale": DataType.NULLABLE(DataType.FLOAT),
    "integer": DataType.NULLABLE(DataType.FLOAT),
}
# What flag rules may read besides the answers: the mix computed before them.
_DERIVED = {
    "craving_score": DataType.FLOAT,
    "anxiety_score": DataType.FLOAT,
    "craving_share": DataType.NULLABLE(DataType.FLOAT),
    "anxiety_share": DataType.NULLABLE(DataType.FLOAT),
    "dominant": DataType.STRING,
}
assert tuple(_DERIVED) == DERIVED_TYPES

# One rule of the catalogue (rule_catalogue()), a JSON object like the formulation.
CatalogueEntry: TypeAlias = dict[str, Any]


def load_definition(data: object) -> "CompiledQuestionSet":
    """Check and compile a definition document (the decoded JSON). Raises
    DefinitionError listing every problem, each naming its item, option or rule."""
    definition = read_definition(data)
    return CompiledQuestionSet(definition, _compile_rules(definition))


def load_definition_file(path: str | os.PathLike[str]) -> "CompiledQuestionSet":
    return load_definition(json.loads(Path(path).read_text(encoding="utf-8")))


def _compile_rules(definition: Definition) -> dict[str, CompiledExpression]:
    errors: list[str] = []
    items = definition.items
    for name in _DERIVED:
        if name in items:
            errors.append(f"item {name}: this code is reserved for the computed mix")
    types = {code: _ITEM_TYPES[item.type] for code, item in items.items()}
    windows = {window.code: DataType.FLOAT for window in definition.windows}
    for name in windows:
        if name in _DERIVED:
            errors.append(f"window {name}: this code is reserved for the computed mix")
    context = make_context({**types, **windows, **_DERIVED})
    choices = {
        code: frozenset(item.option_codes) for code, item in items.items() if item.type in CHOICE_TYPES
    }
    choices["dominant"] = frozenset(DOMINANT_STATES)
    unscored = {code for section in definition.sections if not section.scored for code in section.items}
    compiled: dict[str, CompiledExpression] = {}
    for rule in definition.rules:
        try:
            expression = compile_expression(rule.when, context, choices)
        except ExpressionError as exc:
            errors.append(f"rule {rule.id}: {exc}")
            continue
        for symbol in expression.symbols:
            if symbol in unscored or (symbol in items and items[symbol].type == "text"):
                errors.append(f"rule {rule.id}: reads {symbol}, which is never scored")
            elif symbol in _DERIVED and rule.direction != "flag":
                errors.append(
                    f"rule {rule.id}: a {rule.direction} rule cannot read {symbol}, computed from it"
                )
        compiled[rule.id] = expression
    # A discount must be known before the mix is computed, so the flags it waits for
    # may only be raised by rules that read answers, never the mix itself.
    discounting = {item.discount[0] for item in items.values() if item.discount}
    for rule in definition.rules:
        known = compiled.get(rule.id)
        if rule.flag in discounting and known is not None:
            for symbol in known.symbols:
                if symbol in _DERIVED:
                    errors.append(
                        f"rule {rule.id}: raises {rule.flag}, which discounts evidence, "
                        f"so it cannot read {symbol}"
                    )
    if errors:
        raise DefinitionError(errors)
    return compiled


class CompiledQuestionSet:
    """One published question-set version, ready to validate and formulate.

    Immutable after loading and safe to share between threads and requests.
    """

    def __init__(self, definition: Definition, expressions: dict[str, CompiledExpression]):
        self.definition = definition
        self.slug = definition.slug
        self.version = definition.version
        self.reference = f"{definition.slug}@{definition.version}"
        self.languages = definition.languages
        self.expressions = expressions
        self._checker = AnswerChecker(definition.items, self.reference)
        self._scorer = Scorer(definition, expressions)
        # Interview order, so a form or a refusal lists them as the clinician meets them.
        self.required_items = tuple(code for code, item in definition.items.items() if item.required)
        test_case_errors = self._check_test_case_answers()
        if test_case_errors:
            raise DefinitionError(test_case_errors)

    # `answers` is unchecked input (any decoded JSON), hence `object`.
    def validate(self, answers: object) -> dict[str, str]:
        """{item_code: message} for every refused answer; {} when the set is valid."""
        return self._checker.errors(answers)

    def formulate(self, answers: object, lang: str = "en") -> Formulation:
        """The formulation contract for one answer set (see README.md beside this file).
        Rule labels and recommendation texts are given in `lang`. Raises AnswerError
        if any answer is refused; nothing is formulated from a partly bad set."""
        if lang not in self.languages:
            raise ValueError(f"unknown language {lang!r} for {self.reference}")
        return self._scorer.formulate(self._checker.check(answers), lang)

    def unanswered_required(self, answers: Mapping[str, Any]) -> list[str]:
        """Required items (spec 6.1) still unanswered, in interview order. An item
        hidden by its visible_if cannot be answered, so it is never asked for."""
        return [
            code
            for code in self.required_items
            if _blank(answers.get(code)) and self.is_visible(code, answers)
        ]

    def is_visible(self, item_code: str, answers: Mapping[str, Any]) -> bool:
        """Whether the form should show the item, given the answers so far."""
        return is_shown(self.definition.items[item_code].visible_if, answers)

    def visible_answers(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of `answers` without those to items their condition hides, the same
        way the scorer drops them (codes it does not know are left for validate())."""
        return drop_hidden(self._scorer.conditional, dict(answers))

    def rule_catalogue(self) -> dict[str, CatalogueEntry]:
        """Every rule this version can fire, by the id used in formulations: its
        labels in every language, direction, weight, flag and rationale."""
        catalogue: dict[str, CatalogueEntry] = {}
        for item in self.definition.items.values():
            for option in item.options:
                for direction in ("craving", "anxiety"):
                    if getattr(option, direction):
                        catalogue[f"{item.code}.{option.code}.{direction}"] = _entry(
                            option.evidence_label,
                            direction,
                            getattr(option, direction),
                            None,
                            option.rationale,
                        )
            for direction, weights in item.weights.items():
                catalogue[f"{item.code}.{direction}"] = _entry(
                    item.evidence_label, direction, list(weights), None, item.rationale
                )
            for band in item.breadth:
                catalogue[band.id] = _entry(band.label, band.direction, band.weight, None, band.rationale)
        for rule in self.definition.rules:
            catalogue[rule.id] = _entry(rule.label, rule.direction, rule.weight, rule.flag, rule.rationale)
        return catalogue

    def run_test_cases(self) -> list[str]:
        """Formulate the version's own test cases; one message per unmet expectation."""
        failures: list[str] = []
        for case in self.definition.test_cases:
            result = self.formulate(case["answers"])
            expect = case["expect"]
            # Checked here, not when loading: a version published before this check
            # must still load; a malformed expectation only fails the publish gate.
            malformed = [
                key
                for key in EXPECTATION_KEYS
                if key in expect
                and (not isinstance(expect[key], list) or not all(isinstance(v, str) for v in expect[key]))
            ]
            if malformed:
                failures += [f"{case['id']}: expect.{key} must be a list of codes" for key in malformed]
                continue
            if result["dominant"] not in expect.get("dominant", [result["dominant"]]):
                failures.append(f"{case['id']}: dominant {result['dominant']}, expected {expect['dominant']}")
            for flag in expect.get("flags_include", []):
                if flag not in result["flags"]:
                    failures.append(f"{case['id']}: flag {flag} not raised")
            for flag in expect.get("flags_exclude", []):
                if flag in result["flags"]:
                    failures.append(f"{case['id']}: flag {flag} raised")
            failures += [f"{case['id']}: {problem}" for problem in _further_expectations(result, expect)]
        return failures

    def _check_test_case_answers(self) -> list[str]:
        return [
            f"test case {case['id']}: {message}"
            for case in self.definition.test_cases
            for message in self.validate(case["answers"]).values()
        ]


def _further_expectations(result: Formulation, expect: Mapping[str, Any]) -> list[str]:
    """The optional expectations a test case can add, so that a publish gate can pin
    confidence, the rules that must (not) fire and the order of recommendations."""
    problems: list[str] = []
    if "confidence" in expect and result["confidence"] not in expect["confidence"]:
        problems.append(f"confidence {result['confidence']}, expected {expect['confidence']}")
    fired = {rule["id"] for rule in result["rules"]}
    problems += [
        f"rule {rule_id} did not fire" for rule_id in expect.get("rules_include", []) if rule_id not in fired
    ]
    problems += [f"rule {rule_id} fired" for rule_id in expect.get("rules_exclude", []) if rule_id in fired]
    start = expect.get("recommendations_start", [])
    codes = [recommendation["code"] for recommendation in result["recommendations"]]
    if codes[: len(start)] != start:
        problems.append(f"recommendations start {codes[: len(start)]}, expected {start}")
    return problems


def _blank(value: object) -> bool:
    # An empty list or blank text is as unanswered as a missing key.
    return value is None or value == [] or value == () or (isinstance(value, str) and not value.strip())


def _entry(
    label: Localized | None,
    direction: str,
    weight: float | list[float],
    flag: str | None,
    rationale: str | None,
) -> CatalogueEntry:
    # Only options and scales that carry weight are catalogued, and definition.py
    # requires their evidence label.
    assert label is not None
    return {
        "label": dict(label),
        "direction": direction,
        "weight": weight,
        "flag": flag,
        "rationale": rationale,
    }
