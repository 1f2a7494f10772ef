"""The Polish translation is complete, compiled and served.

A string newly marked for translation reaches the catalogue with `makemessages`; until it is
translated (and the catalogue compiled) these tests fail.
"""

import re

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from tests.helpers import ROOT

LC_MESSAGES = ROOT / "locale" / "pl" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"
PLURAL_FORMS = "nplurals=3; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>=14) ? 1 : 2);"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|%s")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def _catalogue(entries) -> dict:
    """(context, msgid, msgid_plural) -> translation(s), without the header entry."""
    catalogue = {}
    for entry in entries:
        if not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        if entry.msgid_plural:
            catalogue[key] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            catalogue[key] = entry.msgstr
    return catalogue


def _describe(entries) -> list[str]:
    return [f"{entry.occurrences[:1]} {entry.msgid!r}" for entry in entries]


def test_it_translates_every_entry(po):
    active = [entry for entry in po if not entry.obsolete]
    assert active, "the Polish catalogue is empty"
    assert _describe(po.untranslated_entries()) == []
    assert _describe(po.fuzzy_entries()) == []
    assert not po.metadata_is_fuzzy


def test_it_uses_the_three_polish_plural_forms(po):
    assert po.metadata["Language"] == "pl"
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS
    plurals = [entry for entry in po if entry.msgid_plural and not entry.obsolete]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1, 2], entry.msgid
        assert all(entry.msgstr_plural.values()), entry.msgid


def test_it_keeps_every_placeholder(po):
    for entry in po.translated_entries():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in sources))
        targets = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in targets:
            assert set(PLACEHOLDER.findall(text)) == wanted, (entry.msgid, text)


def test_it_ships_a_compiled_catalogue_matching_the_po(po):
    assert MO_PATH.exists(), "run: manage.py compilemessages -l pl"
    compiled_now = _catalogue(polib.mofile(po.to_binary()))
    shipped = _catalogue(polib.mofile(str(MO_PATH)))
    assert compiled_now == _catalogue(po.translated_entries())
    stale = sorted(set(compiled_now.items()) ^ set(shipped.items()))
    assert stale == [], "django.mo is out of date: run manage.py compilemessages -l pl"


def test_it_chooses_the_polish_plural_form():
    with translation.override("pl"):
        texts = [
            translation.ngettext("%(n)s test case.", "%(n)s test cases.", n) % {"n": n}
            for n in (1, 2, 5, 12, 22, 25)
        ]
    assert texts == [
        "1 przypadek testowy.",
        "2 przypadki testowe.",
        "5 przypadków testowych.",
        "12 przypadków testowych.",
        "22 przypadki testowe.",
        "25 przypadków testowych.",
    ]


def test_it_shows_the_login_page_in_polish_or_english(client, db):
    polish = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="pl")
    assert polish.status_code == 200
    assert "Zaloguj się" in polish.content.decode()
    assert "Log in" not in polish.content.decode()

    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert "Log in" in english.content.decode()
    assert "Zaloguj się" not in english.content.decode()
