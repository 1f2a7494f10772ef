"""Migration 0006: a database where cadi@2 was published as first shipped gets the
amended relapse rules (spec 6.4) while nothing uses it, and keeps it frozen once
anything does."""

import copy
import json
import types
import warnings
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from assessments.formulation.services import formulation_create
from assessments.questionsets.dbguard import guard_install, guard_remove
from assessments.questionsets.models import QuestionSetVersion
from tests.factories import draft_interview, patient_for

migration = import_module("assessments.questionsets.migrations.0006_cadi_v2_relapse_high")

# cadi@2's three high rules as first shipped (written out here, not read from the
# migration, so that the test pins what the migration recognizes).
FIRST_SHIPPED_SHARE_CONDITIONS = {
    "relapse_high_use_or_access": (
        "(use_above_plan == 'yes' or medication_access == 'yes') and ((insomnia_severity",
        "(use_above_plan == 'yes' or medication_access == 'yes') and (craving_share ?? 0) > 35"
        " and ((insomnia_severity",
    ),
    "relapse_high_use_and_access": (
        "medication_access == 'yes'",
        "medication_access == 'yes' and (craving_share ?? 0) >= 50",
    ),
    "relapse_high_burden": (">= 12", ">= 12 and (craving_share ?? 0) >= 65"),
}


def _first_shipping(definition: dict) -> dict:
    """cadi@2 as 0005 first published it: the high rules still asked for a craving share,
    and the gate had no case of access with one marked item."""
    old = copy.deepcopy(definition)
    for rule in old["rules"]:
        if rule["id"] in FIRST_SHIPPED_SHARE_CONDITIONS:
            now, then = FIRST_SHIPPED_SHARE_CONDITIONS[rule["id"]]
            assert rule["when"].count(now) == 1
            rule["when"] = rule["when"].replace(now, then)
    old["test_cases"] = [c for c in old["test_cases"] if c["id"] != "v2-relapse-high-access-one-marked-item"]
    assert len(old["test_cases"]) == len(definition["test_cases"]) - 1
    return old


def _store(version: QuestionSetVersion, definition: dict, **fields) -> None:
    guard_remove(connection)
    try:
        QuestionSetVersion.objects.filter(pk=version.pk).update(definition=definition, **fields)
    finally:
        guard_install(connection)


def _migrate() -> None:
    migration.amend_cadi_v2(apps, types.SimpleNamespace(connection=connection))


@pytest.fixture
def first_shipped(cadi):
    shipped = json.loads(migration.CADI_V2.read_text(encoding="utf-8"))
    assert cadi.number == 2 and cadi.definition == shipped
    _store(cadi, _first_shipping(shipped))
    return cadi, shipped


def _unchanged_with_warning(version, expected, match):
    with pytest.warns(UserWarning, match=match):
        _migrate()
    version.refresh_from_db()
    assert version.definition == expected


def test_it_amends_an_unused_first_shipped_cadi2_and_keeps_it_frozen(first_shipped):
    version, shipped = first_shipped
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _migrate()
    version.refresh_from_db()
    assert version.definition == shipped
    assert version.status == "published"
    with pytest.raises(IntegrityError, match="questionsets_version_frozen"), transaction.atomic():
        QuestionSetVersion.objects.filter(pk=version.pk).update(definition={})


def test_it_leaves_a_cadi2_that_an_interview_uses_as_it_is(first_shipped, clinician):
    version, shipped = first_shipped
    draft_interview(patient_for(clinician), clinician)
    _unchanged_with_warning(version, _first_shipping(shipped), "already use it")


def test_it_leaves_a_cadi2_that_a_stored_formulation_uses_as_it_is(first_shipped, clinician):
    version, shipped = first_shipped
    formulation_create(version=version, answers={}, user=clinician)
    _unchanged_with_warning(version, _first_shipping(shipped), "already use it")


def test_it_says_so_when_the_first_shipping_differs_beyond_its_rules(first_shipped):
    version, shipped = first_shipped
    other = {**_first_shipping(shipped), "title": {"en": "Our own", "pl": "Nasz"}}
    _store(version, other)
    _unchanged_with_warning(version, other, "beyond its rules")


@pytest.mark.parametrize(
    "case",
    ["other high rules", "a draft"],
)
def test_it_leaves_a_version_2_it_did_not_ship_without_a_word(first_shipped, case):
    version, shipped = first_shipped
    if case == "a draft":
        _store(version, _first_shipping(shipped), status="draft")
        expected = _first_shipping(shipped)
    else:
        # An admin's own version 2 (0005 keeps one under its number only as a draft,
        # but a database may hold anything): not the first shipping's fingerprint.
        expected = _first_shipping(shipped)
        burden = next(r for r in expected["rules"] if r["id"] == "relapse_high_burden")
        burden["when"] = burden["when"].replace(">= 65", ">= 60")
        _store(version, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _migrate()
    version.refresh_from_db()
    assert version.definition == expected


def test_it_does_not_write_when_the_stored_cadi2_is_already_the_file(cadi, django_assert_num_queries):
    with django_assert_num_queries(1):
        _migrate()
