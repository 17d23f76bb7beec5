"""python manage.py evaluate_mujun YEAR: grade the industrial enterprises A–D (亩均论英雄)."""

from django.core.management.base import BaseCommand, CommandError

from wulian.enterprises.mujun import evaluate_mujun


class Command(BaseCommand):
    help = "亩均论英雄年度评价：按用地与资源效率将规上工业企业分为 A、B、C、D 四类"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="评价年度，如 2024")

    def handle(self, *args, year, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度“{year}”无效。")
        counts = evaluate_mujun(actor=None, year=year)
        total = sum(counts.values())
        if not total:
            raise CommandError(f"{year} 年没有可评价的企业（需规上工业、有用地面积和足够的月报）。")
        parts = "，".join(f"{g}类 {n} 家" for g, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{year} 年度亩均评价完成：共 {total} 家；{parts}。"))
