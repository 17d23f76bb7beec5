"""Benchmark: how fast hostile xlsx uploads are refused (core.tabular), with default limits.

Builds, in memory, each attack as an upload of a few hundred kilobytes to a few megabytes:
- the review's bomb: 20 million ``<si><t>a</t></si>`` in xl/sharedStrings.xml (340 MB
  unpacked), refused by the part's declared size;
- the same kind of table kept just under the part's size limit (64 MB, 3.9 million
  strings), refused by counting the strings without parsing them;
- a sheet of empty ``<c/>`` cells just under its size limit, refused by counting tags;
and prints the upload size, the refusal time and the message. Before this reader, the first
cost one request 388 s of CPU and 2 GB of memory.

    .venv/bin/python bench/xlsx_bomb.py
"""

import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook(part: str, head: bytes, unit: bytes, count: int, tail: bytes) -> bytes:
    """A minimal valid workbook whose `part` is head + unit × count + tail, streamed in."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "所属区县"])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item.filename, source.read(item.filename))
        with target.open(part, "w", force_zip64=True) as stream:
            stream.write(head)
            block = unit * 65536
            for _ in range(count // 65536):
                stream.write(block)
            stream.write(unit * (count % 65536) + tail)
    return out.getvalue()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")
    import django

    django.setup()
    from django.conf import settings

    from wulian.core.tabular import TableError, read_table

    sst = b'<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + b">"
    sheet = b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b"><sheetData><row>"
    cases = [
        (
            "20M shared strings (the review's bomb)",
            ("xl/sharedStrings.xml", sst, b"<si><t>a</t></si>", 20_000_000, b"</sst>"),
        ),
        (
            "3.9M shared strings, under the size limit",
            ("xl/sharedStrings.xml", sst, b"<si><t>a</t></si>", 3_900_000, b"</sst>"),
        ),
        (
            "60M empty cells, under the size limit",
            (
                "xl/worksheets/sheet1.xml",
                sheet,
                b"<c/>",
                60_000_000,
                b"</row></sheetData></worksheet>",
            ),
        ),
    ]
    print(f"MAX_IMPORT_ROWS = {settings.MAX_IMPORT_ROWS}")
    for name, spec in cases:
        data = workbook(*spec)
        started = time.perf_counter()
        try:
            header, rows = read_table(data)
            for _row in rows:
                pass
            outcome = "ACCEPTED"
        except TableError as exc:
            outcome = str(exc)
        elapsed = time.perf_counter() - started
        print(f"{name}: upload {len(data) / 1024:.0f} KB, refused in {elapsed:.2f} s — {outcome}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole run (including building the files): {peak:.0f} MB")


if __name__ == "__main__":
    main()
