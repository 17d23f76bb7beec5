"""Recompute the 企呼我应 statistics rollup from the requests (after bulk loads or repairs)."""

from django.core.management.base import BaseCommand

from wulian.service import rollup


class Command(BaseCommand):
    help = "根据企业诉求重新计算统计汇总表"

    def handle(self, *args, **options):
        rows = rollup.rebuild()
        self.stdout.write(self.style.SUCCESS(f"统计汇总已重建：{rows} 行。"))
