"""The worked cases (copied into tests/cases/vignettes): examples of the clinical intent."""

import json

import pytest

from tests.engine.engine_support import cadi, vignette_files


@pytest.mark.parametrize("path", vignette_files("vignettes"), ids=lambda path: path.stem)
def test_it_formulates_each_vignette_as_a_clinician_expects(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    result = cadi().formulate(case["answers"])
    expect = case["expect"]
    assert result["dominant"] in expect["dominant"], (case["id"], result["dominant"])
    assert set(expect.get("flags_include", [])) <= set(result["flags"]), (case["id"], result["flags"])
    assert not set(expect.get("flags_exclude", [])) & set(result["flags"]), (case["id"], result["flags"])


def test_the_worked_cases_are_all_there():
    # Eight cadi@1 and eight cadi@2 cases were copied in; losing one must not go unnoticed.
    assert len(vignette_files("vignettes")) == 8
    assert len(vignette_files("vignettes-v2")) == 8


def test_it_passes_the_test_cases_shipped_inside_the_definition():
    assert cadi().definition.test_cases, "cadi.json should carry its own test cases"
    assert cadi().run_test_cases() == []
