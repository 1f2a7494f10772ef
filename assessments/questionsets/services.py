"""Writes to question sets: clone, edit a draft, publish, retire, delete, import.

Every write of a definition goes through `version_definition_save`, which runs the
whole document through the engine and stores nothing when it is refused. Published
and retired versions are never written here (and the database refuses it anyway,
see migration 0004).
"""

import copy
import json
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.accounts.services import SignatureError, signature_verify
from assessments.core import audit
from assessments.core.audit import Action
from assessments.formulation.engine import DefinitionError, load_definition

from .checking import definition_check, markup_errors
from .models import QuestionSet, QuestionSetVersion
from .translations import needs_review, review_marks_after_edit, with_review_marks

DATA_DIR = Path(__file__).resolve().parent / "data"
# Every shipped version of the default question set, oldest first; the last is the
# default for new interviews and every door (clinical spec, section 6: cadi@2).
SHIPPED_DEFINITION_FILES = (DATA_DIR / "cadi.json", DATA_DIR / "cadi2.json")
DEFAULT_DEFINITION_FILE = SHIPPED_DEFINITION_FILES[-1]
# Larger than any sensible question set (cadi is ~100 kB), small enough to parse safely.
IMPORT_MAX_BYTES = 2_000_000

Status = QuestionSetVersion.Status


class VersionError(Exception):
    """A refused change of a question-set version; `errors` lists every reason."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors[:5]))


class PublishRefused(VersionError):
    """Publishing refused because test cases fail (or there are none)."""


class TextsUnreviewed(VersionError):
    """Publishing asked without confirming the texts still marked "needs review"."""


class SignatureRefused(VersionError):
    """The admin's password (the e-signature of a publish or retire) was not accepted."""


def signature_check(*, user, password: str, purpose: str, version: QuestionSetVersion) -> None:
    """The admin re-enters their password to sign a publish or a retire: the one shared
    e-signature check (wrong passwords audited and counted toward a lockout). Called
    before the signed change's transaction, so a refusal's audit entry is never rolled
    back with it."""
    try:
        signature_verify(user=user, password=password, purpose=purpose, obj=version)
    except SignatureError as exc:
        raise SignatureRefused([exc.message]) from None


