"""Rebuild the fusion scorecard rollup (ChainScore) now."""

import time

from django.core.management.base import BaseCommand

from wulian.chains.services import refresh_link_stats
from wulian.fusion.services import refresh_scores


class Command(BaseCommand):
    help = "重新计算环节统计与五链融合评分、延链补链强链分析"

    def handle(self, *args, **options):
        started = time.perf_counter()
        refresh_link_stats()
        result = refresh_scores()
        for card in result.values():
            total = "—" if card["total"] is None else f"{card['total']:.1f}"
            self.stdout.write(f"{card['name']}: 融合总分 {total}，发现 {len(card['findings'])} 项")
        self.stdout.write(
            self.style.SUCCESS(f"已完成，用时 {time.perf_counter() - started:.2f} 秒。")
        )
