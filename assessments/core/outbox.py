"""Reliable enqueueing: a transactional outbox relayed to Celery.

Why not plain `transaction.on_commit(task.delay)`: when Redis is unreachable that call
either hangs the request in kombu's retries or loses the task. Here the message is a
row committed with the change; right after commit we try once to publish it with a
short timeout, and a periodic relay (celery beat) publishes whatever is still
pending once the broker is back. Publishing can happen twice (a crash between
publish and marking it sent), so every task must be idempotent.

Two publishers (the request's after-commit hook and the relay, or two relay runs)
never send the same row: each claims it under a row lock with SKIP LOCKED first.
After a failure the process stops trying for a few seconds, so a request that
enqueues several tasks pays for at most one failed connection attempt.
"""

import logging
import time

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Seconds to leave the broker alone after a failed publish (the relay catches up).
BACKOFF_SECONDS = 5.0
_broker_down_until = 0.0


def enqueue(task_name: str, *args, user=None) -> OutboxMessage:
    """Record a task in the current transaction; it is published after commit."""
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), started_by=user)
    transaction.on_commit(lambda: publish(message.pk), robust=True)
    return message


def publish(message_id: int) -> bool:
    """Publish one pending message; True when it reached the broker (or ran eagerly)."""
    if current_app.conf.task_always_eager:
        return _run_eagerly(message_id)
    if time.monotonic() < _broker_down_until:
        return False
    with transaction.atomic():
        # The lock is held only for one bounded publish (see the broker timeouts in
        # settings); a row someone else is publishing right now is skipped.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        try:
            current_app.send_task(
                message.task_name, args=message.args, kwargs=_kwargs(message), retry=False, ignore_result=True
            )
        except Exception as exc:  # the broker is down or refused: the relay will try again
            _failed(message, exc)
            return False
        _mark_sent(message)
    return True


def _run_eagerly(message_id: int) -> bool:
    # Embedded default: no broker, run in-process now.
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
    if message is None:
        return False
    try:
        # A web process never starts a worker, so the apps' tasks modules may not be
        # imported yet: load them (once; later calls are cheap) before the lookup.
        current_app.loader.import_default_modules()
        current_app.tasks[message.task_name].apply(args=message.args, kwargs=_kwargs(message))
    except Exception as exc:  # the task failed; it records its own failure where it can
        _failed(message, exc, broker=False)
        return False
    _mark_sent(message)
    return True


def _failed(message: OutboxMessage, exc: Exception, *, broker: bool = True) -> None:
    global _broker_down_until
    if broker:
        _broker_down_until = time.monotonic() + BACKOFF_SECONDS
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=message.attempts + 1, last_error=type(exc).__name__[:200]
    )
    logger.warning("outbox message %s not published yet: %s", message.pk, type(exc).__name__)


def _mark_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )


def _kwargs(message: OutboxMessage) -> dict:
    # Tasks get who started them: core.audit runs each task in that person's audit
    # context (see its task_prerun receiver), so the task's audit entries name them.
    return {"started_by_id": message.started_by_id} if message.started_by_id else {}


def relay(limit: int = 200) -> int:
    """Publish pending messages, oldest first; returns how many were published."""
    global _broker_down_until
    # The relay is the one that should find out whether the broker is back.
    _broker_down_until = 0.0
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("created_at")
    published = 0
    for pk in list(pending.values_list("pk", flat=True)[:limit]):
        if publish(pk):
            published += 1
        elif time.monotonic() < _broker_down_until:
            break  # still down: stop here rather than time out once per message
    return published
