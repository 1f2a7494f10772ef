from django.conf import settings

from .models import QuestionSetVersion


class QuestionSetNotFound(LookupError):
    pass


def version_resolve(ref: str | None) -> QuestionSetVersion:
    """`slug` → its published version; `slug@N` → version N (any status, so that
    stored formulations can be reproduced on retired versions); None → default set."""
    ref = ref or settings.ZEUS_DEFAULT_QUESTION_SET
    slug, _, number = ref.partition("@")
    versions = QuestionSetVersion.objects.select_related("question_set").filter(question_set__slug=slug)
    if number:
        if not number.isdigit():
            raise QuestionSetNotFound(f"question_set: {ref!r} is not of the form slug@number")
        version = versions.filter(number=int(number)).first()
    else:
        version = versions.filter(status=QuestionSetVersion.Status.PUBLISHED).first()
    if version is None:
        raise QuestionSetNotFound(f"question_set: no published version matches {ref!r}")
    return version
