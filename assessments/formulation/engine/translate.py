"""Translate a type-checked rule-engine AST into plain Python closures.

Each supported node becomes a closure `ctx -> value` with rule-engine's semantics for
the typed contexts the engine builds (see expressions.py for why). Node types whose
semantics we do not reproduce exactly are refused with ExpressionError.
"""

import decimal
from collections.abc import Callable
from typing import Any

from rule_engine import DataType
from rule_engine import ast as re_ast

# Answers are JSON values: an evaluator returns whatever the expression yields.
Evaluator = Callable[[dict], Any]


class ExpressionError(ValueError):
    """An expression the engine refuses; the message says why, in plain words."""


def translate(root, choices: dict) -> tuple[Evaluator, tuple]:
    """The closure for `root` and the symbols it reads, first use first."""
    translator = _Translator(choices)
    inner = translator.node(root)
    if not isinstance(root, _BOOLEAN_NODES):  # these already return a real bool
        inner = _as_bool(inner)
    return inner, tuple(translator.symbols)


def _as_bool(inner):
    return lambda ctx: bool(inner(ctx))


def _literal(value):
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


def _chain(node, node_class, operator) -> list:
    """The operands of a left- or right-nested chain of one operator, in order."""
    if type(node) is node_class and node.type == operator:
        return _chain(node.left, node_class, operator) + _chain(node.right, node_class, operator)
    return [node]


def _all(parts, ctx) -> bool:
    for part in parts:
        if not part(ctx):
            return False
    return True


def _any(parts, ctx) -> bool:
    for part in parts:
        if part(ctx):
            return True
    return False


def _sum(parts, ctx):
    total = 0
    for part in parts:
        total = total + part(ctx)
    return total


def _is_optional_number(node) -> bool:
    return (
        isinstance(node, re_ast.CoalesceExpression)
        and isinstance(node.left, re_ast.SymbolExpression)
        and node.left.scope is None
        and isinstance(node.right, re_ast.FloatExpression)
    )


def _sum_optional(terms, ctx):
    total = 0
    for name, default in terms:
        value = ctx[name]
        total = total + (default if value is None else value)
    return total


def _kind(value):
    # rule-engine's `==` is False across data types (1 == true is false there).
    kind = type(value)
    if kind is int or kind is float or kind is decimal.Decimal:
        return int
    return tuple if kind is list else kind


def _equal(left, right):
    kind = _kind(left)
    if kind is not _kind(right):
        return False
    # Answers keep multi selections as JSON lists; rule-engine sees them as tuples.
    return tuple(left) == tuple(right) if kind is tuple else left == right


