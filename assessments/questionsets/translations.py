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


def needs_review(definition: dict) -> list[dict]:
    """[{where, language}] of texts whose other language changed and that nobody has
    confirmed or edited since (kept in the document's `meta`, which the engine ignores,
    so the marks travel with export and import)."""
    marks = (definition.get("meta") or {}).get("needs_review") or []
    return [m for m in marks if isinstance(m, dict) and {"where", "language"} <= set(m)]


def review_marks_after_edit(old: dict, new: dict, *, confirmed=()) -> list[dict]:
    """The needs-review marks of `new`, the stored `old` being authoritative for the
    marks themselves (an edit of the JSON cannot drop them by leaving out `meta`).

    A text changed in some of its languages marks the others (unless the change only
    touched marked languages: that is the review); a language edited (or confirmed) is
    no longer marked; marks of texts that are gone are dropped."""
    before, after = text_paths(old), text_paths(new)
    marks = {(m["where"], m["language"]) for m in needs_review(old)}
    for where, text in after.items():
        previous = before.get(where)
        if previous is None:
            continue
        changed = {language for language in text if text.get(language) != previous.get(language)}
        marked = {language for (w, language) in marks if w == where}
        # Editing only languages that were marked answers the review: it marks nothing new.
        if changed - marked and changed != set(text):
            marks |= {(where, language) for language in text if language not in changed}
        marks -= {(where, language) for language in changed}
    marks -= {(m["where"], m["language"]) for m in confirmed}
    return [
        {"where": where, "language": language}
        for where, language in sorted(marks)
        if where in after and language in after[where]
    ]


def with_review_marks(definition: dict, marks: list[dict]) -> dict:
    """A copy of the document with these needs-review marks (and no empty `meta`)."""
    result = dict(definition)
    meta = {k: v for k, v in (definition.get("meta") or {}).items() if k != "needs_review"}
    if marks:
        meta["needs_review"] = marks
    if meta:
        result["meta"] = meta
    else:
        result.pop("meta", None)
    return result
