"""python manage.py rebuild_cockpit_rollups: recompute the monthly totals the cockpit reads.

The totals are kept current by every write of monthly figures; this rebuilds them all, e.g.
after a restore from a backup.
"""

from django.core.management.base import BaseCommand

from wulian.enterprises.months import rebuild_month_rollups


class Command(BaseCommand):
    help = "根据企业月度数据重建月度汇总（驾驶舱、产业链页面读取）"

    def handle(self, *args, **options):
        rows = rebuild_month_rollups()
        self.stdout.write(self.style.SUCCESS(f"已重建月度汇总：{rows} 行"))
