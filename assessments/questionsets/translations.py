"""Which texts of a definition lack a language, or were copied from English.

The engine insists that every text gives exactly the version's languages, so a
version that lists only English passes it; the admin still needs to see what a
Polish reader will get in English. A Polish text identical to the English one is
reported too: pasting the English text is the usual way to get past the check.
"""

from assessments.formulation.engine.records import KNOWN_LANGUAGES


def _is_text(value) -> bool:
    return isinstance(value, dict) and "en" in value and set(value) <= set(KNOWN_LANGUAGES)


def _name(entry: dict, fallback: str) -> str:
    for key in ("code", "id"):
        if isinstance(entry.get(key), str):
            return entry[key]
    return fallback


def _walk(value, path: tuple):
    if _is_text(value):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in ("test_cases", "meta"):
                yield from _walk(child, (*path, str(key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            label = _name(child, str(index)) if isinstance(child, dict) else str(index)
            yield from _walk(child, (*path, label))


def missing_translations(definition: dict) -> list[dict]:
    """[{path, language, problem}] where problem is "missing" or "same_as_english"."""
    found = []
    for path, text in _walk(definition, ()):
        where = _where(path)
        for language in KNOWN_LANGUAGES:
            if language == "en":
                continue
            value = text.get(language)
            if not isinstance(value, str) or not value.strip():
                found.append({"path": where, "language": language, "problem": "missing"})
            elif value.strip() == str(text.get("en", "")).strip() and len(value.strip()) > 3:
                found.append({"path": where, "language": language, "problem": "same_as_english"})
    return found


def _where(path: tuple) -> str:
    return " › ".join(part for part in path if part not in ("sections", "items", "options", "rules"))


def text_paths(definition: dict) -> dict[str, dict]:
    """Every multilingual text of a definition by its readable path ("context › med_status
    › text"), test cases left out."""
    return {_where(path): text for path, text in _walk(definition, ())}


def text_changes(old: dict, new: dict) -> list[dict]:
    """[{where, language, before, after}] for every text that differs in some language
    (added and removed texts included, with the missing side None)."""
    before, after = text_paths(old), text_paths(new)
    rows = []
    for where in [*after, *(w for w in before if w not in after)]:
        old_text, new_text = before.get(where) or {}, after.get(where) or {}
        for language in KNOWN_LANGUAGES:
            if old_text.get(language) != new_text.get(language):
                rows.append(
                    {
                        "where": where,
                        "language": language,
                        "before": old_text.get(language),
                        "after": new_text.get(language),
                    }
                )
    return rows
