"""Apply what time alone decides: close answered requests left unrated past the deadline.

Pages do this lazily when they are read; run this from cron (or by hand) to do it for all.
Overdue state and escalation need no sweep: they are derived from stored deadlines.
"""

from django.core.management.base import BaseCommand

from wulian.service.services import close_silent_requests


class Command(BaseCommand):
    help = "将逾期未评价的已答复诉求按默认满意办结（页面读取时也会自动执行）"

    def handle(self, *args, **options):
        closed = close_silent_requests()
        self.stdout.write(self.style.SUCCESS(f"默认办结 {closed} 件诉求。"))
