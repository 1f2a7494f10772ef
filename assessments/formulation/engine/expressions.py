"""Rule expressions: parsed and type-checked by rule-engine, evaluated as closures.

rule-engine does the parsing, the typing and the constant folding: a typo in an item
code, a comparison of a nullable number without `??`, or a syntax error all fail at
load time. Its own evaluator costs ~14 µs per expression, which alone would eat the
formulation budget, so each checked AST is translated once into plain Python
closures. Only node types whose semantics we reproduce exactly are accepted; any
other node is refused at load time (never silently approximated). A differential
hypothesis test (tests/engine/test_expressions.py) holds the closures to
`Rule.matches` on generated contexts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rule_engine
from rule_engine import DataType

from .translate import ExpressionError, Translated, translate

__all__ = ["CompiledExpression", "ExpressionError", "compile_expression", "make_context"]


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    text: str
    rule: rule_engine.Rule  # kept as the reference implementation for tests
    evaluate: Callable[[dict[str, Any]], Any]
    symbols: tuple[str, ...]  # symbols the expression reads, first use first
    translated: Translated  # its generated source, to compile with others (evaluate_all)


MAX_EXPRESSION_CHARS = 2000


def make_context(symbol_types: dict[str, Any]) -> rule_engine.Context:
    # A typed resolver makes an unknown symbol a compile-time error.
    return rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(symbol_types))


def compile_expression(
    text: str, context: rule_engine.Context, choices: dict[str, frozenset[str]]
) -> CompiledExpression:
    """`choices` maps a choice item's code to its option codes, so that a string
    literal compared with that item must be one of its options."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the expression must be non-empty text")
    # The parser and the translated evaluator recurse once per term: thousands of terms
    # exhaust Python's stack (RecursionError). Real rules are short (cadi's longest has
    # under 300 characters), so a generous cap keeps compile and evaluation safe.
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"is too long (at most {MAX_EXPRESSION_CHARS} characters)")
    try:
        rule = rule_engine.Rule(text, context)
    except RecursionError:
        raise ExpressionError("is nested too deeply") from None
    except rule_engine.SymbolResolutionError as exc:
        raise ExpressionError(f"unknown item or value {exc.symbol_name!r}") from None
    except rule_engine.EngineError as exc:
        raise ExpressionError(f"does not compile: {exc.message}") from None
    root = rule.statement.expression
    if root.result_type not in (DataType.BOOLEAN, DataType.UNDEFINED):
        raise ExpressionError("must be a true/false condition")
    try:
        translated = translate(root, choices)
    except RecursionError:
        raise ExpressionError("is nested too deeply") from None
    return CompiledExpression(text, rule, translated.evaluate, translated.symbols, translated)
