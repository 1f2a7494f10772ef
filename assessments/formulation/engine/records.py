"""The checked, immutable records a question-set definition is read into."""

import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from .visibility import Condition

# A text in every language of its definition: language code -> text.
Localized: TypeAlias = dict[str, str]
# An item's discount (spec 6.2): (flag, factor, directions, note).
Discount: TypeAlias = tuple[str, float, frozenset[str], Localized]
# A test case of a definition, as written: {"id", "answers", "expect"}, checked in
# shape only (definition.py) and its answers by compiled.py.
DefinitionTestCase: TypeAlias = dict[str, Any]
# The formulation contract (README.md beside this file): a JSON object, so its values
# are typed by the contract rather than here.
Formulation: TypeAlias = dict[str, Any]

CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
ITEM_TYPES = ("single", "multi", "scale", "integer", "text")
CHOICE_TYPES = ("single", "multi")
DIRECTIONS = ("craving", "anxiety")
KNOWN_LANGUAGES = ("en", "pl")
# The flags the formulation contract allows (clinical spec, sections 3 and 6.4).
KNOWN_FLAGS = (
    "relapse_risk_high",
    "relapse_risk_moderate",
    "possible_withdrawal_or_rebound",
    "safety_urgent",
    "safety_review",
    "sedative_substitution",
    "medical_urgent",
    "overdose_risk",
    "mood_review",
    "possible_protracted_withdrawal",
)
# Flags a supervisor must acknowledge by name (spec 6.4: shown like safety_urgent).
URGENT_FLAGS = ("medical_urgent", "safety_urgent")
CONFIDENCE_LEVELS = ("low", "moderate", "high")
# How shares and sufficiency are computed; the first of each is cadi@1's rule, the
# default, so that a definition without these keys formulates exactly as before.
SHARE_MODES = ("capped", "uncapped")
SUFFICIENCY_MODES = ("answered", "core_evidence")
FOCUS_SLOT = "focus"  # where the treatment focus sits in a recommendation_order
FOCUS_KEYS = ("craving", "anxiety", "mixed", "insufficient")
# Bounds of every weight (options, scale points, breadth bands, compound rules): cadi's
# strongest piece of evidence weighs 3.5; 20 leaves room for a deliberately decisive rule
# (what-if experiments use one) while a typo like 999, which would drown every other
# rule, is refused at the field where it was typed.
MAX_WEIGHT = 20
SCALE_MAX = 4  # every scale is 0-4 (not at all ... extremely or almost always)
NONE_OPTION = "none"  # in a multi item, excludes every other option and counts as no breadth
# The dominant mechanism of a formulation (clinical spec, section 3): one treatment focus each.
DOMINANT_STATES = FOCUS_KEYS
# The clinician's own impression: asked in the interview, required to finalize, never scored.
IMPRESSION_ITEM = "clinician_impression"


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    label: Localized
    craving: float
    anxiety: float
    evidence_label: Localized | None
    rationale: str | None


@dataclass(frozen=True, slots=True)
class Breadth:
    id: str
    min: int
    max: int | None
    direction: str
    weight: float
    label: Localized
    rationale: str


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    type: str
    section: str
    core: bool
    text: Localized
    help: Localized | None
    options: tuple[Option, ...]
    minimum: int | None
    maximum: int | None
    weights: dict[str, tuple[float, ...]]  # direction -> 5 weights, for scale items
    evidence_label: Localized | None
    rationale: str | None
    breadth: tuple[Breadth, ...]
    visible_if: Condition | None  # (controlling item, "in" | "not_in", frozenset of option codes)
    anchors: dict[str, Localized] | None  # "0" ... "4" -> label
    max_length: int
    # Must be answered before an interview is finalized (spec 6.1). Drafts, previews
    # and `formulate` still take partial answer sets, so the engine never enforces it.
    required: bool = False
    # (flag, factor, directions, note): while `flag` is raised, this item's evidence in
    # `directions` counts `factor` of its weight and its label gains `note` (spec 6.2).
    discount: Discount | None = None

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    title: Localized
    core: bool
    scored: bool
    items: tuple[str, ...]  # item codes


@dataclass(frozen=True, slots=True)
class CompoundRule:
    id: str
    when: str
    direction: str  # craving | anxiety | flag
    weight: float
    flag: str | None
    label: Localized
    rationale: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    code: str
    text: Localized


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    label: Localized
    recommendation: Recommendation
    supersedes: tuple[str, ...]  # flag codes
    lowers_confidence: bool
    confidence_at_most: str | None = None  # a ceiling instead of lowers_confidence's step


@dataclass(frozen=True, slots=True)
class Window:
    """A number of days chosen by one single item's answer (e.g. the withdrawal window
    by half-life, spec 6.3), readable by rules under its own code."""

    code: str
    item: str
    days: dict[str, int]  # option code -> days
    default: int  # unanswered, or an option not listed


@dataclass(frozen=True, slots=True)
class Definition:
    slug: str
    version: int
    title: Localized
    description: Localized | None
    disclaimer: Localized | None
    languages: tuple[str, ...]
    scale_anchors: dict[str, Localized] | None  # "0" ... "4" -> label
    sections: tuple[Section, ...]
    items: dict[str, Item]  # in interview order
    rules: tuple[CompoundRule, ...]
    flags: dict[str, Flag]  # in report order
    focus: dict[str, Recommendation]  # FOCUS_KEYS -> Recommendation
    reference_fraction: float
    test_cases: tuple[DefinitionTestCase, ...]
    share_mode: str = "capped"
    sufficiency: str = "answered"
    windows: tuple[Window, ...] = ()  # numbers chosen by an answer, read by rules
    recommendation_order: tuple[str, ...] | None = None  # flag codes and FOCUS_SLOT; None: focus first


TOP_KEYS = {
    "format",
    "slug",
    "version",
    "title",
    "description",
    "disclaimer",
    "languages",
    "scale_anchors",
    "sections",
    "rules",
    "flags",
    "recommendations",
    "scoring",
    "test_cases",
    "meta",
    "windows",
    "recommendation_order",
}
SCORING_KEYS = {"reference_fraction", "shares", "insufficient"}
WINDOW_KEYS = {"code", "item", "days", "default"}
DISCOUNT_KEYS = {"while_flag", "factor", "directions", "note"}
SECTION_KEYS = {"code", "title", "core", "scored", "items"}
ITEM_KEYS = {
    "code",
    "type",
    "text",
    "help",
    "core",
    "options",
    "min",
    "max",
    "weights",
    "evidence_label",
    "rationale",
    "breadth",
    "visible_if",
    "anchors",
    "max_length",
    "required",
    "discount",
}
# What a definition's test case may expect, each a list of codes (compiled.py runs
# them; the question-set admin's checks name the keys).
EXPECTATION_KEYS = (
    "dominant",
    "flags_include",
    "flags_exclude",
    "confidence",
    "rules_include",
    "rules_exclude",
    "recommendations_start",
)
OPTION_KEYS = {"code", "label", "craving", "anxiety", "evidence_label", "rationale"}
BREADTH_KEYS = {"id", "min", "max", "direction", "weight", "label", "rationale"}
RULE_KEYS = {"id", "when", "direction", "weight", "flag", "label", "rationale"}
FLAG_KEYS = {"code", "label", "recommendation", "supersedes", "lowers_confidence", "confidence_at_most"}
