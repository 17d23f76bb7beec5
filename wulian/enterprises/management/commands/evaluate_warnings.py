"""python manage.py evaluate_warnings: re-check every enterprise against the warning rules."""

from django.core.management.base import BaseCommand

from wulian.enterprises.early_warning import ensure_default_rules, evaluate_warnings


class Command(BaseCommand):
    help = "按预警规则重新检查全部企业的月报（新增、刷新或消除预警）"

    def handle(self, *args, **options):
        ensure_default_rules()
        counts = evaluate_warnings()
        self.stdout.write(
            self.style.SUCCESS(
                f"预警检查完成：新增 {counts['raised']} 条，刷新 {counts['refreshed']} 条，"
                f"消除 {counts['cleared']} 条。"
            )
        )
