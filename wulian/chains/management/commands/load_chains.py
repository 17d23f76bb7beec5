"""Load (or check) the chain taxonomy file: new chains, links and edges are added."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wulian.chains.services import refresh_link_stats
from wulian.chains.taxonomy import DEFAULT_PATH, load_taxonomy, read_taxonomy


class Command(BaseCommand):
    help = "校验并载入产业链环节文件（chains.toml）；已有环节保留界面中的修改"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
        parser.add_argument("--check", action="store_true", help="只校验，不写入")

    def handle(self, *args, path, check, **options):
        try:
            taxonomy = read_taxonomy(path)
        except ValidationError as exc:
            raise CommandError("产业链文件有误：\n" + "\n".join(exc.messages)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{path}") from exc
        for warning in taxonomy.warnings:
            self.stdout.write(self.style.WARNING(f"提示：{warning}"))
        links = sum(len(c.links) for c in taxonomy.chains)
        if check:
            self.stdout.write(f"校验通过：{len(taxonomy.chains)} 条产业链，{links} 个环节。")
            return
        created = load_taxonomy(actor=None, taxonomy=taxonomy)
        refresh_link_stats()
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入：新增产业链 {created['chains']} 条、环节 {created['links']} 个、"
                f"供应关系 {created['edges']} 条。"
            )
        )
