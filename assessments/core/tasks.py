from celery import shared_task


@shared_task(name="core.ping", time_limit=10, soft_time_limit=5)
def ping(token: str) -> str:
    """Round-trip check for the broker and worker; carries no data of any patient."""
    return f"pong:{token}"
