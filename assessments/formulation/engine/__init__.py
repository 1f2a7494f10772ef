"""The formulation engine: pure Python, no Django, so that it is fast, testable
without a database and the same behind every door (page, API, command line, PDF).

    compiled = load_definition(definition_dict)   # once per question-set version
    compiled.validate(answers)                     # {item_code: message}, {} if valid
    compiled.formulate(answers, lang="en")         # the spec section 3 contract
"""

from .answers import parse_request
from .compiled import CompiledQuestionSet, load_definition, load_definition_file
from .errors import AnswerError, DefinitionError
from .scoring import ENGINE_VERSION

__all__ = [
    "ENGINE_VERSION",
    "AnswerError",
    "CompiledQuestionSet",
    "DefinitionError",
    "load_definition",
    "load_definition_file",
    "parse_request",
]
