"""Pure edits of a definition document: each returns a changed deep copy.

No validation here: the caller saves through `version_definition_save`, which runs
the whole document through the engine, so a structured edit and the JSON editor
are held to exactly the same rules.
"""

import copy


class EditError(LookupError):
    """The edit names something the document does not have."""


def _items(definition: dict):
    for section in definition.get("sections", []):
        for index, item in enumerate(section.get("items", [])):
            yield section, index, item


def item_find(definition: dict, code: str) -> tuple[dict, dict]:
    """(section, item) holding the item with this code."""
    for section, _index, item in _items(definition):
        if item.get("code") == code:
            return section, item
    raise EditError(f"item {code}: not in this version")


def item_put(definition: dict, *, item: dict, section_code: str, replacing: str | None = None) -> dict:
    """Add an item at the end of a section, or replace one in place (moving it to
    the end of another section when its section changes)."""
    result = copy.deepcopy(definition)
    target = _section(result, section_code)
    if replacing is not None:
        current, old = item_find(result, replacing)
        if current is target:
            target["items"][target["items"].index(old)] = item
            return result
        current["items"].remove(old)
    target.setdefault("items", []).append(item)
    return result


def item_remove(definition: dict, code: str) -> dict:
    result = copy.deepcopy(definition)
    section, item = item_find(result, code)
    section["items"].remove(item)
    return result


def item_move(definition: dict, code: str, offset: int) -> dict:
    """Move an item up (-1) or down (+1) within its section; the ends stay put."""
    result = copy.deepcopy(definition)
    section, item = item_find(result, code)
    items = section["items"]
    index = items.index(item)
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return result


def _section(definition: dict, code: str) -> dict:
    for section in definition.get("sections", []):
        if section.get("code") == code:
            return section
    raise EditError(f"section {code}: not in this version")


def _put_by_id(definition: dict, key: str, entry: dict, replacing: str | None) -> dict:
    result = copy.deepcopy(definition)
    entries = result.setdefault(key, [])
    if replacing is None:
        entries.append(entry)
        return result
    for index, existing in enumerate(entries):
        if existing.get("id") == replacing:
            entries[index] = entry
            return result
    raise EditError(f"{replacing}: not in this version")


def _remove_by_id(definition: dict, key: str, entry_id: str) -> dict:
    result = copy.deepcopy(definition)
    kept = [entry for entry in result.get(key, []) if entry.get("id") != entry_id]
    if len(kept) == len(result.get(key, [])):
        raise EditError(f"{entry_id}: not in this version")
    result[key] = kept
    return result


def entry_find(definition: dict, key: str, entry_id: str) -> dict:
    for entry in definition.get(key, []):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return entry
    raise EditError(f"{entry_id}: not in this version")


def rule_put(definition: dict, *, rule: dict, replacing: str | None = None) -> dict:
    return _put_by_id(definition, "rules", rule, replacing)


def rule_remove(definition: dict, rule_id: str) -> dict:
    return _remove_by_id(definition, "rules", rule_id)


def test_case_put(definition: dict, *, case: dict, replacing: str | None = None) -> dict:
    return _put_by_id(definition, "test_cases", case, replacing)


def test_case_remove(definition: dict, case_id: str) -> dict:
    return _remove_by_id(definition, "test_cases", case_id)
