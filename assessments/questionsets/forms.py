"""Forms for editing a draft. They only clean input and turn it into the pieces of a
definition document; whether the document is valid is the engine's decision."""

import json

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from assessments.formulation.engine.records import (
    DOMINANT_STATES,
    ITEM_TYPES,
    KNOWN_FLAGS,
    MAX_WEIGHT,
    SCALE_MAX,
)

from .vocabulary import dominant_label, flag_label

LANGUAGE_NAMES = {"en": _("English"), "pl": _("Polish")}
DIRECTION_CHOICES = [("craving", _("Craving")), ("anxiety", _("Anxiety"))]


# Integer items (days, counts) answer within these bounds at most.
INTEGER_LIMIT = 100_000
WEIGHT_ERRORS = {
    "min_value": _("A weight cannot be below 0."),
    "max_value": _("A weight is at most %(limit_value)s (the strongest cadi weight is 3.5)."),
    "invalid": _("Give a number, e.g. 0.5 or 2."),
}


def _weight_field(label, **kwargs) -> forms.FloatField:
    return forms.FloatField(
        label=label, min_value=0, max_value=MAX_WEIGHT, error_messages=WEIGHT_ERRORS, **kwargs
    )


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _number(value):
    """3.0 → 3: the stored document stays as an author would write it."""
    return int(value) if value is not None and float(value).is_integer() else value


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    # Choices that depend on the version being edited are set per form.
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class TextsMixin(forms.Form):
    """One field per language for each multilingual text; the languages a version
    does not list are left out of the form."""

    def add_texts(self, name: str, label, languages, *, required: bool, widget=None):
        for language in languages:
            self.fields[f"{name}_{language}"] = forms.CharField(
                label=f"{label} ({LANGUAGE_NAMES.get(language, language)})",
                required=required and language == "en",
                widget=widget or forms.TextInput,
            )

    def texts(self, name: str, languages) -> dict | None:
        values = {
            language: (self.cleaned_data.get(f"{name}_{language}") or "").strip() for language in languages
        }
        # A blank translation is left out, so the engine names the text that lacks it.
        values = {language: text for language, text in values.items() if text}
        return values or None

    @staticmethod
    def initial_texts(name: str, texts: dict | None) -> dict:
        return {f"{name}_{language}": text for language, text in (texts or {}).items()}


