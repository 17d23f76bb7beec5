"""A backup → damage → restore round trip keeps every record and every stored file."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from wulian.core.models import ImportJob
from wulian.enterprises.models import Enterprise
from wulian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label not in ("contenttypes.ContentType", "auth.Permission", "sessions.Session")
    }


def test_round_trip(base_config, users, tmp_path, settings):
    own = EnterpriseFactory(name="备份测试企业")
    own.accounts.add(users["ent_demo"])
    job = ImportJob(
        kind="enterprises", created_by=users["econ"], original_name="a.xlsx", status="previewed"
    )
    job.file.save("x.upload", ContentFile(b"file-bytes-\x00\x01"), save=False)
    job.save()
    before = counts()
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))

    # damage: delete records and the file
    Enterprise.objects.all().delete()
    job.file.delete(save=False)
    ImportJob.objects.all().delete()

    call_command("restore", str(archive), "--yes")
    assert counts() == before
    restored = Enterprise.objects.get(name="备份测试企业")
    assert list(restored.accounts.values_list("username", flat=True)) == ["ent_demo"]
    job = ImportJob.objects.get()
    with job.file.open("rb") as handle:
        assert handle.read() == b"file-bytes-\x00\x01"
    # the restored users can still sign in
    from django.test import Client

    assert Client().login(username="econ", password="wulian-demo")


def test_restore_leaves_no_cached_read_of_the_replaced_data(base_config, tmp_path, monkeypatch):
    from cachalot.management.commands import invalidate_cachalot as command

    EnterpriseFactory(name="备份前")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    EnterpriseFactory(name="备份后")
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"备份前", "备份后"}
    invalidated = []
    real = command.invalidate
    monkeypatch.setattr(
        command, "invalidate", lambda *a, **kw: invalidated.append(a) or real(*a, **kw)
    )
    call_command("restore", str(archive), "--yes")
    assert invalidated == [()]  # every table
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"备份前"}


def test_backup_refuses_to_overwrite_and_restore_rejects_garbage(base_config, tmp_path):
    existing = tmp_path / "exists.tar.gz"
    existing.write_bytes(b"x")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(existing))
    with pytest.raises(CommandError, match="无法读取"):
        call_command("restore", str(existing), "--yes")
