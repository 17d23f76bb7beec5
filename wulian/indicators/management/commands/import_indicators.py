"""python manage.py import_indicators FILE [--dry-run]: all values or none, errors in Chinese."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wulian.indicators.importing import import_observations


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 统计表导入指标数据（任何一行有错则不写入任何数据）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 或 csv 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        report = import_observations(actor=None, data=path.read_bytes(), dry_run=dry_run)
        for warning in report.warnings:
            self.stderr.write(f"提示：{warning}")
        if not report.ok:
            for e in report.errors:
                where = f"第{e.row}行" if e.row else "文件"
                column = f"，{e.column}" if e.column else ""
                value = f"（原值：{e.value}）" if e.value else ""
                self.stderr.write(f"{where}{column}：{e.message}{value}")
            raise CommandError(f"导入失败：共 {len(report.errors)} 处错误，未写入任何数据。")
        verb = "预检通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}：共 {report.total_rows} 行，新增 {report.created} 条，"
                f"更新 {report.updated} 条。"
            )
        )
