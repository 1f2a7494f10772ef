"""Reliable enqueueing: a transactional outbox relayed to Celery.

Why not plain `transaction.on_commit(task.delay)`: when Redis is unreachable that call
either hangs the request in kombu's retries or loses the task. Here the message is a
row committed with the change; right after commit we try once to publish it with a
short timeout, and a periodic relay (celery beat) publishes whatever is still
pending once the broker is back. Publishing can happen twice (a crash between
publish and marking it sent), so every task must be idempotent.
"""

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args, user=None) -> OutboxMessage:
    """Record a task in the current transaction; it is published after commit."""
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), started_by=user)
    transaction.on_commit(lambda: publish(message.pk), robust=True)
    return message


def publish(message_id: int) -> bool:
    """Publish one pending message; True when it reached the broker (or ran eagerly)."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
    if message is None:
        return False
    try:
        if current_app.conf.task_always_eager:
            # Embedded default: no broker, run in-process now.
            _task(message.task_name).apply(args=message.args, kwargs=_kwargs(message))
        else:
            current_app.send_task(
                message.task_name, args=message.args, kwargs=_kwargs(message), retry=False, ignore_result=True
            )
    except Exception as exc:  # the broker is down or refused: the relay will try again
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=type(exc).__name__[:200]
        )
        logger.warning("outbox message %s not published yet: %s", message.pk, type(exc).__name__)
        return False
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )
    return True


def _task(name: str):
    # Task modules are discovered lazily; a web process may not have imported them yet.
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _kwargs(message: OutboxMessage) -> dict:
    # Tasks changing records get who started them, so their audit entries name a person.
    return {"started_by_id": message.started_by_id} if message.started_by_id else {}


def relay(limit: int = 200) -> int:
    """Publish pending messages, oldest first; returns how many were published."""
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("created_at")
    return sum(publish(pk) for pk in pending.values_list("pk", flat=True)[:limit])
