"""The form for answering a question-set version, built at run time from the stored
version (used by interviews and by the question-set test-case editor).

The form only collects and converts input; validation is the engine's, so the
browser shows exactly the messages the command line and the API give.
"""

import re
import threading
from typing import Any

from cachetools import LRUCache, cached
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.core.errors import reject_control_characters
from assessments.core.texts import current_language, localized
from assessments.formulation.engine.records import NONE_OPTION, SCALE_MAX

from .answer_layout import InterviewLayout, build_layout

WHOLE_NUMBER = re.compile(r"^-?\d+$")
NONE_OF_THESE = "__none_of_these__"


class LooseMultipleField(forms.Field):
    """Checkboxes whose values are checked by the engine, not by Django."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if value in (None, ""):
            return []
        return list(value) if isinstance(value, list | tuple) else [value]


def _field(item, definition, language: str) -> forms.Field:
    label = localized(item.text, language)
    # Required for finalizing only (clinical spec 6.1): drafts may leave it blank, so
    # the Django field is never `required`; the mark is in the label and aria-required.
    marked = getattr(item, "required", False)
    if marked:
        with translation.override(language):
            word = gettext("required")
        label = f"{label} ({word})"
    help_text = localized(item.help, language)
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    aria = {"aria-required": "true"} if marked else {}
    choices: list[tuple[str, Any]]
    if item.type == "single":
        choices = [(o.code, localized(o.label, language)) for o in item.options]
        return forms.CharField(widget=forms.RadioSelect(choices=choices, attrs=aria), **common)
    if item.type == "multi":
        choices = [(o.code, localized(o.label, language)) for o in item.options]
        if "none" not in item.option_codes:
            # Without this a clinician could not record "asked, none present" (an
            # answered empty list): no boxes ticked means "not asked yet".
            choices.append((NONE_OF_THESE, _("None of these")))
        return LooseMultipleField(widget=forms.CheckboxSelectMultiple(choices=choices, attrs=aria), **common)
    if item.type == "scale":
        anchors = item.anchors or definition.scale_anchors or {}
        choices = [
            (str(v), f"{v} · {localized(anchors.get(str(v)), language)}") for v in range(SCALE_MAX + 1)
        ]
        widget = forms.RadioSelect(choices=choices, attrs={"class": "scale", **aria})
        return forms.CharField(widget=widget, **common)
    if item.type == "integer":
        attrs = {"min": item.minimum, "max": item.maximum, "inputmode": "numeric", **aria}
        return forms.CharField(widget=forms.NumberInput(attrs=attrs), **common)
    # No maxlength attribute: the browser would cut a pasted text silently. The limit is
    # shown by a counter (interview.js, from data-max-length) and enforced here.
    attrs = {"rows": 3, "data-max-length": item.max_length, "aria-describedby": f"count-{item.code}", **aria}
    return forms.CharField(
        widget=forms.Textarea(attrs=attrs),
        validators=[MaxLengthValidator(item.max_length), reject_control_characters],
        **common,
    )


# Form classes and layouts are built once per (version, language), not per request.
# Shared by the threads of a gunicorn worker and keyed by every draft edit, so it is a
# bounded LRU behind a lock (cachetools), like the compiled-version cache.
FORM_CACHE_SIZE = 64
_form_cache: LRUCache = LRUCache(maxsize=FORM_CACHE_SIZE)


def _form_key(*, version, compiled, language: str) -> tuple:
    return (version.pk, version.updated_at.isoformat(), language)


@cached(_form_cache, key=_form_key, lock=threading.Lock())
def interview_form_class(*, version, compiled, language: str) -> tuple[type, InterviewLayout]:
    definition = compiled.definition
    fields = {code: _field(item, definition, language) for code, item in definition.items.items()}
    texts = {code: localized(item.text, language) for code, item in definition.items.items()}
    form_class = type(
        "InterviewForm", (InterviewForm,), {**fields, "item_types": _types(definition), "item_texts": texts}
    )
    return form_class, build_layout(definition, form_class, language)


def form_cache_size() -> int:
    return len(_form_cache)


def form_cache_clear() -> None:
    interview_form_class.cache_clear()


def _types(definition) -> dict:
    return {code: item.type for code, item in definition.items.items()}


class InterviewForm(forms.Form):
    item_types: dict = {}
    # Each question's own text in the form's language (the label may add "(required)").
    item_texts: dict = {}

    def input_errors(self) -> dict[str, str]:
        """Input Django itself refuses before the engine sees it (a NUL character in a
        note): item code -> message. A refused field is missing from cleaned_data, so
        saving without looking here would erase the stored answer and claim success."""
        return {
            code: _("%(field)s: %(errors)s")
            % {"field": self.fields[code].label, "errors": " ".join(str(e) for e in errors)}
            for code, errors in self.errors.items()
            if code in self.item_types
        }

    def answers(self) -> dict:
        """Convert the posted values into an answer set; blanks are unanswered."""
        answers = {}
        for code, kind in self.item_types.items():
            value: Any = self.cleaned_data.get(code)
            if value in (None, "", []):
                continue
            if kind in ("scale", "integer"):
                value = int(value) if WHOLE_NUMBER.match(str(value).strip()) else str(value)
            elif kind == "multi" and NONE_OF_THESE in value:
                # Ticked together with real options: the options the clinician ticked win.
                value = [v for v in value if v != NONE_OF_THESE]
            answers[code] = value
        return answers


def readable_answer_errors(*, compiled, answers: dict, errors: dict[str, str]) -> dict[str, str]:
    """The engine's refusals as the clinician reads them: the question's own text, then
    what to do, in the page's language. The engine names items by code, in English,
    which is the API's contract (clinical spec, section 4) but not a clinician's."""
    language = current_language()
    readable = {}
    for code, message in errors.items():
        item = compiled.definition.items.get(code)
        if item is None:
            readable[code] = message
            continue
        readable[code] = gettext("%(field)s: %(errors)s") % {
            "field": localized(item.text, language),
            "errors": _what_to_do(item, answers.get(code), language),
        }
    return readable


def _what_to_do(item, value, language: str) -> str:
    if item.type == "integer":
        return gettext("enter a whole number from %(low)s to %(high)s.") % {
            "low": item.minimum,
            "high": item.maximum,
        }
    if item.type == "scale":
        return gettext("choose a value from 0 to %(high)s.") % {"high": SCALE_MAX}
    if item.type == "single":
        return gettext("choose one of the options shown.")
    if item.type == "multi":
        if isinstance(value, list) and NONE_OPTION in value and len(value) > 1:
            none = next((o for o in item.options if o.code == NONE_OPTION), None)
            if none is not None:
                return gettext("“%(none)s” cannot be ticked together with other options.") % {
                    "none": localized(none.label, language)
                }
        return gettext("tick only the options shown.")
    return gettext("this answer cannot be stored; please write it again.")


def initial_from_answers(answers: dict) -> dict:
    def shown(value):
        if isinstance(value, int):
            return str(value)
        return [NONE_OF_THESE] if value == [] else value

    return {code: shown(value) for code, value in answers.items()}
