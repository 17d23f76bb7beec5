"""The database failing in the middle of an import leaves nothing half-written."""

import pytest
from django.db import OperationalError

from wulian.core import audit
from wulian.core.models import AuditEvent
from wulian.enterprises.models import Enterprise
from wulian.enterprises.services import import_enterprises

from .helpers import xlsx_bytes
from .test_import import good_rows

pytestmark = pytest.mark.usefixtures("base_config")


def test_connection_lost_after_rows_were_inserted_rolls_everything_back(monkeypatch):
    data = xlsx_bytes(good_rows())
    real = audit.record_many

    def lose_connection(**kwargs):
        # The enterprises are already inserted in this transaction when the audit write fails.
        assert Enterprise.objects.count() == 3
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(audit, "record_many", lose_connection)
    with pytest.raises(OperationalError):
        import_enterprises(actor=None, data=data)
    assert Enterprise.objects.count() == 0 and AuditEvent.objects.count() == 0

    # the next try works
    monkeypatch.setattr(audit, "record_many", real)
    report = import_enterprises(actor=None, data=data)
    assert report.ok and Enterprise.objects.count() == 3 and AuditEvent.objects.count() == 3


def test_upload_commit_during_outage_says_so_and_can_be_retried(client, users, monkeypatch):
    import io

    from wulian.core.models import ImportJob

    client.force_login(users["econ"])
    upload = io.BytesIO(xlsx_bytes(good_rows()))
    upload.name = "good.xlsx"
    client.post("/enterprises/import/", {"file": upload})
    job = ImportJob.objects.get()

    def lose_connection(**kwargs):
        raise OperationalError("connection lost")

    real = audit.record_many
    monkeypatch.setattr(audit, "record_many", lose_connection)
    response = client.post(f"/enterprises/import/{job.pk}/commit/", follow=True)
    assert "数据库连接中断" in response.content.decode()
    assert Enterprise.objects.count() == 0
    monkeypatch.setattr(audit, "record_many", real)
    client.post(f"/enterprises/import/{job.pk}/commit/")
    assert Enterprise.objects.count() == 3
