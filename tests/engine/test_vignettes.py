"""The shared worked cases, read at run time: examples of the clinical intent."""

import json

import pytest

from tests.engine.engine_support import cadi, shared_dir


def _vignette_files():
    folder = shared_dir() / "vignettes"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    # A missing folder must fail loudly, never pass by collecting nothing.
    return files or [folder]


@pytest.mark.parametrize("path", _vignette_files(), ids=lambda path: path.stem)
def test_it_formulates_each_vignette_as_a_clinician_expects(path):
    if not path.is_file():
        pytest.fail(f"no vignettes found at {path}: set ZEUS_SHARED_DIR to the shared folder")
    case = json.loads(path.read_text(encoding="utf-8"))
    result = cadi().formulate(case["answers"])
    expect = case["expect"]
    assert result["dominant"] in expect["dominant"], (case["id"], result["dominant"])
    assert set(expect.get("flags_include", [])) <= set(result["flags"]), (case["id"], result["flags"])
    assert not set(expect.get("flags_exclude", [])) & set(result["flags"]), (case["id"], result["flags"])


def test_it_passes_the_test_cases_shipped_inside_the_definition():
    assert cadi().definition.test_cases, "cadi.json should carry its own test cases"
    assert cadi().run_test_cases() == []
