from django.conf import settings


def health_checks() -> list:
    """The database always; the broker (Redis) when one is configured."""
    checks = ["health_check.checks.Database"]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        url = settings.REDIS_URL
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": lambda: Redis.from_url(url)}))
    return checks
