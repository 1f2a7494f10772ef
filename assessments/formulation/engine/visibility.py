"""The one visibility rule for conditional items (`visible_if`), used by the form, the
checks before saving, the scorer, the FHIR export and what-if runs alike.

An item with `visible_if = (controller, "in" | "not_in", values)` is shown when the
controller's answer is (or is not) one of `values`. A hidden item counts as
unanswered: a stale value left behind in a form must not drive the formulation.
"""

from collections.abc import Iterable, Mapping
from typing import Any

Condition = tuple[str, str, frozenset[str]]


def is_shown(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Whether an item with this condition is shown, given the answers so far. Only a
    text answer can match (a malformed list or number never shows an item)."""
    if condition is None:
        return True
    controller, mode, values = condition
    answer = answers.get(controller)
    return (isinstance(answer, str) and answer in values) == (mode == "in")


def drop_hidden(conditional: Iterable[tuple[str, Condition]], answers: dict[str, Any]) -> dict[str, Any]:
    """Remove, in place and in definition order, the answers to hidden items; an item
    hidden this way also hides the items it controls. Returns `answers`."""
    for code, condition in conditional:
        if code in answers and not is_shown(condition, answers):
            del answers[code]
    return answers
