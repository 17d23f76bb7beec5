"""Run records of scheduled jobs: one row per job and period, so a period runs once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a scheduled job for one period.

    Every worker's scheduler enqueues a periodic job; the first run to insert the row for its
    period does the work and the others see the unique constraint and stop. That is what makes
    a job run once per period however many workers are started.
    """

    name = models.CharField(_("任务"), max_length=60)
    period = models.DateTimeField(_("周期起点"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=80, blank=True)
    ok = models.BooleanField(_("成功"), null=True)
    result = models.CharField(_("结果"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["-period", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="uniq_job_run_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period:%Y-%m-%d %H:%M}"