def definition_read(path: Path = DEFAULT_DEFINITION_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def default_question_set_ensure() -> QuestionSetVersion:
    """Make sure every shipped cadi version exists, the newest published and the older
    ones retired (never deleted: interviews and formulations point at them), unless a
    newer version is already published. Returns the published version.

    The data migrations do the same for every migrated database; this entry point
    serves `demo_setup` and tests whose transactional flush emptied the tables.
    """
    definitions = [definition_read(path) for path in SHIPPED_DEFINITION_FILES]
    newest = definitions[-1]
    existing = (
        QuestionSetVersion.objects.select_related("question_set")
        .filter(question_set__slug=newest["slug"], status=Status.PUBLISHED)
        .first()
    )
    if existing and existing.number >= newest["version"]:
        return existing
    for definition in definitions:
        load_definition(definition)  # refuse to publish a definition the engine rejects
    question_set, _ = QuestionSet.objects.get_or_create(
        slug=newest["slug"],
        defaults={
            "title": newest["title"]["en"],
            "description": newest.get("description", {}).get("en", ""),
        },
    )
    now = timezone.now()
    if existing:  # one published version per set: retire it before publishing the next
        existing.status, existing.retired_at = Status.RETIRED, now
        existing.save(update_fields=["status", "retired_at", "updated_at"])
    for definition in definitions:
        is_newest = definition is newest
        version, created = QuestionSetVersion.objects.get_or_create(
            question_set=question_set,
            number=definition["version"],
            defaults={
                "definition": definition,
                "status": Status.PUBLISHED if is_newest else Status.RETIRED,
                "published_at": now,
                "retired_at": None if is_newest else now,
            },
        )
        if is_newest and version.status == Status.DRAFT:  # frozen versions are never rewritten
            version.definition, version.status, version.published_at = definition, Status.PUBLISHED, now
            version.save(update_fields=["definition", "status", "published_at", "updated_at"])
    return version


def shipped_version(number: int) -> QuestionSetVersion:
    """A shipped cadi version by number (e.g. 1, now retired), after making sure the
    shipped versions exist."""
    published = default_question_set_ensure()
    return QuestionSetVersion.objects.select_related("question_set").get(
        question_set=published.question_set, number=number
    )


def _audit(version: QuestionSetVersion, action: str, **data) -> None:
    # Question sets hold no patient data: the entry names the version and the change.
    audit.record(action, version, data={"ref": version.ref, **data})


def _next_number(question_set: QuestionSet) -> int:
    # Numbers are never reused, even after a draft is deleted: a number names one document.
    highest = QuestionSetVersion.objects.filter(question_set=question_set).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


@transaction.atomic
def version_clone(*, version: QuestionSetVersion, user) -> QuestionSetVersion:
    """A new draft with the same definition, numbered after the newest version."""
    question_set = QuestionSet.objects.select_for_update().get(pk=version.question_set_id)
    number = _next_number(question_set)
    # A new draft starts with no open review marks: its source was published (and its
    # marks confirmed then) or is a draft whose marks stay with it.
    definition = with_review_marks(copy.deepcopy(version.definition), [])
    definition["version"] = number
    draft = QuestionSetVersion.objects.create(
        question_set=question_set, number=number, definition=definition, based_on=version, created_by=user
    )
    _audit(draft, Action.CREATE, cloned_from=str(version.uuid))
    return draft


@transaction.atomic
def version_definition_save(
    *,
    version: QuestionSetVersion,
    definition: dict,
    user,
    change: dict,
    confirmed_texts: Sequence[dict] = (),
) -> QuestionSetVersion:
    """Replace a draft's definition if the engine accepts the whole document.

    Raises DefinitionError (every problem, each naming its item, option or rule) or
    VersionError when the version is no longer a draft; nothing is stored then.
    `change` says what the admin did, for the audit entry (codes only).

    A text changed in one language marks its other languages "needs review" until
    they are edited too or listed in `confirmed_texts` ([{where, language}])."""
    definition_check(definition, slug=version.question_set.slug, number=version.number)
    marks = review_marks_after_edit(version.definition, definition, confirmed=confirmed_texts)
    definition = with_review_marks(definition, marks)
    now = timezone.now()
    # Compare-and-set on the status: a version published meanwhile is never rewritten.
    updated = QuestionSetVersion.objects.filter(pk=version.pk, status=Status.DRAFT).update(
        definition=definition, updated_at=now
    )
    if not updated:
        raise VersionError([_("Only a draft can be edited; clone this version to change it.")])
    version.definition, version.updated_at = definition, now
    _audit(version, Action.UPDATE, **change)
    return version


def version_publish(
    *, version: QuestionSetVersion, user, password: str, texts_confirmed: bool = False
) -> QuestionSetVersion:
    """Offer a draft for new interviews, retiring the set's current published version,
    signed with the admin's password.

    Refused while the definition is invalid, while it has no test case, while any
    test case fails (PublishRefused lists the failing cases), or when the password is
    wrong (SignatureRefused; audited). Texts still marked "needs review" are published
    only when the admin confirms them as they are (`texts_confirmed`)."""
    signature_check(user=user, password=password, purpose="publish", version=version)
    return _publish_signed(version=version, user=user, texts_confirmed=texts_confirmed)


@transaction.atomic
def _publish_signed(*, version: QuestionSetVersion, user, texts_confirmed: bool) -> QuestionSetVersion:
    version = QuestionSetVersion.objects.select_for_update().select_related("question_set").get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise VersionError([_("Only a draft can be published.")])
    compiled = definition_check(version.definition, slug=version.question_set.slug, number=version.number)
    if not compiled.definition.test_cases:
        raise PublishRefused([_("Add at least one test case before publishing.")])
    if markup := markup_errors(version.definition):
        raise PublishRefused(markup)
    failures = compiled.run_test_cases()
    if failures:
        raise PublishRefused(failures)
    # Last, once the document itself may be published: the human confirmation.
    if needs_review(version.definition) and not texts_confirmed:
        raise TextsUnreviewed(
            [_("Some texts still need review: confirm them as they are, or edit them first.")]
        )
    now = timezone.now()
    previous = list(
        QuestionSetVersion.objects.select_for_update().filter(
            question_set_id=version.question_set_id, status=Status.PUBLISHED
        )
    )
    # Retire first: the one-published constraint is checked row by row.
    QuestionSetVersion.objects.filter(pk__in=[p.pk for p in previous]).update(
        status=Status.RETIRED, retired_at=now
    )
    QuestionSetVersion.objects.filter(pk=version.pk).update(
        status=Status.PUBLISHED, published_at=now, published_by=user
    )
    version.refresh_from_db()
    _audit(
        version,
        Action.UPDATE,
        change="published",
        signed=True,
        texts_confirmed_unreviewed=needs_review(version.definition),
        retired=[str(p.uuid) for p in previous],
    )
    return version


def version_retire(*, version: QuestionSetVersion, user, password: str) -> QuestionSetVersion:
    """Hide a published version from new interviews, signed with the admin's password;
    past interviews keep it."""
    signature_check(user=user, password=password, purpose="retire", version=version)
    return _retire_signed(version=version, user=user)


@transaction.atomic
def _retire_signed(*, version: QuestionSetVersion, user) -> QuestionSetVersion:
    version = QuestionSetVersion.objects.select_for_update().select_related("question_set").get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise VersionError([_("Only the published version can be retired.")])
    if version.question_set.slug == settings.ZEUS_DEFAULT_QUESTION_SET:
        # New sessions always start on this set: it must keep a published version.
        raise VersionError(
            [_("The default question set needs a published version: publish a successor instead.")]
        )
    QuestionSetVersion.objects.filter(pk=version.pk).update(status=Status.RETIRED, retired_at=timezone.now())
    version.refresh_from_db()
    _audit(version, Action.UPDATE, change="retired", signed=True)
    return version


@transaction.atomic
def version_delete(*, version: QuestionSetVersion, user) -> None:
    """Discard a draft (nothing can point at a draft: interviews use published versions)."""
    deleted, _rows = QuestionSetVersion.objects.filter(pk=version.pk, status=Status.DRAFT).delete()
    if not deleted:
        raise VersionError([_("Only a draft can be deleted.")])
    _audit(version, Action.DELETE)


def definition_parse(raw: bytes) -> dict:
    """Decode an uploaded file; DefinitionError naming the problem when it is not a
    JSON object in UTF-8."""
    if len(raw) > IMPORT_MAX_BYTES:
        raise DefinitionError([f"file: larger than {IMPORT_MAX_BYTES // 1000} kB"])
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DefinitionError(["file: not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [f"file: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
        ) from None
    except RecursionError:
        raise DefinitionError(["file: nested too deeply"]) from None
    if not isinstance(data, dict):
        raise DefinitionError([f"file: the top level must be a JSON object, not {type(data).__name__}"])
    return data


@transaction.atomic
def version_import(*, raw: bytes, user) -> QuestionSetVersion:
    """Create a draft from an uploaded definition (the format of data/cadi.json).

    The document is checked in full before anything is created; its `version` is
    replaced by the next free number of its set (an import never overwrites a
    version, and is published only through the usual gate)."""
    data = definition_parse(raw)
    definition_check(data)
    slug = data["slug"]
    question_set, created = QuestionSet.objects.select_for_update().get_or_create(
        slug=slug,
        defaults={"title": data["title"]["en"], "description": (data.get("description") or {}).get("en", "")},
    )
    number = _next_number(question_set)
    definition = {**data, "version": number}
    definition_check(definition, slug=slug, number=number)
    draft = QuestionSetVersion.objects.create(
        question_set=question_set, number=number, definition=definition, created_by=user
    )
    _audit(draft, Action.CREATE, imported=True, new_set=created)
    return draft
