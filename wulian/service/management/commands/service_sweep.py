"""Apply what time alone decides, now: close answered requests left unrated past the deadline,
then send the deadline reminders and escalations that are due.

The worker (`manage.py worker`) runs the same every five minutes (`service.tasks`); this
command is for a one-off run by hand. Each event is sent once, however often it runs.
"""

from django.core.management.base import BaseCommand

from wulian.service.notices import remind
from wulian.service.services import close_silent_requests


class Command(BaseCommand):
    help = (
        "立即执行诉求时限任务：逾期未评价默认办结、到期提醒、超期督办（后台任务每 5 分钟执行一次）"
    )

    def handle(self, *args, **options):
        closed = close_silent_requests()
        told = remind()
        self.stdout.write(
            self.style.SUCCESS(
                f"默认办结 {closed} 件诉求；到期提醒 {told['due_soon']} 条；"
                f"超期督办 {told['overdue_or_escalated']} 条。"
            )
        )
