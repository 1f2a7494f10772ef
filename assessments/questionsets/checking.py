"""Checking a definition document before anything is stored.

The engine (load_definition) is the authority on what a definition means; this
module adds what only the administration needs: the slug and number of the version
the document is stored as, and test-case expectations strict enough that a typo
cannot make a case pass by accident (e.g. `"dominant": "craving"` as a string).
"""

import re

from django.utils.translation import gettext as _

from assessments.formulation.engine import CompiledQuestionSet, DefinitionError, load_definition
from assessments.formulation.engine.answers import storable_text
from assessments.formulation.engine.records import (
    CODE,
    CONFIDENCE_LEVELS,
    DOMINANT_STATES,
    EXPECTATION_KEYS,
    KNOWN_FLAGS,
)

EXPECT_KEYS = frozenset(EXPECTATION_KEYS)
CASE_KEYS = {"id", "story", "answers", "expect"}


def definition_check(
    definition, *, slug: str | None = None, number: int | None = None
) -> CompiledQuestionSet:
    """Compile the document or raise DefinitionError listing every problem.

    `slug`/`number` are what the document must say about itself when stored as a
    given version (a definition that claims to be another version would make its
    formulations name the wrong one)."""
    if not isinstance(definition, dict):
        raise DefinitionError(["definition: the top level must be a JSON object"])
    errors = (
        _identity_errors(definition, slug, number)
        + _test_case_errors(definition.get("test_cases", []))
        + _unstorable_text_errors(definition)
    )
    try:
        compiled = load_definition(definition)
    except DefinitionError as exc:
        errors = exc.errors + errors
    except (TypeError, ValueError, KeyError, AttributeError) as exc:  # a shape the reader did not foresee
        errors = [f"definition: could not be read ({type(exc).__name__})", *errors]
    else:
        errors += _unknown_rule_errors(compiled)
    if errors:
        raise DefinitionError(errors)
    return compiled


def _unknown_rule_errors(compiled: CompiledQuestionSet) -> list[str]:
    # A misspelt rule id in rules_exclude would pass for ever: name it instead.
    catalogue = compiled.rule_catalogue()
    return [
        f"test case {case['id']}.expect.{key}: {rule_id!r} is not a rule of this version"
        for case in compiled.definition.test_cases
        for key in ("rules_include", "rules_exclude")
        for rule_id in _listed(case["expect"], key)
        if rule_id not in catalogue
    ]


def _listed(expect: dict, key: str) -> list:
    value = expect.get(key)
    return value if isinstance(value, list) else []


def _unstorable_text_errors(definition) -> list[str]:
    """NUL and lone surrogates (from JSON escapes) cannot be stored or encoded; found
    anywhere in the document (keys included), they are named by their path."""
    errors = []

    def walk(node, path):
        if isinstance(node, str):
            if not storable_text(node):
                where = path or "definition"
                errors.append(f"{where}: must not contain NUL or unpaired surrogate characters")
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key, f"{path} (a key)" if path else "a key")
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(definition, "")
    return errors


def _identity_errors(definition: dict, slug, number) -> list[str]:
    errors = []
    if slug is not None and definition.get("slug") != slug:
        errors.append(f"slug: must be {slug!r}, the question set this version belongs to")
    if number is not None and definition.get("version") != number:
        errors.append(f"version: must be {number}, the number of this version")
    return errors


def _test_case_errors(cases) -> list[str]:
    if not isinstance(cases, list):
        return []  # the engine names this one
    errors, seen = [], set()
    for case in cases:
        if not isinstance(case, dict):
            continue
        case_id = case.get("id")
        where = f"test case {case_id}"
        if isinstance(case_id, str) and not CODE.match(case_id.lower().replace("-", "_")):
            errors.append(f"{where}: the id must be letters, digits, - and _")
        if case_id in seen:
            errors.append(f"{where}: duplicate test case id")
        seen.add(case_id)
        if "story" in case and not isinstance(case["story"], str):
            errors.append(f"{where}.story: must be text")
        for key in sorted(set(case) - CASE_KEYS, key=str):
            errors.append(f"{where}: unknown key {key!r}")
        if isinstance(case.get("expect"), dict):
            errors.extend(_expect_errors(case["expect"], where))
    return errors


def _expect_errors(expect: dict, where: str) -> list[str]:
    errors = [f"{where}.expect: unknown key {key!r}" for key in sorted(set(expect) - EXPECT_KEYS, key=str)]
    dominant = expect.get("dominant")
    if not isinstance(dominant, list) or not dominant or any(d not in DOMINANT_STATES for d in dominant):
        errors.append(f"{where}.expect.dominant: must list one or more of {', '.join(DOMINANT_STATES)}")
    for key in ("flags_include", "flags_exclude"):
        flags = expect.get(key, [])
        if not isinstance(flags, list) or any(flag not in KNOWN_FLAGS for flag in flags):
            errors.append(f"{where}.expect.{key}: must list flags of the contract ({', '.join(KNOWN_FLAGS)})")
    confidence = expect.get("confidence", list(CONFIDENCE_LEVELS))
    if (
        not isinstance(confidence, list)
        or not confidence
        or any(c not in CONFIDENCE_LEVELS for c in confidence)
    ):
        errors.append(f"{where}.expect.confidence: must list one or more of {', '.join(CONFIDENCE_LEVELS)}")
    for key in ("rules_include", "rules_exclude", "recommendations_start"):
        codes = expect.get(key, [])
        if not isinstance(codes, list) or any(
            not isinstance(code, str) or not CODE.match(code.replace(".", "_")) for code in codes
        ):
            errors.append(f"{where}.expect.{key}: must list rule or recommendation codes")
    overlap = set(expect.get("flags_include") or []) & set(expect.get("flags_exclude") or [])
    if overlap:
        errors.append(f"{where}.expect: {', '.join(sorted(overlap))} both included and excluded")
    return errors


# An HTML tag, comment or declaration, or Django/Jinja template syntax. A lone "<" or ">"
# (as in "< 3 days") is plain text and allowed.
MARKUP = re.compile(r"<\s*[A-Za-z!/?]|\{\{|\{%|\{#")


def markup_errors(definition) -> list[str]:
    """Texts (titles, help, labels, options, recommendations, in every language) are shown
    escaped everywhere; markup in them is a mistake or an attack, so the publish gate
    refuses it, naming each field (list entries by their code or id)."""
    message = _(
        "%(field)s: write plain text; HTML tags and template syntax ({{ }}, {%% %%}) are not allowed."
    )
    return [message % {"field": path} for path, text in _texts(definition, "") if MARKUP.search(text)]


def _texts(node, path):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "when":  # a rule expression, where "<" is a comparison
                yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("code") or value.get("id") if isinstance(value, dict) else None
            yield from _texts(value, f"{path}[{name if isinstance(name, str) else index}]")
