"""Load the Quzhou demo: base configuration, real seed figures and synthetic data.

Idempotent: running it again changes nothing that is already there. Each app contributes
through an optional `demo.load(stdout)` function, called in dependency order.
"""

import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from wulian.core.dbstats import analyze


class Command(BaseCommand):
    help = "载入衢州演示数据（可重复执行）"

    def handle(self, *args, **options):
        for app in settings.WULIAN_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            started = time.perf_counter()
            module.load(stdout=self.stdout)
            analyze()  # the next app's queries are planned over what this one wrote
            self.stdout.write(f"  ({app.rsplit('.', 1)[-1]} {time.perf_counter() - started:.1f}s)")
        self.stdout.write(self.style.SUCCESS("演示数据已载入。演示账号密码：wulian-demo"))
