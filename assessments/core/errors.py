"""One error pattern for every form (after the GOV.UK Design System's error summary):
a summary at the top of the page, focused on load, each error a link to its field."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Tab, line feed and carriage return are ordinary in typed text; every other control
# character (escape, bell, the C1 range...) is refused rather than silently stored.
# NUL is left to Django's own validator on every CharField, so it is named once.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x00"}


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text)


def reject_control_characters(value):
    """A form-field validator: names nothing itself, the form puts it beside the field."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(_("Contains control characters (invisible codes); remove them and save again."))


def summary_from_form(form) -> list[dict]:
    """[{target, message}] for every error of a Django form, in field order; the target
    is the id of the input the link moves to."""
    entries = []
    for name, errors in form.errors.items():
        if name == "__all__":
            entries += [{"target": "main", "message": str(e)} for e in errors]
            continue
        field = form[name]
        for error in errors:
            target = field.id_for_label or field.auto_id
            entries.append({"target": target, "message": f"{field.label}: {error}"})
    return entries
