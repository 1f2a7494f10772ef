"""Small structural checks that collect problems instead of raising at the first."""

from collections.abc import Set
from typing import Any, Literal, overload

from .records import CODE, MAX_WEIGHT, Localized


class Checks:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.languages: tuple[str, ...] = ("en",)
        self.rule_ids: set[str] = set()

    def fail(self, where: str, problem: str) -> None:
        self.errors.append(f"{where}: {problem}")

    # `value` arguments are decoded JSON not yet checked, hence `object`.
    def mapping(self, value: object, where: str, allowed: Set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "must be an object")
            return {}
        for key in sorted(set(value) - allowed, key=str):
            self.fail(where, f"unknown key {key!r}")
        return value

    def code(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not CODE.match(value):
            self.fail(where, f"code {value!r} must be lower-case letters, digits and _")
            return str(value)
        return value

    # A dict of texts, or None: not required and absent, or refused (the failure is
    # recorded and the whole definition is then refused, so None never reaches a reader).
    # Hence a required text is typed as always given.
    @overload
    def text(self, value: object, where: str, required: Literal[True] = True) -> Localized: ...
    @overload
    def text(self, value: object, where: str, required: bool) -> Localized | None: ...
    def text(self, value: object, where: str, required: bool = True) -> Localized | None:
        if value is None and not required:
            return None
        if not isinstance(value, dict) or set(value) != set(self.languages):
            self.fail(where, f"must give a text for exactly these languages: {', '.join(self.languages)}")
            return None
        for lang, text in value.items():
            if not isinstance(text, str) or not text.strip():
                self.fail(where, f"the {lang} text must be non-empty")
        return dict(value)

    def number(self, value: object, where: str, default: float | None = None) -> float:
        if value is None and default is not None:
            return default
        # Exactly int or float: True and False are ints to Python, but not weights.
        if (
            (type(value) is not int and type(value) is not float)
            or value < 0
            or value != value
            or value > MAX_WEIGHT
        ):
            self.fail(where, f"must be a number from 0 to {MAX_WEIGHT}")
            return 0
        return value

    def whole(self, value: object, where: str, low: int = 0, high: int = 1_000_000) -> int:
        if type(value) is not int or not low <= value <= high:
            self.fail(where, f"must be a whole number from {low} to {high}")
            return low
        return value

    def flag_bool(self, value: object, where: str, default: bool = False) -> bool:
        if value is None:
            return default
        if type(value) is not bool:
            self.fail(where, "must be true or false")
        return bool(value)

    def rationale(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "needs a short rationale")
            return ""
        return value

    def rule_id(self, value: object, where: str) -> str:
        rule_id = self.code(value, where)
        if rule_id in self.rule_ids:
            self.fail(where, f"duplicate rule id {rule_id!r}")
        self.rule_ids.add(rule_id)
        return rule_id
