"""Shared helpers for the engine tests (no database, no Django)."""

import functools
import json
from pathlib import Path

from hypothesis import strategies as st

from assessments.formulation.engine import load_definition_file

REPO_ROOT = Path(__file__).resolve().parents[2]
CADI_PATH = REPO_ROOT / "assessments" / "questionsets" / "data" / "cadi.json"
CADI2_PATH = REPO_ROOT / "assessments" / "questionsets" / "data" / "cadi2.json"


# The worked cases the tests check against live in the repository, so the suite passes
# from a fresh clone in any folder: `vignettes/` for cadi@1, `vignettes-v2/` for cadi@2.
CASES_DIR = Path(__file__).resolve().parents[1] / "cases"


def vignette_files(folder: str = "vignettes") -> list[Path]:
    """Every worked case in tests/cases/<folder>; an empty or missing folder fails loudly."""
    files = sorted((CASES_DIR / folder).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no worked cases in {CASES_DIR / folder}")
    return files


def load_vignette(name: str, folder: str = "vignettes") -> dict:
    """One worked case (id, story, answers, expect) by its file name without .json."""
    return json.loads((CASES_DIR / folder / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def cadi():
    # Compiled once for the whole run, as the application does per version.
    return load_definition_file(CADI_PATH)


@functools.cache
def cadi2():
    return load_definition_file(CADI2_PATH)


def value_strategy(item):
    """A valid answer for one item of a loaded definition."""
    codes = item.option_codes
    if item.type == "single":
        return st.sampled_from(codes)
    if item.type == "multi":
        plain = [code for code in codes if code != "none"]
        some = st.lists(st.sampled_from(plain), unique=True, max_size=len(plain))
        return st.one_of(st.just(["none"]), some) if "none" in codes else some
    if item.type == "scale":
        return st.integers(0, 4)
    if item.type == "integer":
        return st.one_of(
            st.integers(item.minimum, min(item.maximum, 60)), st.integers(item.minimum, item.maximum)
        )
    # Valid text: anything UTF-8 can encode (no lone surrogates) but NUL; both are
    # refused since they cannot be stored (issue #11 item 9).
    return st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)


def answer_sets(compiled=None):
    """Valid answer sets, from empty to complete, with explicit nulls now and then."""
    compiled = compiled or cadi()
    optional = {
        code: st.one_of(st.none(), value_strategy(item)) | value_strategy(item)
        for code, item in compiled.definition.items.items()
    }
    return st.fixed_dictionaries({}, optional=optional)


def full_answer_sets(compiled=None):
    """Valid answer sets with every item answered."""
    compiled = compiled or cadi()
    return st.fixed_dictionaries(
        {code: value_strategy(item) for code, item in compiled.definition.items.items()}
    )
