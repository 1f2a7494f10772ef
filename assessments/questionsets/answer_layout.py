"""The interview's fields as HTML, built once per (question-set version, language).

Crispy rendered each of the ~35 items through its template stack on every request
(about 150 ms a page; django-crispy-forms issues #1177 and #398). The markup depends
only on the version and the language, so it is built once here into fragments, every
text escaped by format_html/flatatt (question-set texts are data, never a template);
a request only joins the fragments, marking the chosen options and filling in values,
messages and notes (an answer prefilled from the medication record, say), escaped too.
The markup is Bootstrap 5's, as crispy's was; the inputs' attributes come from the
form's widgets, so the form stays the one place that says what each input is.
"""

from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from assessments.core.texts import localized


def _attrs(widget_attrs: dict, css: str, **extra) -> str:
    """Widget attributes plus ours, one class attribute (crispy wrote two)."""
    attrs = {k: v for k, v in widget_attrs.items() if v is not None and k != "class"}
    attrs["class"] = " ".join(c for c in (css, widget_attrs.get("class", "")) if c)
    attrs.update({k: v for k, v in extra.items() if v is not None})
    return flatatt(attrs)


@dataclass(frozen=True, slots=True)
class _Choice:
    value: str
    before: str  # the input up to its closing ">", where " checked" goes
    after: str


@dataclass(frozen=True, slots=True)
class ItemLayout:
    code: str
    kind: str  # "choice", "input" or "textarea"
    head: str
    choices: tuple = ()
    foot: str = ""
    # The same head with the question also described by a note under the item (#note-<name>),
    # built here once so a request with a note only picks the other string.
    head_noted: str = ""
    note_id: str = ""

    def render(self, value, error, note=None) -> str:
        if self.kind == "choice":
            chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
            body = "".join(
                f"{c.before}{' checked' if c.value in chosen else ''}{c.after}" for c in self.choices
            )
        elif self.kind == "input":
            shown = "" if value in (None, "") else format_html(' value="{}"', value)
            body = f"{shown}>"
        else:
            body = f"{conditional_escape('' if value is None else value)}</textarea>"
        message = format_html(
            '<div id="err-{}" class="field-error text-warning-emphasis small" aria-live="polite">{}</div>',
            self.code,
            error or "",
        )
        if note:
            shown = format_html(
                '<div id="{}" class="item-note form-text text-info-emphasis">{}</div>', self.note_id, note
            )
            return f"{self.head_noted}{body}{self.foot}{shown}{message}</div>\n"
        return f"{self.head}{body}{self.foot}{message}</div>\n"


@dataclass(frozen=True, slots=True)
class SectionLayout:
    code: str
    title: str
    items: tuple

    @property
    def css_id(self) -> str:
        return f"section-{self.code}"


@dataclass(frozen=True, slots=True)
class InterviewLayout:
    sections: tuple

    def render(self, values: dict, errors: dict, notes: dict | None = None) -> SafeString:
        """`notes`: item code -> a note shown under the item and announced with it
        (escaped here like everything else)."""
        notes = notes or {}
        parts = []
        for section in self.sections:
            parts.append(
                format_html(
                    '<fieldset id="{}" class="interview-section"><legend>{}</legend>\n',
                    section.css_id,
                    section.title,
                )
            )
            parts.extend(
                item.render(values.get(item.code), errors.get(item.code), notes.get(item.code))
                for item in section.items
            )
            parts.append(mark_safe("</fieldset>\n"))  # noqa: S308 - a constant
        # Every piece above was escaped where it was made.
        return mark_safe("".join(parts))  # noqa: S308


