from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    """The background worker: the task queue, scheduled jobs and their run records."""

    name = "wulian.worker"
    label = "worker"
    verbose_name = _("后台任务")

    def ready(self):
        # Every app's tasks.py declares its jobs; load them all so that the registry (and the
        # administrators' page listing it) is complete in every process, not only the worker.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")

        # Large imports go to the worker (core sits below it and is told how to queue).
        from wulian.core import import_jobs

        from .queue import enqueue
        from .tasks import run_import

        import_jobs.register_queue(lambda job_id: enqueue(run_import, job_id))
