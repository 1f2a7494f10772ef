"""One vocabulary: flags, dominant states, the impression item and the scale are declared
once, in the engine; the database and the screens derive from it."""

from django.utils import translation

from assessments.formulation.engine.records import DOMINANT_STATES, IMPRESSION_ITEM, KNOWN_FLAGS, SCALE_MAX
from assessments.formulation.models import Dominant, Flag, Formulation
from assessments.formulation.presentation import DOMINANT_TEXT
from assessments.interviews.forms import interview_form_class
from assessments.questionsets.compiled import compiled_for
from assessments.reviews.models import ENGINE_TO_IMPRESSION
from tests.engine.engine_support import cadi as compiled_cadi


def test_database_choices_are_the_engines_codes_in_the_engines_order():
    assert Flag.values == list(KNOWN_FLAGS)
    assert Dominant.values == list(DOMINANT_STATES)
    assert [code for code, _ in Formulation._meta.get_field("dominant").choices] == list(DOMINANT_STATES)
    assert set(ENGINE_TO_IMPRESSION) == set(DOMINANT_STATES)
    assert list(DOMINANT_TEXT) == list(DOMINANT_STATES)


def test_every_engine_code_has_words_in_english_and_polish():
    for choices in (Flag, Dominant):
        for code, label in choices.choices:
            assert str(label) != code, f"{code} has no label"
            with translation.override("pl"):
                assert str(label) != code
                polish = str(label)
            with translation.override("en"):
                assert polish != str(label), f"{code}: label not translated into Polish"


def test_the_interview_offers_every_scale_point_of_the_engine(cadi):
    # The version's own compiled definition: the form cache is keyed by the version, so
    # another definition here would be served to every later interview of that version.
    compiled = compiled_for(cadi)
    form_class, _helper = interview_form_class(version=cadi, compiled=compiled, language="en")
    scale = next(code for code, item in compiled.definition.items.items() if item.type == "scale")
    assert len(form_class.base_fields[scale].widget.choices) == SCALE_MAX + 1


def test_the_impression_item_is_asked_by_the_question_set():
    item = compiled_cadi().definition.items[IMPRESSION_ITEM]
    assert item.type == "single" and not any(o.craving or o.anxiety for o in item.options)