def _item(item, field: forms.Field, prefix: str = "") -> ItemLayout:
    # `name` is what the markup carries (a prefixed form's inputs are "<prefix>-<code>");
    # `item.code` stays the key the values and messages are looked up by.
    name = f"{prefix}-{item.code}" if prefix else item.code
    block = {"id": f"item-{name}", "class": "interview-item mb-3"}
    if getattr(item, "required", False):
        block["class"] += " is-required"
    if item.visible_if:
        controller, mode, values = item.visible_if
        block.update(
            {
                "data-visible-item": f"{prefix}-{controller}" if prefix else controller,
                "data-visible-mode": mode,
                "data-visible-values": " ".join(sorted(values)),
            }
        )
    opening = format_html("<div{}>", flatatt(block))
    helptext = (
        format_html('<div id="id_{}_helptext" class="form-text">{}</div>', name, field.help_text)
        if field.help_text
        else ""
    )
    described = f"id_{name}_helptext" if field.help_text else None
    widget = field.widget
    note_id = f"note-{name}"
    # The note is read first: it says where the answer shown came from.
    noted = " ".join(filter(None, (note_id, described or widget.attrs.get("aria-describedby"))))
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        kind = "checkbox" if isinstance(widget, forms.CheckboxSelectMultiple) else "radio"

        def choice_head(described_by):
            return format_html(
                '{}<div id="div_id_{}" class="mb-3"><fieldset{}>'
                '<legend class="form-label fs-6">{}</legend><div>',
                opening,
                name,
                flatatt({"aria-describedby": described_by} if described_by else {}),
                field.label,
            )

        choices = tuple(
            _Choice(
                str(value),
                format_html(
                    '<div class="form-check"><input type="{}" name="{}" value="{}"{}',
                    kind,
                    name,
                    value,
                    _attrs(widget.attrs, "form-check-input", id=f"id_{name}_{index}"),
                ),
                format_html(
                    '><label for="id_{}_{}" class="form-check-label">{}</label></div>', name, index, label
                ),
            )
            for index, (value, label) in enumerate(widget.choices)
        )
        return ItemLayout(
            item.code,
            "choice",
            choice_head(described),
            choices,
            format_html("</div>{}</fieldset></div>", helptext),
            head_noted=choice_head(noted),
            note_id=note_id,
        )
    label = format_html(
        '{}<div id="div_id_{}" class="mb-3"><label for="id_{}" class="form-label">{}</label>',
        opening,
        name,
        name,
        field.label,
    )
    if isinstance(widget, forms.Textarea):

        def textarea_head(described_by):
            extra = {"id": f"id_{name}", "aria-describedby": described_by}
            return format_html(
                '{}<textarea name="{}"{}>',
                label,
                name,
                _attrs(widget.attrs, "textarea form-control", **extra),
            )

        # The length counter, filled in by interview.js as the clinician types.
        counter = format_html('<div id="count-{}" class="char-count small text-body-secondary"></div>', name)
        return ItemLayout(
            item.code,
            "textarea",
            textarea_head(described),
            foot=format_html("{}{}</div>", counter, helptext),
            head_noted=textarea_head(noted),
            note_id=note_id,
        )

    def input_head(described_by):
        extra = {"id": f"id_{name}", "aria-describedby": described_by}
        return format_html(
            '{}<input type="{}" name="{}"{}',
            label,
            widget.input_type,
            name,
            _attrs(widget.attrs, f"{widget.input_type}input form-control", **extra),
        )

    return ItemLayout(
        item.code,
        "input",
        input_head(described),
        foot=format_html("{}</div>", helptext),
        head_noted=input_head(noted),
        note_id=note_id,
    )


def build_layout(definition, form_class, language: str, prefix: str = "") -> InterviewLayout:
    fields = form_class.base_fields
    sections = tuple(
        SectionLayout(
            section.code,
            localized(section.title, language),
            tuple(_item(definition.items[code], fields[code], prefix) for code in section.items),
        )
        for section in definition.sections
    )
    return InterviewLayout(sections)


def field_values(form) -> dict:
    """What each input shows: the posted values on a re-shown form, else the saved answers."""
    if not form.is_bound:
        return dict(form.initial)
    data = form.data
    return {
        code: data.getlist(name) if kind == "multi" and hasattr(data, "getlist") else data.get(name)
        for code, kind in form.item_types.items()
        for name in (form.add_prefix(code),)
    }
