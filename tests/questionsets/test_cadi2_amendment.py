"""Migration 0006: a database where cadi@2 was published as first shipped gets the
amended relapse rules (spec 6.4) while nothing uses it, and keeps it frozen once
anything does."""

import copy
import json
import types
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from assessments.questionsets.dbguard import guard_install, guard_remove
from assessments.questionsets.models import QuestionSetVersion
from tests.factories import draft_interview, patient_for

migration = import_module("assessments.questionsets.migrations.0006_cadi_v2_relapse_high")


def _first_shipping(definition: dict) -> dict:
    """cadi@2 as 0005 first published it: the high rules still asked for a craving share."""
    old = copy.deepcopy(definition)
    rule = next(r for r in old["rules"] if r["id"] == "relapse_high_use_and_access")
    rule["when"] += " and (craving_share ?? 0) >= 50"
    old["test_cases"] = old["test_cases"][:-1]
    return old


def _store(version: QuestionSetVersion, definition: dict) -> None:
    guard_remove(connection)
    try:
        QuestionSetVersion.objects.filter(pk=version.pk).update(definition=definition)
    finally:
        guard_install(connection)


def _migrate() -> None:
    migration.amend_cadi_v2(apps, types.SimpleNamespace(connection=connection))


@pytest.fixture
def cadi2_first_shipped(cadi):
    assert cadi.number == 2 and cadi.definition == json.loads(migration.CADI_V2.read_text("utf-8"))
    shipped = cadi.definition
    _store(cadi, _first_shipping(shipped))
    return cadi, shipped


def test_it_amends_an_unused_cadi2_to_the_shipped_file_and_keeps_it_frozen(cadi2_first_shipped):
    version, shipped = cadi2_first_shipped
    _migrate()
    version.refresh_from_db()
    assert version.definition == shipped
    assert version.status == "published"
    with pytest.raises(IntegrityError, match="questionsets_version_frozen"), transaction.atomic():
        QuestionSetVersion.objects.filter(pk=version.pk).update(definition={})


def test_it_leaves_a_cadi2_that_interviews_already_use_as_it_is(cadi2_first_shipped, clinician):
    version, shipped = cadi2_first_shipped
    draft_interview(patient_for(clinician), clinician)
    with pytest.warns(UserWarning, match="already used by interviews"):
        _migrate()
    version.refresh_from_db()
    assert version.definition == _first_shipping(shipped)


def test_it_leaves_a_version_2_that_differs_beyond_the_rules_alone(cadi2_first_shipped):
    version, shipped = cadi2_first_shipped
    other = {**_first_shipping(shipped), "title": {"en": "Our own", "pl": "Nasz"}}
    _store(version, other)
    _migrate()
    version.refresh_from_db()
    assert version.definition == other


def test_it_does_not_write_when_the_stored_cadi2_is_already_the_file(cadi, django_assert_num_queries):
    with django_assert_num_queries(1):
        _migrate()
