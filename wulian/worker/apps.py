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
