"""What-if: ask for a run of a draft over the finalized interviews of its set.

The run itself reads interviews and formulations, which sit in higher layers, so it
lives in `reports.whatif`; this module only records the request and announces it
with the `whatif_requested` signal (see signals.py), inside the same transaction.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.core import audit
from assessments.core.audit import Action

from .models import QuestionSetVersion, WhatIfRun
from .services import VersionError
from .signals import whatif_requested


def whatif_request(*, version: QuestionSetVersion, user) -> WhatIfRun:
    """Create a run; its receiver enqueues the task after commit (through the outbox)."""
    if not version.is_draft:
        raise VersionError([_("A what-if run compares a draft with what is published; this is not a draft.")])
    with transaction.atomic():
        run = WhatIfRun.objects.create(version=version, revision=version.updated_at, requested_by=user)
        audit.record(Action.CREATE, run, data={"ref": version.ref, "what_if": True})
        whatif_requested.send(sender=WhatIfRun, run=run, user=user)
    return run
