"""The bell in the top bar: my unread count, and failing channels for administrators."""

from django.conf import settings

from .models import ChannelHealth, Notification
from .permissions import sees_every_robot


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"unread_notifications": Notification.objects.visible_to(user).unread().count()}
    if sees_every_robot(user):
        context["failing_channels"] = ChannelHealth.objects.filter(
            consecutive_failures__gte=settings.NOTIFY_FAILING_AFTER
        ).count()
    return context
