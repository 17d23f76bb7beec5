"""manage.py open311_key NAME — issue an Open311 api_key to an integration; prints the key."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wulian.service.open311_services import issue_open311_key


class Command(BaseCommand):
    help = (
        "签发 Open311 接入密钥（api_key），如 12345 热线、浙里办接入。只打印一次密钥，"
        "平台只保存其摘要；管理员可在“Open311 接入”页面或 /api/v1/open311-keys/ 查看和停用。"
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="接入方名称，如“12345热线”")

    def handle(self, *args, **options):
        try:
            key, raw = issue_open311_key(actor=None, name=options["name"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stderr.write(
            f"已为「{key.name}」签发密钥（前缀 {key.prefix}）。请妥善保存，不会再次显示："
        )
        # The key alone on stdout, so that a script can capture it.
        self.stdout.write(raw)
