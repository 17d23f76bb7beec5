"""python manage.py import_enterprises FILE [--dry-run]: all rows or none, errors in Chinese."""

from wulian.core.management.importing import ImportCommand
from wulian.enterprises.services import import_enterprises


class Command(ImportCommand):
    help = "从 .xlsx 或 .csv 导入企业（任何一行有错则不写入任何数据）"
    unit = "家"

    def run_import(self, data: bytes, dry_run: bool):
        return import_enterprises(actor=None, data=data, dry_run=dry_run)
