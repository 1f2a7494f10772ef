"""cadi@1 formulates byte for byte as it did before the engine learned cadi@2's
capabilities (issue 13): every worked case, every test case of the definition and 600
generated answer sets, in both languages. The expected outputs were recorded with the
engine of commit 90615bb (tests/cases/cadi1/golden.json: the full result of each worked
case, a SHA-256 of the JSON text of every result)."""

import hashlib
import json
from pathlib import Path

import pytest

from tests.engine.engine_support import cadi

GOLDEN = json.loads((Path(__file__).resolve().parents[1] / "cases" / "cadi1" / "golden.json").read_text())


def _text(result) -> str:
    return json.dumps(result, ensure_ascii=False)


@pytest.mark.parametrize("case", [c for c in GOLDEN["cases"] if "result_en" in c], ids=lambda c: c["id"])
def test_it_formulates_the_worked_cases_exactly_as_before(case):
    assert _text(cadi().formulate(case["answers"], lang="en")) == _text(case["result_en"])


def test_it_formulates_every_recorded_answer_set_byte_for_byte_as_before():
    changed = [
        (case["id"], lang)
        for case in GOLDEN["cases"]
        for lang, digest in case["sha256"].items()
        if hashlib.sha256(_text(cadi().formulate(case["answers"], lang=lang)).encode()).hexdigest() != digest
    ]
    assert len(GOLDEN["cases"]) > 600 and changed == []
