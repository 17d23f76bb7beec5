"""Large uploads go to the worker (immediate in tests): checked, previewed, confirmed and written
there, with the stage and progress on the page, and the uploader told when it finishes."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from wulian.core import import_jobs
from wulian.core.choices import ImportStatus
from wulian.core.datasets import registry
from wulian.core.models import ImportJob
from wulian.core.tests.roundtrip import fill_template
from wulian.notifications.choices import Kind
from wulian.notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/data/enterprise-months/import/"


@pytest.fixture
def big(settings):
    """Every upload counts as large."""
    settings.IMPORT_BACKGROUND_BYTES = 0


def month_file(rows):
    upload = io.BytesIO(fill_template(registry.get("enterprise-months"), rows))
    upload.name = "月报.xlsx"
    return upload


def told(user):
    return list(
        Notification.objects.filter(recipient=user, message__kind=Kind.IMPORT_FINISHED)
        .order_by("id")
        .values_list("message__title", flat=True)
    )


def test_a_large_upload_is_checked_and_written_by_the_worker(
    big, base_config, users, client, django_capture_on_commit_callbacks
):
    from wulian.enterprises.models import EnterpriseMonth
    from wulian.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    client.force_login(users["econ"])
    rows = [[enterprise.uscc, f"2025-{m:02d}", 10, 11, 1, 2, 3, 4] for m in range(1, 10)]
    # when a large file is uploaded, the request only stores it and queues the check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": month_file(rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{job.pk}/"
    assert job.background
    # then the worker checked it: the page shows the preview and the uploader is told
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.report["total_rows"] == 9
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert "预检通过" in page and f"{URL}{job.pk}/commit/" in page
    assert 'hx-trigger="every 2s"' not in page  # nothing to poll for any more
    assert told(users["econ"]) == ["数据预检通过，待确认导入：企业月度数据"]
    assert not EnterpriseMonth.objects.exists()
    # when the uploader confirms, the worker writes every row, and says so
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"{URL}{job.pk}/commit/")
    assert confirmed.status_code == 302 and confirmed["Location"] == f"{URL}{job.pk}/"
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert EnterpriseMonth.objects.count() == 9
    assert told(users["econ"])[-1] == "数据导入完成：企业月度数据"
    assert "导入完成：新增 9" in client.get(f"{URL}{job.pk}/").content.decode()
    # a second confirmation writes nothing more
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}{job.pk}/commit/")
    assert EnterpriseMonth.objects.count() == 9


def test_a_bad_large_file_fails_in_the_worker_and_writes_nothing(
    big, base_config, users, client, django_capture_on_commit_callbacks
):
    from wulian.enterprises.models import EnterpriseMonth

    client.force_login(users["econ"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"file": month_file([["bad", "2025-09", 1, 1, 1, 1, 1, 1]])})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert "预检未通过" in page and "第2行" in page
    assert told(users["econ"]) == ["数据导入未完成：企业月度数据"]
    assert not EnterpriseMonth.objects.exists()
    assert not job.file.storage.exists(job.file.name)


def test_a_crash_in_the_worker_fails_the_job_in_chinese_and_is_logged(
    big, base_config, users, client, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    # the worker task is a boundary: an unexpected error becomes the job's report, logged,
    # and the uploader is told; nothing is written
    from wulian.enterprises.models import EnterpriseMonth

    dataset = registry.get("enterprise-months")

    def broken(**kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(dataset, "run", broken)
    client.force_login(users["econ"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"file": month_file([["x", "2025-09", 1, 1, 1, 1, 1, 1]])})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "导入过程中出错，未写入任何数据：磁盘已满" in str(job.report)
    assert "failed in stage preview" in caplog.text
    assert told(users["econ"]) == ["数据导入未完成：企业月度数据"]
    assert not EnterpriseMonth.objects.exists()


def test_the_page_shows_progress_while_the_worker_runs(big, base_config, users, client):
    # given a job the worker is checking, 5000 rows in
    client.force_login(users["econ"])
    job = ImportJob.objects.create(
        kind="enterprise-months",
        created_by=users["econ"],
        original_name="大文件.xlsx",
        status=ImportStatus.CHECKING,
        background=True,
    )
    import_jobs._report_progress(job.pk)(5000, 0)
    # the page (and the fragment htmx polls) shows the stage and the rows read, and polls on
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert "预检中" in page and "已读取 5,000 行" in page
    assert f'hx-get="{URL}{job.pk}/" hx-trigger="every 2s"' in page
    fragment = client.get(f"{URL}{job.pk}/", HTTP_HX_REQUEST="true")
    assert "已读取 5,000 行" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    # someone else does not see the job
    client.force_login(users["admin"])
    assert client.get(f"{URL}{job.pk}/").status_code == 404


def test_small_files_stay_in_the_request(base_config, users, client):
    from wulian.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    client.force_login(users["econ"])
    preview = client.post(
        URL, {"file": month_file([[enterprise.uscc, "2025-09", 1, 1, 1, 1, 1, 1]])}
    )
    assert preview.status_code == 200 and "预检通过" in preview.content.decode()
    assert not ImportJob.objects.get().background


def test_lost_and_interrupted_jobs_are_taken_up_again(big, base_config, users):
    from wulian.enterprises.models import EnterpriseMonth
    from wulian.enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    data = month_file([[enterprise.uscc, "2025-09", 1, 1, 1, 1, 1, 1]])
    data.size = len(data.getvalue())
    job = import_jobs.queue_import(actor=users["econ"], kind="enterprise-months", upload=data)
    # its task was lost (never ran): the sweep queues it again and the (immediate) worker
    # checks it
    old = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=old)
    assert import_jobs.requeue_lost() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    # a worker that died while writing: the write is not repeated behind anyone's back, the
    # uploader confirms again
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING, updated_at=old)
    assert import_jobs.requeue_lost() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and not EnterpriseMonth.objects.exists()
    import_jobs.confirm_import(actor=users["econ"], job=job)
    assert import_jobs.run_import_job(str(job.pk)) == "commit done"
    assert EnterpriseMonth.objects.count() == 1
    # a duplicated task finds nothing to do
    assert import_jobs.run_import_job(str(job.pk)) == "nothing to do"
    assert cache.get(f"import-progress:{job.pk}") is None
