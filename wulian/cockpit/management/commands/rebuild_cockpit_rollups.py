"""python manage.py rebuild_cockpit_rollups: recompute the monthly totals the cockpit reads."""

from django.core.management.base import BaseCommand

from wulian.cockpit.services import rebuild_rollups


class Command(BaseCommand):
    help = "根据企业月度数据重建驾驶舱月度汇总"

    def handle(self, *args, **options):
        rows = rebuild_rollups()
        self.stdout.write(self.style.SUCCESS(f"已重建月度汇总：{rows} 行"))
