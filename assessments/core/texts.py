from django.utils.translation import get_language


def localized(texts: dict | None, language: str) -> str:
    """A question-set text in the reader's language, falling back to English."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def current_language() -> str:
    """The active UI language without region ("pl", "en")."""
    return (get_language() or "en").split("-")[0]