class ItemForm(TextsMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code"), help_text=_("Lower-case letters, digits and _; answers are stored by it.")
    )
    type = forms.ChoiceField(label=_("Type"), choices=[(t, t) for t in ITEM_TYPES])
    section = forms.ChoiceField(label=_("Section"))
    core = forms.BooleanField(label=_("Core item (counts for completeness)"), required=False)
    required = forms.BooleanField(
        label=_("Required (must be answered before an interview can be finalized)"), required=False
    )
    minimum = forms.IntegerField(
        label=_("Minimum (integer items)"), required=False, min_value=0, max_value=INTEGER_LIMIT
    )
    maximum = forms.IntegerField(
        label=_("Maximum (integer items)"), required=False, min_value=0, max_value=INTEGER_LIMIT
    )
    scale_craving = forms.CharField(
        label=_("Scale weights for craving, points 0-4"), required=False, help_text=_("e.g. 0, 0.5, 1, 2, 3")
    )
    scale_anxiety = forms.CharField(label=_("Scale weights for anxiety, points 0-4"), required=False)
    rationale = forms.CharField(label=_("Rationale of the scale weights"), required=False)
    visible_item = forms.ChoiceField(label=_("Show only when item"), required=False)
    visible_mode = forms.ChoiceField(
        label=_("Condition"), choices=[("in", _("is one of")), ("not_in", _("is not one of"))], required=False
    )
    visible_values = forms.CharField(
        label=_("Option codes"), required=False, help_text=_("Comma-separated option codes of that item.")
    )

    def __init__(self, *args, definition: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = definition.get("languages", ["en"])
        _choice_field(self, "section").choices = [
            (s["code"], s["code"]) for s in definition.get("sections", [])
        ]
        singles = [
            i["code"]
            for s in definition.get("sections", [])
            for i in s.get("items", [])
            if i.get("type") == "single"
        ]
        _choice_field(self, "visible_item").choices = [("", "—"), *[(code, code) for code in singles]]
        self.add_texts(
            "text", _("Question"), self.languages, required=True, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.add_texts("help", _("Help text"), self.languages, required=False)
        self.add_texts(
            "evidence_label", _("Evidence label of the scale weights"), self.languages, required=False
        )
        self.helper = _helper()

    @classmethod
    def initial_for(cls, item: dict, section_code: str) -> dict:
        initial = {
            "code": item.get("code"),
            "type": item.get("type"),
            "section": section_code,
            "core": item.get("core", False),
            "required": item.get("required", False),
            "minimum": item.get("min"),
            "maximum": item.get("max"),
            "rationale": item.get("rationale") if item.get("weights") else "",
        }
        for direction, weights in (item.get("weights") or {}).items():
            initial[f"scale_{direction}"] = ", ".join(str(w) for w in weights)
        condition = item.get("visible_if") or {}
        mode = "in" if "in" in condition else "not_in"
        initial.update(visible_item=condition.get("item", ""), visible_mode=mode)
        initial["visible_values"] = ", ".join(condition.get(mode, []))
        for name in ("text", "help"):
            initial.update(cls.initial_texts(name, item.get(name)))
        if item.get("weights"):
            initial.update(cls.initial_texts("evidence_label", item.get("evidence_label")))
        return initial

    def _weights(self, name: str):
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        try:
            values = [_number(float(part)) for part in raw.replace(";", ",").split(",")]
        except ValueError:
            self.add_error(name, _("Give numbers separated by commas."))
            return None
        if len(values) != SCALE_MAX + 1:
            self.add_error(name, _("Give one weight for each point from 0 to 4."))
        elif any(not 0 <= value <= MAX_WEIGHT for value in values):
            self.add_error(name, _("Each weight is from 0 to %(limit)s.") % {"limit": MAX_WEIGHT})
        elif any(after < before for before, after in zip(values, values[1:], strict=False)) or values[0]:
            self.add_error(name, _("Start at 0 and never fall as the scale rises."))
        return values

    def clean(self):
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and high < low:
            self.add_error("maximum", _("The maximum must not be below the minimum."))
        return cleaned

    def item(self, *, existing: dict | None, options: list | None) -> dict:
        """The item as the definition stores it. Keys this form does not manage
        (breadth rules, anchors, max length) are kept from the existing item."""
        data = self.cleaned_data
        item = {k: v for k, v in (existing or {}).items() if k in ("breadth", "anchors", "max_length")}
        item.update(code=data["code"], type=data["type"], text=self.texts("text", self.languages))
        for key, value in (
            ("help", self.texts("help", self.languages)),
            ("core", data["core"] or None),
            ("required", data["required"] or None),
        ):
            if value:
                item[key] = value
        if options:
            item["options"] = options
        if data["minimum"] is not None or data["maximum"] is not None:
            item["min"], item["max"] = data["minimum"], data["maximum"]
        weights = {d: w for d in ("craving", "anxiety") if (w := self._weights(f"scale_{d}")) is not None}
        if weights:
            item["weights"] = weights
            item["evidence_label"] = self.texts("evidence_label", self.languages)
            item["rationale"] = data["rationale"]
        if data["visible_item"]:
            values = [v.strip() for v in data["visible_values"].split(",") if v.strip()]
            item["visible_if"] = {"item": data["visible_item"], data["visible_mode"] or "in": values}
        return {key: value for key, value in item.items() if value is not None}


class OptionForm(TextsMixin, forms.Form):
    code = forms.SlugField(label=_("Option code"), required=False)
    craving = _weight_field(_("Craving weight"), required=False)
    anxiety = _weight_field(_("Anxiety weight"), required=False)
    rationale = forms.CharField(label=_("Rationale of the weights"), required=False)

    def __init__(self, *args, languages=("en",), **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.add_texts("label", _("Label"), languages, required=False)
        self.add_texts("evidence_label", _("Evidence label"), languages, required=False)

    @classmethod
    def initial_for(cls, option: dict) -> dict:
        initial = {k: option.get(k) for k in ("code", "craving", "anxiety", "rationale")}
        initial.update(cls.initial_texts("label", option.get("label")))
        initial.update(cls.initial_texts("evidence_label", option.get("evidence_label")))
        return initial

    def option(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("code") or data.get("DELETE"):
            return None
        option = {"code": data["code"], "label": self.texts("label", self.languages)}
        for direction in ("craving", "anxiety"):
            if data.get(direction):
                option[direction] = _number(data[direction])
        if data.get("craving") or data.get("anxiety"):
            option["evidence_label"] = self.texts("evidence_label", self.languages)
            option["rationale"] = data.get("rationale") or None
        return {key: value for key, value in option.items() if value is not None}


OptionFormSet = forms.formset_factory(OptionForm, extra=3, can_delete=True)


def option_formset(data=None, *, languages, options=()):
    formset = OptionFormSet(
        data,
        prefix="options",
        initial=[OptionForm.initial_for(o) for o in options],
        form_kwargs={"languages": languages},
    )
    return formset


class RuleForm(TextsMixin, forms.Form):
    id = forms.SlugField(label=_("Rule id"))
    when = forms.CharField(
        label=_("Condition"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_(
            "An expression over item codes. An unanswered item is null, so compare numbers as "
            "(code ?? 0), e.g. (automaticity ?? 0) >= 3 and onset_pattern == 'cue_linked'."
        ),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=[*DIRECTION_CHOICES, ("flag", _("Flag"))])
    weight = _weight_field(_("Weight (craving or anxiety rules)"), required=False)
    flag = forms.ChoiceField(label=_("Flag raised (flag rules)"), required=False)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, definition: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = definition.get("languages", ["en"])
        flags = [f.get("code") for f in definition.get("flags", []) if isinstance(f, dict)]
        _choice_field(self, "flag").choices = [("", "—"), *[(code, code) for code in flags]]
        self.add_texts("label", _("Label"), self.languages, required=True)
        self.helper = _helper()

    @classmethod
    def initial_for(cls, rule: dict) -> dict:
        initial = {k: rule.get(k) for k in ("id", "when", "direction", "weight", "flag", "rationale")}
        initial.update(cls.initial_texts("label", rule.get("label")))
        return initial

    def rule(self) -> dict:
        data = self.cleaned_data
        rule = {"id": data["id"], "when": data["when"].strip(), "direction": data["direction"]}
        if data["direction"] == "flag":
            rule["flag"] = data["flag"] or None
        else:
            rule["weight"] = _number(data["weight"])
        rule.update(label=self.texts("label", self.languages), rationale=data["rationale"].strip())
        return {key: value for key, value in rule.items() if value is not None}


class TestCaseForm(forms.Form):
    id = forms.RegexField(
        label=_("Case id"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
        help_text=_("Letters, digits, - and _."),
    )
    story = forms.CharField(label=_("Story"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    answers_source = forms.ChoiceField(
        label=_("Take the answers from"),
        choices=[("widgets", _("the interview questions below")), ("json", _("the raw JSON below"))],
        initial="widgets",
        widget=forms.RadioSelect,
        required=False,
    )
    answers = forms.CharField(
        label=_("Answers as raw JSON (item code → answer)"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
        required=False,
    )
    dominant = forms.MultipleChoiceField(
        label=_("Expected dominant mechanism (any of)"),
        choices=[(d, lazy(dominant_label, str)(d)) for d in DOMINANT_STATES],
        widget=forms.CheckboxSelectMultiple,
    )
    flags_include = forms.MultipleChoiceField(
        label=_("Flags that must be raised"),
        choices=[(f, lazy(flag_label, str)(f)) for f in KNOWN_FLAGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    flags_exclude = forms.MultipleChoiceField(
        label=_("Flags that must not be raised"),
        choices=[(f, lazy(flag_label, str)(f)) for f in KNOWN_FLAGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @classmethod
    def initial_for(cls, case: dict) -> dict:
        expect = case.get("expect", {})
        return {
            "id": case.get("id"),
            "story": case.get("story", ""),
            "answers": json.dumps(case.get("answers", {}), indent=2, ensure_ascii=False),
            "dominant": expect.get("dominant", []),
            "flags_include": expect.get("flags_include", []),
            "flags_exclude": expect.get("flags_exclude", []),
        }

    def source(self) -> str:
        """Where the answers come from; a post that names no source but brings JSON
        (a script, an older page) means the JSON."""
        chosen = self.data.get(self.add_prefix("answers_source"))
        if chosen in ("widgets", "json"):
            return chosen
        return "json" if (self.data.get(self.add_prefix("answers")) or "").strip() else "widgets"

    def clean_answers(self):
        if self.source() != "json":
            return None  # taken from the interview widgets by the view
        try:
            answers = json.loads(self.cleaned_data["answers"] or "")
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(problem)s") % {"problem": exc.msg}) from None
        if not isinstance(answers, dict):
            raise forms.ValidationError(_("Give a JSON object mapping item codes to answers."))
        return answers

    def case(self, *, answers: dict | None = None) -> dict:
        """The test case; `answers` (from the interview widgets) replaces the raw JSON."""
        data = {**self.cleaned_data, **({"answers": answers} if answers is not None else {})}
        expect = {"dominant": data["dominant"]}
        for key in ("flags_include", "flags_exclude"):
            if data[key]:
                expect[key] = data[key]
        case = {
            "id": data["id"],
            "story": data["story"].strip(),
            "answers": data["answers"],
            "expect": expect,
        }
        return {key: value for key, value in case.items() if value != ""}


class DefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("Definition (JSON)"), widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace"})
    )

    def clean_definition(self):
        try:
            definition = json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(column)s): %(problem)s")
                % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg}
            ) from None
        if not isinstance(definition, dict):
            raise forms.ValidationError(_("The top level must be a JSON object."))
        return definition


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Definition file (JSON)"))


class SignatureForm(forms.Form):
    """The admin's password as the signature of a publish or a retire."""

    texts_confirmed = forms.BooleanField(
        label=_("I have read the texts that still need review and publish them as they are"),
        required=False,
    )

    password = forms.CharField(
        label=_("Your password (your signature)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to sign; nothing was changed.")},
    )
