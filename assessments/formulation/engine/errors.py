"""The two ways the engine refuses something: a bad definition, a bad answer set."""


class DefinitionError(ValueError):
    """A question-set definition the engine will not load.

    Every problem found is collected in `errors` (each message names the offending
    section, item, option or rule), so an author fixes them in one pass.
    """

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = "; ".join(self.errors[:5])
        more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"invalid question-set definition: {shown}{more}")


class AnswerError(ValueError):
    """An answer set refused as a whole.

    `item_code` names the first offending item (or the top-level key, such as
    "answers" or "question_set", when the request itself is malformed), `message`
    is a one-line plain-English explanation that starts with that code, and
    `errors` maps every offending code to its message.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        self.item_code, self.message = next(iter(self.errors.items()))
        super().__init__(self.message)
