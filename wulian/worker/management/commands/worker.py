"""python manage.py worker — the background worker: task consumers and the scheduler.

One entry point whatever runs underneath (Huey, docs/adr/0005-worker.md). Start one per
machine; with a shared Redis queue (WORKER_URL) start as many as needed: scheduled jobs still
run once per period.
"""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from huey.consumer_options import ConsumerConfig

from wulian.worker.queue import HUEY, JOBS, run_job


class Command(BaseCommand):
    help = "运行后台任务进程（通知投递、提醒、督办升级、默认办结、统计刷新）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads", type=int, default=settings.WORKER_THREADS, help="并发执行任务的线程数"
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="只执行任务，不运行定时调度"
        )
        parser.add_argument(
            "--run",
            metavar="JOB",
            action="append",
            default=[],
            help="立即执行指定的定时任务（可重复；all 表示全部）后退出，不启动后台进程",
        )

    def handle(self, *args, **options):
        if options["run"]:
            self.run_now(options["run"])
            return
        config = ConsumerConfig(
            workers=options["threads"],
            worker_type="thread",
            periodic=not options["no_scheduler"],
            initial_delay=0.1,
            backoff=1.15,
            max_delay=2.0,
            scheduler_interval=1,
            check_worker_health=True,
            health_check_interval=10,
        )
        config.validate()
        logger = logging.getLogger("huey")
        if not logger.handlers:
            config.setup_logger(logger)
        self.stdout.write(
            f"worker: {type(HUEY).__name__} {options['threads']} threads, "
            f"scheduler {'off' if options['no_scheduler'] else 'on'}"
        )
        HUEY.create_consumer(**config.values).run()

    def run_now(self, names: list[str]) -> None:
        """Run scheduled jobs once, here and now (each still at most once per period)."""
        if "all" in names:
            names = sorted(JOBS)
        unknown = [n for n in names if n not in JOBS]
        if unknown:
            raise CommandError(
                f"没有这个定时任务：{'、'.join(unknown)}（可选：{'、'.join(sorted(JOBS))}）"
            )
        for name in names:
            result = run_job(name)
            shown = "本周期已执行过" if result is None else result
            self.stdout.write(f"{name}: {shown}")
