"""Fills the interview page the way a keyboard user does: Tab to an item, Space and
arrow keys for radio groups and checkboxes, typing for numbers and text."""

from assessments.formulation.engine import load_definition_file
from assessments.questionsets.services import DEFAULT_DEFINITION_FILE

MAX_TABS = 400


def cadi_items() -> dict:
    return load_definition_file(DEFAULT_DEFINITION_FILE).definition.items


def _focused_name(page) -> str:
    return page.evaluate("() => document.activeElement ? (document.activeElement.name || '') : ''")


def tab_to(page, name: str) -> None:
    for _ in range(MAX_TABS):
        if _focused_name(page) == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name}")


def _answer_radio(page, code: str, value: str) -> None:
    tab_to(page, code)
    values = page.eval_on_selector_all(f"input[name='{code}']", "els => els.map(e => e.value)")
    current = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("Space")
    for _ in range((values.index(value) - values.index(current)) % len(values)):
        page.keyboard.press("ArrowDown")


def _answer_checkboxes(page, code: str, chosen: list) -> None:
    boxes = page.locator(f"input[name='{code}']")
    for index in range(boxes.count()):
        tab_to(page, code)
        while page.evaluate("() => document.activeElement.value") != boxes.nth(index).get_attribute("value"):
            page.keyboard.press("Tab")
        if boxes.nth(index).is_checked() != (boxes.nth(index).get_attribute("value") in chosen):
            page.keyboard.press("Space")


def _answer_typed(page, code: str, value) -> None:
    tab_to(page, code)
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Tab")


def answer(page, item, value) -> None:
    if item.type in ("single", "scale"):
        _answer_radio(page, item.code, str(value))
    elif item.type == "multi":
        # An answered empty list is the "None of these" box where the item has no "none".
        _answer_checkboxes(page, item.code, list(value) or ["__none_of_these__", "none"])
    else:
        _answer_typed(page, item.code, value)


def fill(page, answers: dict, items: dict, codes=None) -> None:
    """Answer `codes` (default: every answered item) in page order."""
    for code, item in items.items():
        if code in answers and (codes is None or code in codes):
            answer(page, item, answers[code])


def wait_saved(page) -> None:
    page.locator("#save-status [data-state='saved']").wait_for(timeout=15000)
    page.wait_for_function("() => !document.querySelector('#interview-form.htmx-request')", timeout=15000)
