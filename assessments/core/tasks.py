from celery import shared_task, states
from celery.signals import task_postrun

from .outbox import message_done, relay


@shared_task(name="core.ping", time_limit=10, soft_time_limit=5, ignore_result=False)
def ping(token: str) -> str:
    """Round-trip check for the broker and worker; carries no data of any patient."""
    return f"pong:{token}"


@shared_task(name="core.relay_outbox", time_limit=120, soft_time_limit=100)
def relay_outbox() -> int:
    """Periodic (celery beat): publish tasks that could not reach the broker before."""
    return relay()


@task_postrun.connect(dispatch_uid="core.outbox_done")
def _outbox_done(sender=None, task_id=None, state=None, **_):
    # Runs in the worker right after the task, for every task: the outbox row of a task
    # that has run for good is done (a retry, state RETRY, keeps it sent: not run yet).
    if state in (states.SUCCESS, states.FAILURE):
        message_done(task_id)
