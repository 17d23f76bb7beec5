"""python manage.py backup DEST: every record and every stored file, in one .tar.gz.

Database-neutral (the ORM's serializer), so a backup taken on SQLite restores on PostgreSQL
and the other way round. For very large installations use the database's own tools as well
(docs/deploy.md); this archive is what the restore command reads.
"""

import io
import json
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

FORMAT_VERSION = 1
# Rebuilt by migrate/flush; restoring them would clash with what the target already has.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class Command(BaseCommand):
    help = "备份全部数据与上传文件到一个 .tar.gz 文件"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份文件路径（.tar.gz）")

    def handle(self, *args, dest, **options):
        target = Path(dest)
        if target.exists():
            raise CommandError(f"目标文件已存在：{dest}（不会覆盖）")
        started = time.perf_counter()
        data = io.StringIO()
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDE, stdout=data, verbosity=0)
        payload = data.getvalue().encode()
        media = Path(settings.MEDIA_ROOT)
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = {
            "format": FORMAT_VERSION,
            "records": len(json.loads(payload)),
            "files": [str(p.relative_to(media)) for p in files],
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for name, content in (
                ("manifest.json", json.dumps(manifest, ensure_ascii=False).encode()),
                ("data.json", payload),
            ):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
        partial.rename(target)  # a finished archive or none: never a half-written one
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{manifest['records']} 条记录，{len(files)} 个文件，"
                f"用时 {time.perf_counter() - started:.1f} 秒 → {target}"
            )
        )
