def localized(texts: dict | None, language: str) -> str:
    """A question-set text in the reader's language, falling back to English."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")
