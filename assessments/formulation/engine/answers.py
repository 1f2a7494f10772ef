"""Answer-set validation and the request envelope shared by every door.

An answer set is refused as a whole: one bad answer and nothing is formulated. The
fast path checks every answer inline with no per-item calls (it runs on every
formulation); only when something is wrong does the slow path build the plain-English
message for each offending item.
"""

import re
from typing import Any, TypeAlias

from .errors import AnswerError
from .records import NONE_OPTION, SCALE_MAX, Item

SINGLE, MULTI, NUMBER, TEXT = 0, 1, 2, 3
_KINDS = {"single": SINGLE, "multi": MULTI, "scale": NUMBER, "integer": NUMBER, "text": TEXT}
_QUESTION_SET = re.compile(r"([a-z][a-z0-9_]{0,63})(?:@([1-9][0-9]{0,8}))?")
_NOTHING: frozenset[object] = frozenset()
# (kind, allowed option codes, low, high, max text length)
Spec: TypeAlias = tuple[int, frozenset[str], int, int, int]


class AnswerChecker:
    def __init__(self, items: dict[str, Item], reference: str):
        self.reference = reference
        # code -> (kind, allowed option codes, low, high, max text length); a tuple
        # unpack is the cheapest per-answer lookup Python offers.
        self.specs: dict[str, Spec] = {}
        # The fast path's tables: a single item's options, a number item's range. A
        # text value is checked against the first, a whole number against the second.
        self.options: dict[str, frozenset[str]] = {}
        self.ranges: dict[str, range] = {}
        for code, item in items.items():
            # Bounds matter for numbers only; every integer item has both (definition.py).
            low, high = (0, SCALE_MAX) if item.type == "scale" else (item.minimum or 0, item.maximum or 0)
            kind = _KINDS[item.type]
            self.specs[code] = (kind, frozenset(item.option_codes), low, high, item.max_length)
            if kind == SINGLE:
                self.options[code] = frozenset(item.option_codes)
            elif kind == NUMBER:
                self.ranges[code] = range(low, high + 1)

    def answered(self, answers: object) -> dict[str, Any] | None:
        """The answered items ({code: value}, nulls dropped) if every answer is
        valid, else None. One pass serves both jobs, since it runs on every call."""
        if type(answers) is not dict:
            return None
        specs, options, ranges = self.specs, self.options, self.ranges
        nulls = False
        for code, value in answers.items():
            # Most answers are an option code or a rating: one lookup each. The class
            # test comes first, so a list (unhashable) never meets a set, and a bool
            # or a float equal to a whole number (True == 1, 2.0 == 2) is never taken
            # for one. Anything else, refusals included, takes the full check below.
            value_type = value.__class__
            if value_type is str:
                if value in options.get(code, _NOTHING):
                    continue
            elif value_type is int:
                if value in ranges.get(code, _NOTHING):
                    continue
            spec = specs.get(code)
            if spec is None:
                return None
            if value is None:
                nulls = True
                continue
            kind, allowed, _, _, length = spec
            if kind == MULTI:
                if not _multi_ok(value, allowed):
                    return None
            elif kind != TEXT or value_type is not str or len(value) > length or not storable_text(value):
                return None
        answered = answers.copy()
        if nulls:  # a null is an unanswered item: dropped
            for code in [code for code, value in answered.items() if value is None]:
                del answered[code]
        return answered

    def errors(self, answers: object) -> dict[str, str]:
        """Every offending code mapped to a plain-English message; {} when valid."""
        if not isinstance(answers, dict):
            return {"answers": "answers: must be an object mapping item codes to answers"}
        errors: dict[str, str] = {}
        for code, value in answers.items():
            spec = self.specs.get(code) if isinstance(code, str) else None
            if spec is None:
                errors[str(code)] = f"{code}: is not an item of {self.reference}"
            elif value is not None:
                problem = _problem(spec, value)
                if problem:
                    errors[code] = f"{code}: {problem}"
        return errors

    def check(self, answers: object) -> dict[str, Any]:
        """The answered items, or AnswerError naming every refused answer."""
        answered = self.answered(answers)
        if answered is None:
            raise AnswerError(self.errors(answers))
        return answered


def _multi_ok(value: Any, allowed: frozenset[str]) -> bool:
    if type(value) is not list and type(value) is not tuple:
        return False
    try:
        chosen = set(value)
    except TypeError:  # an unhashable element (a list, a dict) is simply invalid
        return False
    # Every option code is a str, so `chosen <= allowed` also proves each element is
    # text; equal lengths prove there were no duplicates.
    return len(chosen) == len(value) and chosen <= allowed and (NONE_OPTION not in chosen or len(chosen) == 1)


def _problem(spec: Spec, value: object) -> str | None:
    kind, allowed, low, high, length = spec
    choices = ", ".join(sorted(allowed))
    if kind == SINGLE:
        if isinstance(value, (list, tuple)):
            return f"expects one option, not a list (choose one of: {choices})"
        if type(value) is not str or value not in allowed:
            return f"{_show(value)} is not an option (choose one of: {choices})"
    elif kind == NUMBER:
        if isinstance(value, (list, tuple)):
            return f"expects one whole number from {low} to {high}, not a list"
        if type(value) is not int or not low <= value <= high:
            return f"must be a whole number from {low} to {high}"
    elif kind == MULTI:
        return _multi_problem(value, allowed, choices)
    elif type(value) is not str:
        return "must be text"
    elif len(value) > length:
        return f"must be at most {length} characters"
    elif not storable_text(value):
        return "must not contain NUL or unpaired surrogate characters"
    return None


def storable_text(text: str) -> bool:
    """Text a database and UTF-8 can hold: no NUL (PostgreSQL refuses it) and no lone
    surrogate (which JSON escapes such as \\ud800 can produce but UTF-8 cannot encode)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _multi_problem(value: object, allowed: frozenset[str], choices: str) -> str | None:
    if type(value) is not list and type(value) is not tuple:
        return f"expects a list of options, not a single value (choose from: {choices})"
    seen: set[str] = set()
    for code in value:
        if type(code) is not str or code not in allowed:
            return f"{_show(code)} is not an option (choose from: {choices})"
        if code in seen:
            return f"lists {code!r} more than once"
        seen.add(code)
    if NONE_OPTION in seen and len(seen) > 1:
        return f"{NONE_OPTION!r} cannot be combined with other options"
    return None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_request(payload: object) -> tuple[str, int | None, dict[str, Any]]:
    """Decode the body every door accepts: `{"answers": {...}, "question_set": "cadi" |
    "cadi@1"}`. Other top-level keys are ignored. Returns (slug, version or None for
    "the newest published", answers); the default slug is "cadi". Raises AnswerError
    naming "answers" or "question_set" when the envelope itself is wrong."""
    if not isinstance(payload, dict):
        raise AnswerError({"answers": 'answers: the body must be a JSON object like {"answers": {...}}'})
    answers = payload.get("answers")
    if not isinstance(answers, dict):
        problem = (
            "is missing" if "answers" not in payload else "must be an object mapping item codes to answers"
        )
        raise AnswerError({"answers": f"answers: {problem}"})
    reference = payload.get("question_set", "cadi")
    match = _QUESTION_SET.fullmatch(reference) if isinstance(reference, str) else None
    if match is None:
        raise AnswerError({"question_set": 'question_set: must be a slug such as "cadi" or "cadi@1"'})
    version = int(match.group(2)) if match.group(2) else None
    return match.group(1), version, answers
