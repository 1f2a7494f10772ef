"""What changed between two versions: items, weights, rules, test cases.

Weights are compared through the engine's rule catalogue, so an option weight, a
scale weight, a breadth band and a compound rule are all named the way a
formulation names the rule that fired (e.g. `onset_pattern.cue_linked.craving`).
"""

from dataclasses import dataclass, field

from assessments.formulation.engine import CompiledQuestionSet

from .translations import text_changes

ITEM_FIELDS = ("type", "section", "core", "text", "help", "minimum", "maximum", "visible_if", "anchors")
RULE_FIELDS = ("when", "direction", "weight", "flag", "label", "rationale")


@dataclass
class VersionDiff:
    items_added: list = field(default_factory=list)
    items_removed: list = field(default_factory=list)
    items_changed: list = field(default_factory=list)  # [{code, fields, options_added, options_removed}]
    items_moved: list = field(default_factory=list)
    weights_added: list = field(default_factory=list)  # [{id, direction, weight}]
    weights_removed: list = field(default_factory=list)
    weights_changed: list = field(default_factory=list)  # [{id, direction, before, after}]
    rules_changed: list = field(default_factory=list)  # [{id, fields, changes: [{field, before, after}]}]
    # Every text, per language, old beside new: [{where, language, before, after}].
    texts_changed: list = field(default_factory=list)
    test_cases_added: list = field(default_factory=list)
    test_cases_removed: list = field(default_factory=list)
    test_cases_changed: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def version_diff(
    old: CompiledQuestionSet,
    new: CompiledQuestionSet,
    *,
    old_definition: dict | None = None,
    new_definition: dict | None = None,
) -> VersionDiff:
    """What changed from `old` to `new`; given the stored documents too, every changed
    text is listed per language with its old and new wording."""
    diff = VersionDiff()
    if old_definition is not None and new_definition is not None:
        diff.texts_changed = text_changes(old_definition, new_definition)
    _items(diff, old.definition.items, new.definition.items)
    _weights(diff, old.rule_catalogue(), new.rule_catalogue())
    _rules(diff, old.definition.rules, new.definition.rules)
    _test_cases(diff, old.definition.test_cases, new.definition.test_cases)
    return diff


def _items(diff: VersionDiff, old: dict, new: dict) -> None:
    diff.items_added = [code for code in new if code not in old]
    diff.items_removed = [code for code in old if code not in new]
    for code in (code for code in new if code in old):
        before, after = old[code], new[code]
        fields = [name for name in ITEM_FIELDS if getattr(before, name) != getattr(after, name)]
        old_options = {option.code: option for option in before.options}
        new_options = {option.code: option for option in after.options}
        relabelled = [
            code
            for code in new_options
            if code in old_options and new_options[code].label != old_options[code].label
        ]
        entry = {
            "code": code,
            "fields": fields,
            "options_added": [c for c in new_options if c not in old_options],
            "options_removed": [c for c in old_options if c not in new_options],
            "options_relabelled": relabelled,
        }
        if fields or entry["options_added"] or entry["options_removed"] or relabelled:
            diff.items_changed.append(entry)
    # Order among the items both versions have: an insertion alone moves nothing.
    position = {code: index for index, code in enumerate(code for code in old if code in new)}
    common = [code for code in new if code in old]
    diff.items_moved = [code for index, code in enumerate(common) if position[code] != index]


def _weights(diff: VersionDiff, old: dict, new: dict) -> None:
    for rule_id, entry in new.items():
        if rule_id not in old:
            diff.weights_added.append(
                {"id": rule_id, "direction": entry["direction"], "weight": entry["weight"]}
            )
        elif entry["weight"] != old[rule_id]["weight"] or entry["direction"] != old[rule_id]["direction"]:
            diff.weights_changed.append(
                {
                    "id": rule_id,
                    "direction": entry["direction"],
                    "before": old[rule_id]["weight"],
                    "after": entry["weight"],
                }
            )
    diff.weights_removed = [
        {"id": rule_id, "direction": entry["direction"], "weight": entry["weight"]}
        for rule_id, entry in old.items()
        if rule_id not in new
    ]


def _rules(diff: VersionDiff, old: tuple, new: tuple) -> None:
    before = {rule.id: rule for rule in old}
    for rule in new:
        if rule.id in before:
            fields = [name for name in RULE_FIELDS if getattr(rule, name) != getattr(before[rule.id], name)]
            if fields:
                # Labels are texts (listed per language with the other texts).
                changes = [
                    {"field": name, "before": getattr(before[rule.id], name), "after": getattr(rule, name)}
                    for name in fields
                    if name != "label"
                ]
                diff.rules_changed.append({"id": rule.id, "fields": fields, "changes": changes})


def _test_cases(diff: VersionDiff, old: tuple, new: tuple) -> None:
    before = {case["id"]: case for case in old}
    after = {case["id"]: case for case in new}
    diff.test_cases_added = [case_id for case_id in after if case_id not in before]
    diff.test_cases_removed = [case_id for case_id in before if case_id not in after]
    diff.test_cases_changed = [
        case_id for case_id in after if case_id in before and after[case_id] != before[case_id]
    ]
