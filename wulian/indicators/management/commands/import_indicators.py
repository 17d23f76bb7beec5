"""python manage.py import_indicators FILE [--dry-run]: all values or none, errors in Chinese."""

from wulian.core.management.importing import ImportCommand
from wulian.indicators.importing import import_observations


class Command(ImportCommand):
    help = "从 .xlsx 或 .csv 统计表导入指标数据（任何一行有错则不写入任何数据）"
    unit = "条"

    def run_import(self, data: bytes, dry_run: bool):
        return import_observations(actor=None, data=data, dry_run=dry_run)
