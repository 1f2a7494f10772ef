"""The glossary in docs/ and the Polish catalogue agree (issue 15, item 10): each
clinical term is translated the one way the glossary chose, and an English word with
several meanings has a translation per context."""

import re

import polib
import pytest

from tests.helpers import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"
PO_PATH = ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po"


def _table(heading: str) -> list[list[str]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


@pytest.fixture(scope="module")
def catalogue() -> dict:
    po = polib.pofile(str(PO_PATH))
    return {(entry.msgctxt or None, entry.msgid): entry.msgstr for entry in po if not entry.obsolete}


def test_every_clinical_term_is_translated_as_the_glossary_says(catalogue):
    rows = _table("Clinical terms")
    assert {row[0].split(" (")[0] for row in rows} >= {"review", "impression", "amendment", "formulation"}
    for english, _polish, stem, _meaning, example in rows:
        translation = catalogue.get((None, example))
        assert translation, f"{example!r} is not in the catalogue"
        assert re.search(stem, translation, re.IGNORECASE), (english, example, translation)


def test_each_meaning_of_one_english_word_has_its_own_translation(catalogue):
    rows = _table("One English word, several meanings")
    for english, context, polish, _where in rows:
        assert catalogue.get((context, english)) == polish, (english, context)
    # The point of the contexts: the same English word really reads differently.
    for word in ("All", "Draft", "Pending"):
        assert len({polish for english, _c, polish, _w in rows if english == word}) > 1, word
