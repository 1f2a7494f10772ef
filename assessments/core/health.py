from typing import Any

from django.conf import settings


def health_checks() -> list:
    """The database always; the broker (Redis) when one is configured."""
    checks: list[str | tuple[str, dict[str, Any]]] = ["health_check.checks.Database"]
    if settings.REDIS_URL:
        from redis.asyncio import Redis  # only when a broker is configured

        url = settings.REDIS_URL
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": lambda: Redis.from_url(url)}))
    return checks
