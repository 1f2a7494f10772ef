"""The audit log's one entry point: `record(action, obj, patient=...)`.

Who acted, from which address and in which request is not passed through every
service signature: it is the *audit context*, a context variable set once per unit
of work, by the middleware for a web request (`RequestContextMiddleware`), by
`acting(...)` for a Celery task or a management command. A context variable rather
than a thread-local: gunicorn runs several threads per worker, and a context
variable is also correct if a view ever runs in an event loop.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from celery.signals import task_postrun, task_prerun
from django.contrib.auth import get_user_model
from django.db import models

from .models import AuditEntry, PatientRecord

Action = AuditEntry.Action


@dataclasses.dataclass(frozen=True)
class AuditContext:
    """Who is acting. For a request the user is read when an entry is written, not when
    the request starts, so an entry written after a login names the person who
    logged in."""

    request: Any = None
    user: Any = None
    ip_address: str | None = None
    request_id: str = ""
    source: str = ""

    @property
    def actor(self):
        user = self.request.user if self.request is not None else self.user
        return user if getattr(user, "is_authenticated", False) else None


_NOBODY = AuditContext(source="none")
_current: ContextVar[AuditContext] = ContextVar("zeus_audit_context", default=_NOBODY)


def current() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def _entered(context: AuditContext) -> Iterator[AuditContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        # Reset, never leave it set: the thread serves the next request or task next.
        _current.reset(token)


def in_request(request) -> contextlib.AbstractContextManager[AuditContext]:
    """The context of one web request (used by the middleware)."""
    return _entered(
        AuditContext(
            request=request,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            request_id=getattr(request, "request_id", ""),
            source="request",
        )
    )


def acting(*, source: str, user=None, user_id: int | None = None) -> contextlib.AbstractContextManager:
    """The context of work outside a request: a task (`source="task reports.run_job"`)
    or a command. `user` / `user_id` name the person who started it, when there is one."""
    if user is None and user_id is not None:
        user = get_user_model().objects.filter(pk=user_id).first()
    return _entered(AuditContext(user=user, source=source))


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    patient: models.Model | None = None,
    data: dict | None = None,
    user=None,
) -> AuditEntry:
    """Write one audit entry about `obj` (the record acted on) for the current context.

    `patient` is the patient whose data it is; when `obj` is itself a patient it is
    that patient. A deletion is recorded with `Action.DELETE` (the row is gone; the
    entry keeps its type and uuid)."""
    if patient is None and isinstance(obj, PatientRecord):
        patient = obj
    context = current()
    return AuditEntry.objects.create(
        action=action,
        # `user` only for an entry about an account rather than an action: a signature
        # attempt names the signer, whoever is signed in (lockouts count per signer).
        user=user if user is not None else context.actor,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uuid=getattr(obj, "uuid", None),
        patient_uuid=getattr(patient, "uuid", None),
        ip_address=context.ip_address,
        request_id=context.request_id,
        data=data or {},
    )


def record_listing(listing: str, patient_uuids: Iterable) -> AuditEntry:
    """One entry for a page that lists patients (record numbers are patient data):
    which list, and the uuids of the patients it showed."""
    return record(Action.VIEW, data={"list": listing, "patients": [str(u) for u in patient_uuids]})


# Celery tasks run outside any request: each runs in its own audit context, named after
# the task and, when the outbox recorded who started it (`started_by_id`, see
# outbox.enqueue), that person. Connected here, once, for every task of every app.
_task_contexts: dict[str, contextlib.ExitStack] = {}


@task_prerun.connect(weak=False, dispatch_uid="zeus_audit_task_enter")
def _task_enter(task_id=None, task=None, kwargs=None, **_ignored) -> None:
    stack = contextlib.ExitStack()
    user_id = (kwargs or {}).get("started_by_id")
    stack.enter_context(acting(source=f"task {getattr(task, 'name', '')}", user_id=user_id))
    _task_contexts[task_id] = stack


@task_postrun.connect(weak=False, dispatch_uid="zeus_audit_task_leave")
def _task_leave(task_id=None, **_ignored) -> None:
    stack = _task_contexts.pop(task_id, None)
    if stack is not None:
        stack.close()
