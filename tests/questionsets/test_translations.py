"""Texts per language: the admin sees what is missing; interviews fall back to English."""

import json

from django.utils import translation

from assessments.interviews.forms import interview_form_class
from assessments.questionsets import services
from assessments.questionsets.compiled import compiled_for
from assessments.questionsets.translations import missing_translations
from tests.conftest import PASSWORD


def _english_only(value):
    if isinstance(value, dict):
        if set(value) == {"en", "pl"}:
            return {"en": value["en"]}
        return {key: _english_only(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_english_only(child) for child in value]
    return value


def test_it_lists_every_text_without_polish_when_a_version_is_english_only(cadi, qs_admin):
    definition = {**_english_only(services.definition_read()), "languages": ["en"], "slug": "cadi_en"}
    draft = services.version_import(raw=json.dumps(definition).encode(), user=qs_admin)
    missing = missing_translations(draft.definition)
    assert {row["problem"] for row in missing} == {"missing"} and {row["language"] for row in missing} == {
        "pl"
    }
    paths = {row["path"] for row in missing}
    assert {
        "title",
        "timing › onset_pattern › text",
        "timing › onset_pattern › cue_linked › label",
        "cue_dosing_link › label",
    } <= paths


def test_it_reports_nothing_for_the_shipped_cadi(cadi):
    assert missing_translations(cadi.definition) == []


def test_it_shows_english_in_a_polish_interview_when_polish_is_missing(cadi, qs_admin):
    definition = {**_english_only(services.definition_read()), "languages": ["en"]}
    draft = services.version_clone(version=cadi, user=qs_admin)
    services.version_definition_save(
        version=draft, definition={**definition, "version": draft.number}, user=qs_admin, change={}
    )
    services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    with translation.override("pl"):
        form_class, _helper = interview_form_class(version=draft, compiled=compiled_for(draft), language="pl")
        polish_cadi, _ = interview_form_class(version=cadi, compiled=compiled_for(cadi), language="pl")
    assert form_class.base_fields["onset_pattern"].label == "When does the distress mainly arise?"
    assert polish_cadi.base_fields["onset_pattern"].label.startswith("Kiedy")
