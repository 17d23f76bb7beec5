"""python manage.py restore SRC: replace all data and stored files with a backup's.

Everything is loaded in one transaction: if anything fails, the database is left as it was.
Afterwards every cached query result is invalidated (`invalidate_cachalot`, the step that any
write bypassing Django needs): flushing a PostgreSQL database truncates tables, which the ORM
cache does not see.
"""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .backup import FORMAT_VERSION


class Command(BaseCommand):
    help = "从 backup 生成的 .tar.gz 文件恢复全部数据与上传文件（覆盖现有数据）"

    def add_arguments(self, parser):
        parser.add_argument("src", help="备份文件路径")
        parser.add_argument("--yes", action="store_true", help="不再确认，直接覆盖现有数据")

    def handle(self, *args, src, yes, **options):
        source = Path(src)
        if not source.is_file():
            raise CommandError(f"找不到备份文件：{src}")
        if not yes and input("恢复将覆盖现有全部数据，输入 yes 继续：").strip() != "yes":
            raise CommandError("已取消。")
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            try:
                with tarfile.open(source, "r:gz") as archive:
                    # The 'data' filter refuses absolute paths, '..' and links out of the folder.
                    archive.extractall(workdir, filter="data")
            except (tarfile.TarError, OSError) as exc:
                raise CommandError(f"备份文件无法读取：{exc}") from exc
            manifest_path = workdir / "manifest.json"
            if not manifest_path.exists() or not (workdir / "data.json").exists():
                raise CommandError("这不是 Wulian 的备份文件（缺少 manifest.json 或 data.json）。")
            manifest = json.loads(manifest_path.read_text())
            if manifest.get("format") != FORMAT_VERSION:
                raise CommandError(f"不支持的备份格式版本：{manifest.get('format')}")
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(workdir / "data.json"), verbosity=0)
            call_command("invalidate_cachalot", verbosity=0)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                shutil.rmtree(media)
            if (workdir / "media").exists():
                shutil.copytree(workdir / "media", media)
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{manifest['records']} 条记录，{len(manifest['files'])} 个文件。"
            )
        )
