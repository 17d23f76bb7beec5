"""python manage.py import_data DATASET FILE [--dry-run] | DATASET --template OUT.xlsx

One command for every dataset the apps register (core.datasets): all rows or none, errors in
Chinese by row and column, exit status 1 on any error.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wulian.core.datasets import registry, template_xlsx
from wulian.core.management.importing import print_report
from wulian.core.models import User


class Command(BaseCommand):
    help = "导入数据集（任何一行有错则不写入任何数据）；--template 生成填报模板；--list 列出数据集"

    def add_arguments(self, parser):
        parser.add_argument("dataset", nargs="?", help="数据集名称，如 enterprise-months")
        parser.add_argument("file", nargs="?", help="xlsx 或 csv 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--template", metavar="OUT.xlsx", help="写出该数据集的填报模板")
        parser.add_argument("--list", action="store_true", help="列出全部数据集")
        parser.add_argument("--user", help="记入审计日志的操作人用户名（默认：系统）")

    def handle(self, *args, dataset, file, dry_run, template, list, user, **options):
        if list or not dataset:
            for item in registry.all():
                self.stdout.write(f"{item.name}\t{item.label}")
            if not list:
                raise CommandError("请指定数据集名称（见上表）。")
            return
        found = registry.get(dataset)
        if found is None:
            raise CommandError(f"未知数据集“{dataset}”，可选：{'、'.join(registry.names())}")
        if template:
            Path(template).write_bytes(template_xlsx(found))
            self.stdout.write(self.style.SUCCESS(f"已写出模板：{template}"))
            return
        if not file:
            raise CommandError("请指定要导入的文件，或用 --template OUT.xlsx 生成模板。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到用户“{user}”。")
        report = found.run(actor=actor, data=path.read_bytes(), dry_run=dry_run)
        print_report(self, report, dry_run=dry_run, unit=found.unit)
