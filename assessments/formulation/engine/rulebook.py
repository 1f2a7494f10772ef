"""Read the rule book of a definition: compound rules, flags, recommendations, test cases."""

from collections.abc import Mapping, Set
from typing import Any

from .checks import Checks
from .records import (
    CONFIDENCE_LEVELS,
    DIRECTIONS,
    FLAG_KEYS,
    FOCUS_KEYS,
    FOCUS_SLOT,
    KNOWN_FLAGS,
    RULE_KEYS,
    CompoundRule,
    DefinitionTestCase,
    Flag,
    Recommendation,
)


class RulebookReader(Checks):
    def rules(self, raw: object, flag_codes: Set[str]) -> tuple[CompoundRule, ...]:
        if not isinstance(raw, list):
            self.fail("rules", "must be a list")
            return ()
        rules = []
        for rule_data in raw:
            data = self.mapping(rule_data, "rule", RULE_KEYS)
            rule_id = self.rule_id(data.get("id"), "rule")
            at = f"rule {rule_id}"
            direction, flag = data.get("direction"), data.get("flag")
            weight: float = 0
            if direction == "flag":
                if flag not in flag_codes:
                    self.fail(at, f"raises {flag!r}, which is not a flag of this definition")
                if "weight" in data:
                    self.fail(at, "a flag rule carries no weight")
            elif direction in DIRECTIONS:
                weight = self.number(data.get("weight"), f"{at}.weight")
                if flag is not None:
                    self.fail(at, "only flag rules raise a flag")
            else:
                self.fail(at, "direction must be craving, anxiety or flag")
            when = data.get("when")
            if not isinstance(when, str) or not when.strip():
                self.fail(at, "needs a 'when' expression")
            rules.append(
                CompoundRule(
                    rule_id,
                    str(when),
                    str(direction),
                    weight,
                    flag,
                    self.text(data.get("label"), f"{at}.label"),
                    self.rationale(data.get("rationale"), at),
                )
            )
        return tuple(rules)

    def flags(self, raw: object) -> dict[str, Flag]:
        flags: dict[str, Flag] = {}
        for flag_data in raw if isinstance(raw, list) else [None]:
            data = self.mapping(flag_data, "flag", FLAG_KEYS)
            code = data.get("code")
            if code not in KNOWN_FLAGS or code in flags:
                self.fail(
                    f"flag {code}", f"must be a distinct flag of the contract ({', '.join(KNOWN_FLAGS)})"
                )
                continue
            supersedes = data.get("supersedes", [])
            if not isinstance(supersedes, list) or any(other not in KNOWN_FLAGS for other in supersedes):
                self.fail(f"flag {code}.supersedes", "must list contract flags")
                supersedes = []
            flags[code] = Flag(
                code,
                self.text(data.get("label"), f"flag {code}.label"),
                self.recommendation(data.get("recommendation"), f"flag {code}.recommendation"),
                tuple(supersedes),
                self.flag_bool(data.get("lowers_confidence"), f"flag {code}"),
                self.ceiling(data.get("confidence_at_most"), f"flag {code}.confidence_at_most"),
            )
        return flags

    def ceiling(self, raw: object, where: str) -> str | None:
        if raw is None or (isinstance(raw, str) and raw in CONFIDENCE_LEVELS[:-1]):
            return raw
        self.fail(where, f"must be one of {', '.join(CONFIDENCE_LEVELS[:-1])}")
        return None

    def recommendation_order(self, raw: object, flags: Mapping[str, Flag]) -> tuple[str, ...] | None:
        """Every flag of the definition and the focus slot, each exactly once."""
        if raw is None:
            return None
        expected = {*flags, FOCUS_SLOT}
        if (
            not isinstance(raw, list)
            or not all(isinstance(code, str) for code in raw)
            or len(raw) != len(set(raw))
            or set(raw) != expected
        ):
            self.fail(
                "recommendation_order",
                f"must list every flag of this definition and {FOCUS_SLOT!r}, each once",
            )
            return None
        return tuple(raw)

    def recommendation(self, raw: object, where: str) -> Recommendation:
        data = self.mapping(raw, where, {"code", "text"})
        return Recommendation(
            self.code(data.get("code"), where), self.text(data.get("text"), f"{where}.text")
        )

    def focus(self, raw: object) -> dict[str, Recommendation]:
        data = self.mapping(raw, "recommendations", set(FOCUS_KEYS))
        for key in FOCUS_KEYS:
            if key not in data:
                self.fail("recommendations", f"needs a {key!r} recommendation")
        return {
            key: self.recommendation(data[key], f"recommendations.{key}") for key in FOCUS_KEYS if key in data
        }

    def test_cases(self, raw: object) -> tuple[DefinitionTestCase, ...]:
        # Not a list: one None case, refused below like any malformed case.
        cases: list[Any] = raw if isinstance(raw, list) else [None]
        for case in cases:
            if (
                not isinstance(case, dict)
                or not isinstance(case.get("id"), str)
                or not isinstance(case.get("answers"), dict)
                or not isinstance(case.get("expect"), dict)
            ):
                self.fail("test_cases", "each test case needs an id, an answers object and an expect object")
        return tuple(cases)
