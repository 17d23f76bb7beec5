"""Notification pages: the centre, my settings, group robots and channel health."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.permissions import ALL_ROLES, RoleRequiredMixin
from wulian.worker.queue import JOBS
from wulian.worker.tasks import last_heartbeat, worker_alive

from . import services
from .choices import DeliveryStatus, Kind
from .forms import RobotForm, SettingsForm
from .models import ChannelHealth, Delivery, Notification, NotifySettings, Robot
from .permissions import ROBOT_ROLES, can_configure_channels, sees_every_robot
from .services import env_robots


class NotificationCentreView(RoleRequiredMixin, View):
    """通知中心: my notifications, newest first, unread marked; open one to go to the work."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        qs = Notification.objects.visible_to(request.user).for_list().order_by("-id")
        unread_only = request.GET.get("unread") == "1"
        if unread_only:
            qs = qs.unread()
        page = Paginator(qs, 30).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "unread_only": unread_only,
            "unread": services.unread_count(request.user),
            "can_configure_channels": can_configure_channels(request.user),
        }
        return render(request, "notifications/centre.html", context)


class NotificationOpenView(RoleRequiredMixin, View):
    """POST: mark one notification read and go to where its work is done."""

    allowed_roles = ALL_ROLES

    def post(self, request, pk):
        notification = get_object_or_404(
            Notification.objects.visible_to(request.user).select_related("message"), pk=pk
        )
        services.mark_read(actor=request.user, notification=notification)
        url = notification.message.url
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            return redirect(url)
        return redirect("notifications:centre")


class NotificationReadAllView(RoleRequiredMixin, View):
    allowed_roles = ALL_ROLES

    def post(self, request):
        count = services.mark_all_read(actor=request.user)
        messages.success(request, _("已将 %(n)d 条通知标记为已读。") % {"n": count})
        return redirect("notifications:centre")


class NotifySettingsPageView(RoleRequiredMixin, View):
    """My channels per kind, quiet hours, SMS phone and the daily digest."""

    allowed_roles = ALL_ROLES

    def _render(self, request, form, channels, status=200):
        rows = [(kind, label, channels[kind]) for kind, label in Kind.choices]
        context = {"form": form, "rows": rows, "has_email": bool(request.user.email)}
        return render(request, "notifications/settings.html", context, status=status)

    def get(self, request):
        mine = NotifySettings.objects.filter(user=request.user).first()
        form = SettingsForm(
            initial={
                "quiet_start": mine.quiet_start if mine else None,
                "quiet_end": mine.quiet_end if mine else None,
                "phone": mine.phone if mine else "",
                "daily_digest": services.digest_wanted(request.user, mine),
            }
        )
        return self._render(request, form, services.channel_choices(request.user))

    def post(self, request):
        form = SettingsForm(request.POST)
        channels = form.channels(request.POST)
        if form.is_valid():
            try:
                services.save_preferences(
                    actor=request.user, channels=channels, **form.cleaned_data
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("通知设置已保存。"))
                return redirect("notifications:settings")
        return self._render(request, form, channels, status=400)


class ChannelsView(RoleRequiredMixin, View):
    """Group robots (a department's staff: their own; administrators: all) and, for
    administrators, the health of every channel, the outbox and the worker."""

    allowed_roles = ROBOT_ROLES

    def _robots(self, user):
        qs = Robot.objects.select_related("department").order_by("department__code", "id")
        return qs if sees_every_robot(user) else qs.filter(department_id=user.department_id)

    def _render(self, request, form, status=200):
        user = request.user
        admin = sees_every_robot(user)
        context = {"robots": self._robots(user), "form": form, "admin": admin}
        if admin:
            health = list(ChannelHealth.objects.order_by("-consecutive_failures", "channel"))
            for row in health:
                row.failing = row.consecutive_failures >= settings.NOTIFY_FAILING_AFTER
            outbox = dict(Delivery.objects.values_list("status").order_by().annotate(n=Count("id")))
            context.update(
                {
                    "health": health,
                    "env_robots": [
                        (c, ChannelHealth(target=u).shown_target) for c, u in env_robots()
                    ],
                    "signed": bool(settings.NOTIFY_WEBHOOK_SECRET),
                    "outbox": [(s, label, outbox.get(s, 0)) for s, label in DeliveryStatus.choices],
                    "heartbeat": last_heartbeat(),
                    "alive": worker_alive(),
                    "jobs": sorted(JOBS.values(), key=lambda j: j.name),
                }
            )
        return render(request, "notifications/channels.html", context, status=status)

    def get(self, request):
        return self._render(request, RobotForm(user=request.user))

    def post(self, request):
        if request.POST.get("delete"):
            robot = get_object_or_404(self._robots(request.user), pk=request.POST["delete"])
            services.delete_robot(actor=request.user, robot=robot)
            messages.success(request, _("群机器人已删除。"))
            return redirect("notifications:channels")
        form = RobotForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.save_robot(actor=request.user, robot=Robot(), **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("群机器人已保存。"))
                return redirect("notifications:channels")
        return self._render(request, form, status=400)
