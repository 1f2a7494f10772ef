from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request):
    """The unread count in the navigation bar, counted only when a template shows it
    (an htmx fragment such as the autosave status does not: a query saved)."""
    user = getattr(request, "user", None)

    def unread() -> int:
        if not getattr(user, "is_authenticated", False):
            return 0
        return Notification.objects.for_user(user).filter(read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(unread)}