class _Translator:
    def __init__(self, choices: dict):
        self.choices = choices
        self.symbols: list[str] = []

    def node(self, node) -> Evaluator:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(f"uses {type(node).__name__}, which the engine does not support")
        return method(node)

    # --- leaves -------------------------------------------------------------
    def _const(self, node):
        value = _literal(node.value)
        return lambda ctx: value

    _BooleanExpression = _FloatExpression = _StringExpression = _NullExpression = _const

    def _ArrayExpression(self, node):
        if all(isinstance(member, re_ast.LiteralExpressionBase) for member in node.value):
            value = tuple(_literal(member.value) for member in node.value)
            return lambda ctx: value
        members = tuple(self.node(member) for member in node.value)
        return lambda ctx: tuple(member(ctx) for member in members)

    def _SymbolExpression(self, node):
        if node.scope is not None:
            raise ExpressionError(f"uses the built-in ${node.name}, which the engine does not support")
        name = node.name
        if name not in self.symbols:
            self.symbols.append(name)
        return lambda ctx: ctx[name]

    def _GetAttributeExpression(self, node):
        if node.name != "length":
            raise ExpressionError(f"uses the attribute .{node.name}; only .length is supported")
        target = self.node(node.object)
        if node.safe:
            return lambda ctx: None if (value := target(ctx)) is None else len(value)
        return lambda ctx: len(target(ctx))

    # --- operators ------------------------------------------------------------
    def _LogicExpression(self, node):
        # `a and b and c` nests in the AST; one loop over the flattened chain saves
        # a closure call per level.
        parts = tuple(self.node(part) for part in _chain(node, type(node), node.type))
        if node.type == "and":
            if len(parts) == 2:
                first, second = parts
                return lambda ctx: bool(first(ctx) and second(ctx))
            return lambda ctx: _all(parts, ctx)
        if len(parts) == 2:
            first, second = parts
            return lambda ctx: bool(first(ctx) or second(ctx))
        return lambda ctx: _any(parts, ctx)

    def _UnaryExpression(self, node):
        right = self.node(node.right)
        if node.type == "not":
            return lambda ctx: not right(ctx)
        return lambda ctx: -right(ctx)

    def _CoalesceExpression(self, node):
        if isinstance(node.left, re_ast.SymbolExpression) and isinstance(
            node.right, re_ast.LiteralExpressionBase
        ):
            # `(item ?? 0)`, the usual way to read an optional number: one closure.
            self._SymbolExpression(node.left)
            name, default = node.left.name, _literal(node.right.value)
            return lambda ctx: default if (value := ctx[name]) is None else value
        left, right = self.node(node.left), self.node(node.right)
        return lambda ctx: right(ctx) if (value := left(ctx)) is None else value

    def _TernaryExpression(self, node):
        test, yes, no = self.node(node.condition), self.node(node.case_true), self.node(node.case_false)
        return lambda ctx: yes(ctx) if test(ctx) else no(ctx)

    def _ComparisonExpression(self, node):
        self._check_options(node.left, node.right)
        self._check_options(node.right, node.left)
        negate = node.type == "ne"
        fast = self._fast_equality(node.left, node.right) or self._fast_equality(node.right, node.left)
        if fast is not None:
            name, value = fast
            if negate:
                return lambda ctx: ctx[name] != value
            return lambda ctx: ctx[name] == value
        left, right = self.node(node.left), self.node(node.right)
        if negate:
            return lambda ctx: not _equal(left(ctx), right(ctx))
        return lambda ctx: _equal(left(ctx), right(ctx))

    def _ArithmeticComparisonExpression(self, node):
        # rule-engine has already refused nullable and mismatched operands; we also
        # refuse array ordering, whose rules differ from Python's tuple ordering.
        for side in (node.left, node.right):
            if DataType.NULLABLE.unwrap(side.result_type) not in (DataType.FLOAT, DataType.STRING):
                raise ExpressionError("ordered comparisons are supported between numbers or texts only")
        op = node.type
        if _is_optional_number(node.left) and isinstance(node.right, re_ast.FloatExpression):
            return self._optional_compare(node.left, op, _literal(node.right.value))
        left = self.node(node.left)
        if isinstance(node.right, re_ast.LiteralExpressionBase):
            # `x >= 3`: compare with the captured constant instead of calling for it.
            limit = _literal(node.right.value)
            if op == "ge":
                return lambda ctx: left(ctx) >= limit
            if op == "gt":
                return lambda ctx: left(ctx) > limit
            if op == "le":
                return lambda ctx: left(ctx) <= limit
            return lambda ctx: left(ctx) < limit
        right = self.node(node.right)
        if op == "ge":
            return lambda ctx: left(ctx) >= right(ctx)
        if op == "gt":
            return lambda ctx: left(ctx) > right(ctx)
        if op == "le":
            return lambda ctx: left(ctx) <= right(ctx)
        return lambda ctx: left(ctx) < right(ctx)

    def _optional_compare(self, coalesce, op, limit):
        # `(item ?? 0) >= 3`, the usual test on an optional rating: one closure.
        self._SymbolExpression(coalesce.left)
        name, default = coalesce.left.name, _literal(coalesce.right.value)
        if op == "ge":
            return lambda ctx: (default if (value := ctx[name]) is None else value) >= limit
        if op == "gt":
            return lambda ctx: (default if (value := ctx[name]) is None else value) > limit
        if op == "le":
            return lambda ctx: (default if (value := ctx[name]) is None else value) <= limit
        return lambda ctx: (default if (value := ctx[name]) is None else value) < limit

    def _AddExpression(self, node):
        if DataType.NULLABLE.unwrap(node.result_type) == DataType.FLOAT:
            # A running sum `a + b + c + d` flattened into one loop.
            for side in _chain(node, re_ast.AddExpression, "add"):
                if DataType.NULLABLE.unwrap(side.result_type) != DataType.FLOAT:
                    raise ExpressionError("arithmetic is supported on numbers only")
            chain = _chain(node, re_ast.AddExpression, "add")
            if all(_is_optional_number(part) for part in chain):
                # `(a ?? 0) + (b ?? 0) + ...`, a score over optional items: one loop,
                # no closure per term.
                terms = tuple((part.left.name, _literal(part.right.value)) for part in chain)
                self.symbols.extend(name for name, _ in terms if name not in self.symbols)
                return lambda ctx: _sum_optional(terms, ctx)
            parts = tuple(self.node(part) for part in chain)
            return lambda ctx: _sum(parts, ctx)
        return self._arithmetic(node, lambda a, b: a + b)

    def _SubtractExpression(self, node):
        return self._arithmetic(node, lambda a, b: a - b)

    def _ArithmeticExpression(self, node):
        # Division and powers would need Decimal arithmetic to match rule-engine.
        if node.type != "mul":
            raise ExpressionError(f"uses the operator {node.type!r}; only + - * are supported")
        return self._arithmetic(node, lambda a, b: a * b)

    def _arithmetic(self, node, op):
        for side in (node.left, node.right):
            if DataType.NULLABLE.unwrap(side.result_type) != DataType.FLOAT:
                raise ExpressionError("arithmetic is supported on numbers only")
        left, right = self.node(node.left), self.node(node.right)
        return lambda ctx: op(left(ctx), right(ctx))

    def _ContainsExpression(self, node):
        container_type = DataType.NULLABLE.unwrap(node.container.result_type)
        if not DataType.is_type(container_type, DataType.ARRAY):
            raise ExpressionError("'in' is supported on lists only")
        self._check_options(node.member, node.container)
        self._check_options(node.container, node.member)
        container = self.node(node.container)
        member = self.node(node.member)
        if (
            isinstance(node.container, re_ast.ArrayExpression)
            and isinstance(node.member, re_ast.SymbolExpression)
            and all(isinstance(value, re_ast.StringExpression) for value in node.container.value)
        ):
            # `item in ['a', 'b']`: strings hash and compare only with strings, so a
            # set lookup guarded by a type check is exact.
            lookup = frozenset(value.value for value in node.container.value)
            name = node.member.name
            return lambda ctx: (value := ctx[name]).__class__ is str and value in lookup
        return lambda ctx: member(ctx) in container(ctx)

    # --- helpers --------------------------------------------------------------
    def _fast_equality(self, symbol, literal):
        """`item == 'option'`: a plain dict read and compare is exact when the
        literal is a string (str equals only str)."""
        if isinstance(symbol, re_ast.SymbolExpression) and isinstance(literal, re_ast.StringExpression):
            self._SymbolExpression(symbol)
            return symbol.name, literal.value
        return None

    def _check_options(self, symbol, literal):
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
