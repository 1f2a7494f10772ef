from celery import shared_task

from .outbox import relay


@shared_task(name="core.ping", time_limit=10, soft_time_limit=5, ignore_result=False)
def ping(token: str) -> str:
    """Round-trip check for the broker and worker; carries no data of any patient."""
    return f"pong:{token}"


@shared_task(name="core.relay_outbox", time_limit=120, soft_time_limit=100)
def relay_outbox() -> int:
    """Periodic (celery beat): publish tasks that could not reach the broker before."""
    return relay()
