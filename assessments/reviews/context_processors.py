from .models import Notification


def notifications(request):
    """The unread count in the navigation bar."""
    user = getattr(request, "user", None)
    unread = 0
    if getattr(user, "is_authenticated", False):
        unread = Notification.objects.for_user(user).filter(read_at__isnull=True).count()
    return {"unread_notifications": unread}
