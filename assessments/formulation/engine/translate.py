"""Translate a type-checked rule-engine AST into one plain Python function per rule.

Each supported node becomes a Python expression with rule-engine's semantics for the
typed contexts the engine builds (see expressions.py for why). Node types whose
semantics we do not reproduce exactly are refused with ExpressionError.

Why generated source rather than nested closures: a rule is evaluated on every
formulation, and one function whose body is the whole condition costs a few hundred
nanoseconds where a tree of closures costs a call per node (about 3x more). The
source is safe to compile because nothing an author wrote ever enters it: every
value from the definition (item codes, option codes, numbers) is bound as a constant
in the function's namespace and referenced by a generated name (`k0`, `k1`...); the
text holds only those names, temporaries (`t0`...), operators and parentheses. The
namespace has no builtins beyond `len`, `str` and the `_equal` helper.
"""

import decimal
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rule_engine import DataType
from rule_engine import ast as re_ast

# Answers are JSON values: an evaluator returns whatever the expression yields.
Evaluator = Callable[[dict[str, Any]], Any]


class ExpressionError(ValueError):
    """An expression the engine refuses; the message says why, in plain words."""


# Generated names are unique in the process, so that the conditions of several rules
# can be compiled into one function (evaluate_all). next() on a count is atomic.
_NAMES = itertools.count()


@dataclass(frozen=True, slots=True)
class Translated:
    evaluate: Evaluator
    symbols: tuple[str, ...]  # symbols the expression reads, first use first
    body: str  # the condition as generated source, reading `ctx`
    constants: dict[str, Any]  # the values its generated names stand for


def translate(root: Any, choices: dict[str, frozenset[str]]) -> Translated:
    """The function for `root`, the symbols it reads and its generated source."""
    translator = _Translator(choices)
    body = translator.node(root)
    if not isinstance(root, _BOOLEAN_NODES):  # these already give a real bool
        body = f"(not not {body})"
    evaluate = _compile(body, translator.constants)
    return Translated(evaluate, tuple(translator.symbols), body, translator.constants)


def evaluate_all(conditions: Sequence[Translated]) -> Callable[[dict[str, Any]], tuple[bool, ...]]:
    """One function giving every condition's value, in order: a formulation checks
    every flag rule, and one call instead of one per rule saves most of their cost."""
    constants: dict[str, Any] = {}
    for condition in conditions:
        constants.update(condition.constants)
    body = "".join(f"{condition.body}, " for condition in conditions)
    evaluate: Callable[[dict[str, Any]], tuple[bool, ...]] = _compile(f"({body})", constants)
    return evaluate


def _compile(body: str, constants: dict[str, Any]) -> Any:
    source = f"def evaluate(ctx):\n    return {body}\n"
    try:
        code = compile(source, "<rule>", "exec")
    except (SyntaxError, RecursionError, MemoryError):  # CPython's nesting limits
        raise ExpressionError("is nested too deeply") from None
    namespace: dict[str, Any] = {"__builtins__": {}, "len": len, "str": str, "_equal": _equal, **constants}
    exec(code, namespace)  # noqa: S102 - generated text, see the module docstring
    return namespace["evaluate"]


def _literal(value: Any) -> Any:
    # rule-engine keeps numbers as Decimal; whole numbers become int so that they
    # compare and add exactly like the int answers they meet, others stay Decimal
    # so that arithmetic stays decimal, as in rule-engine.
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        return int(value)
    return value


_BOOLEAN_NODES = (
    re_ast.LogicExpression,
    re_ast.ComparisonExpression,
    re_ast.ContainsExpression,
    re_ast.BooleanExpression,
)
_ORDER = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def _chain(node: Any, node_class: Any, operator: str) -> list[Any]:
    """The operands of a left- or right-nested chain of one operator, in order."""
    if type(node) is node_class and node.type == operator:
        return _chain(node.left, node_class, operator) + _chain(node.right, node_class, operator)
    return [node]


def _kind(value: Any) -> type:
    # rule-engine's `==` is False across data types (1 == true is false there).
    kind = type(value)
    if kind is int or kind is float or kind is decimal.Decimal:
        return int
    return tuple if kind is list else kind


def _equal(left: Any, right: Any) -> bool:
    kind = _kind(left)
    if kind is not _kind(right):
        return False
    # Answers keep multi selections as JSON lists; rule-engine sees them as tuples.
    return bool(tuple(left) == tuple(right)) if kind is tuple else bool(left == right)


