"""The shared shape of `import_*` commands: read a file, report in Chinese, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    """Subclasses set `runner` (actor=, data=, dry_run= → ImportReport) and `unit` (家, 条 …)."""

    unit = "条"

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 或 csv 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def run_import(self, data: bytes, dry_run: bool):
        raise NotImplementedError

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        report = self.run_import(path.read_bytes(), dry_run)
        print_report(self, report, dry_run=dry_run, unit=self.unit)


def print_report(command: BaseCommand, report, *, dry_run: bool, unit: str) -> None:
    """Warnings and errors by row and column on stderr; CommandError (exit 1) on any error."""
    for warning in report.warnings:
        command.stderr.write(f"提示：{warning}")
    if not report.ok:
        for e in report.errors:
            where = f"第{e.row}行" if e.row else "文件"
            column = f"，{e.column}" if e.column else ""
            value = f"（原值：{e.value}）" if e.value else ""
            command.stderr.write(f"{where}{column}：{e.message}{value}")
        raise CommandError(f"导入失败：共 {len(report.errors)} 处错误，未写入任何数据。")
    verb = "预检通过（未写入）" if dry_run else "导入完成"
    command.stdout.write(
        command.style.SUCCESS(
            f"{verb}：共 {report.total_rows} 行，"
            f"新增 {report.created} {unit}，更新 {report.updated} {unit}。"
        )
    )
