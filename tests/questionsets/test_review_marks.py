"""Texts changed in one language mark the others "needs review" (issue 15, item 7)."""

import copy

import pytest

from assessments.questionsets import services
from assessments.questionsets.translations import needs_review
from tests.conftest import PASSWORD

WHERE = "context › med_status › text"


def _edit(draft, user, change, **kwargs):
    definition = copy.deepcopy(draft.definition)
    change(definition)
    return services.version_definition_save(
        version=draft, definition=definition, user=user, change={}, **kwargs
    )


def _text(definition):
    return definition["sections"][0]["items"][0]["text"]


def test_marks_survive_a_json_edit_that_leaves_out_meta_and_clear_when_confirmed(draft, qs_admin):
    _edit(draft, qs_admin, lambda d: _text(d).update(en="Where is the patient with the tablets?"))
    assert needs_review(draft.definition) == [{"where": WHERE, "language": "pl"}]
    _edit(draft, qs_admin, lambda d: d.pop("meta", None))
    assert needs_review(draft.definition) == [{"where": WHERE, "language": "pl"}]
    _edit(draft, qs_admin, lambda d: None, confirmed_texts=[{"where": WHERE, "language": "pl"}])
    assert needs_review(draft.definition) == []


def test_changing_both_languages_marks_nothing(draft, qs_admin):
    _edit(draft, qs_admin, lambda d: _text(d).update(en="Where now?", pl="Gdzie teraz?"))
    assert needs_review(draft.definition) == []


def test_publishing_asks_for_confirmation_of_unreviewed_texts(draft, qs_admin):
    _edit(draft, qs_admin, lambda d: _text(d).update(en="Where is the patient with the tablets?"))
    with pytest.raises(services.TextsUnreviewed):
        services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    services.version_publish(version=draft, user=qs_admin, password=PASSWORD, texts_confirmed=True)
    draft.refresh_from_db()
    assert draft.status == "published"
    clone = services.version_clone(version=draft, user=qs_admin)
    assert needs_review(clone.definition) == []