class _Translator:
    def __init__(self, choices: dict[str, frozenset[str]]):
        self.choices = choices
        self.symbols: list[str] = []
        self.constants: dict[str, Any] = {}

    def const(self, value: Any) -> str:
        name = f"k{next(_NAMES)}"
        self.constants[name] = value
        return name

    def temp(self) -> str:
        return f"t{next(_NAMES)}"

    def read(self, name: str) -> str:
        if name not in self.symbols:
            self.symbols.append(name)
        return f"ctx[{self.const(name)}]"

    def node(self, node: Any) -> str:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(f"uses {type(node).__name__}, which the engine does not support")
        source: str = method(node)
        return source

    # --- leaves -------------------------------------------------------------
    def _const(self, node: Any) -> str:
        return self.const(_literal(node.value))

    _BooleanExpression = _FloatExpression = _StringExpression = _NullExpression = _const

    def _ArrayExpression(self, node: Any) -> str:
        if all(isinstance(member, re_ast.LiteralExpressionBase) for member in node.value):
            return self.const(tuple(_literal(member.value) for member in node.value))
        members = [self.node(member) for member in node.value]
        return f"({', '.join(members)},)" if members else "()"

    def _SymbolExpression(self, node: Any) -> str:
        if node.scope is not None:
            raise ExpressionError(f"uses the built-in ${node.name}, which the engine does not support")
        return self.read(node.name)

    def _GetAttributeExpression(self, node: Any) -> str:
        if node.name != "length":
            raise ExpressionError(f"uses the attribute .{node.name}; only .length is supported")
        target = self.node(node.object)
        if node.safe:
            value = self.temp()
            return f"(None if ({value} := {target}) is None else len({value}))"
        return f"len({target})"

    # --- operators ------------------------------------------------------------
    def _LogicExpression(self, node: Any) -> str:
        # `a and b and c` nests in the AST; flattened it is one Python chain.
        parts = [self.node(part) for part in _chain(node, type(node), node.type)]
        joiner = " and " if node.type == "and" else " or "
        return f"(not not ({joiner.join(parts)}))"

    def _UnaryExpression(self, node: Any) -> str:
        right = self.node(node.right)
        return f"(not {right})" if node.type == "not" else f"(-{right})"

    def _CoalesceExpression(self, node: Any) -> str:
        left, right = self.node(node.left), self.node(node.right)
        value = self.temp()
        return f"({right} if ({value} := {left}) is None else {value})"

    def _TernaryExpression(self, node: Any) -> str:
        test, yes, no = self.node(node.condition), self.node(node.case_true), self.node(node.case_false)
        return f"({yes} if {test} else {no})"

    def _ComparisonExpression(self, node: Any) -> str:
        self._check_options(node.left, node.right)
        self._check_options(node.right, node.left)
        operator = "!=" if node.type == "ne" else "=="
        for symbol, literal in ((node.left, node.right), (node.right, node.left)):
            if isinstance(symbol, re_ast.SymbolExpression) and isinstance(literal, re_ast.StringExpression):
                # `item == 'option'`: a plain read and compare is exact when the
                # literal is a string (str equals only str).
                return f"({self.node(symbol)} {operator} {self.node(literal)})"
        equal = f"_equal({self.node(node.left)}, {self.node(node.right)})"
        return f"(not {equal})" if node.type == "ne" else equal

    def _ArithmeticComparisonExpression(self, node: Any) -> str:
        # rule-engine has already refused nullable and mismatched operands; we also
        # refuse array ordering, whose rules differ from Python's tuple ordering.
        for side in (node.left, node.right):
            if DataType.NULLABLE.unwrap(side.result_type) not in (DataType.FLOAT, DataType.STRING):
                raise ExpressionError("ordered comparisons are supported between numbers or texts only")
        return f"({self.node(node.left)} {_ORDER[node.type]} {self.node(node.right)})"

    def _AddExpression(self, node: Any) -> str:
        if DataType.NULLABLE.unwrap(node.result_type) == DataType.FLOAT:
            chain = _chain(node, re_ast.AddExpression, "add")
            for side in chain:
                if DataType.NULLABLE.unwrap(side.result_type) != DataType.FLOAT:
                    raise ExpressionError("arithmetic is supported on numbers only")
            # A running sum from 0, left to right, as rule-engine adds.
            return f"(0 + {' + '.join(self.node(part) for part in chain)})"
        return self._arithmetic(node, "+")

    def _SubtractExpression(self, node: Any) -> str:
        return self._arithmetic(node, "-")

    def _ArithmeticExpression(self, node: Any) -> str:
        # Division and powers would need Decimal arithmetic to match rule-engine.
        if node.type != "mul":
            raise ExpressionError(f"uses the operator {node.type!r}; only + - * are supported")
        return self._arithmetic(node, "*")

    def _arithmetic(self, node: Any, operator: str) -> str:
        for side in (node.left, node.right):
            if DataType.NULLABLE.unwrap(side.result_type) != DataType.FLOAT:
                raise ExpressionError("arithmetic is supported on numbers only")
        return f"({self.node(node.left)} {operator} {self.node(node.right)})"

    def _ContainsExpression(self, node: Any) -> str:
        container_type = DataType.NULLABLE.unwrap(node.container.result_type)
        if not DataType.is_type(container_type, DataType.ARRAY):
            raise ExpressionError("'in' is supported on lists only")
        self._check_options(node.member, node.container)
        self._check_options(node.container, node.member)
        if (
            isinstance(node.container, re_ast.ArrayExpression)
            and isinstance(node.member, re_ast.SymbolExpression)
            and all(isinstance(value, re_ast.StringExpression) for value in node.container.value)
        ):
            # `item in ['a', 'b']`: strings hash and compare only with strings, so a
            # set lookup guarded by a type check is exact.
            lookup = self.const(frozenset(value.value for value in node.container.value))
            value = self.temp()
            return f"(({value} := {self.node(node.member)}).__class__ is str and {value} in {lookup})"
        # The container first, as the closures did: the order symbols are first read in.
        container = self.node(node.container)
        return f"({self.node(node.member)} in {container})"

    # --- helpers --------------------------------------------------------------
    def _check_options(self, symbol: Any, literal: Any) -> None:
        if not isinstance(symbol, re_ast.SymbolExpression) or symbol.name not in self.choices:
            return
        if isinstance(literal, re_ast.StringExpression):
            values = [literal.value]
        elif isinstance(literal, re_ast.ArrayExpression):
            values = [m.value for m in literal.value if isinstance(m, re_ast.StringExpression)]
        else:
            return
        for value in values:
            if value not in self.choices[symbol.name]:
                raise ExpressionError(f"{value!r} is not an option of {symbol.name}")
