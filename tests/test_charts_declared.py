"""Every chart container is declared with data-chart, so the all-pages browser walk
(tests/e2e/test_every_page.py) checks that it is drawn."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "wulian"
INIT = re.compile(r"""echarts\.init\(\s*document\.getElementById\(\s*["']([\w-]+)["']\s*\)""")
# an element looked up by id, not a json_script block read for its text
BY_ID = re.compile(r"""getElementById\(\s*["']([\w-]+)["']\s*\)(?!\.textContent)""")


def _sources():
    for path in [*ROOT.rglob("templates/**/*.html"), *ROOT.rglob("static/**/*.js")]:
        yield path, path.read_text(encoding="utf-8")


def test_every_chart_container_is_declared():
    sources = dict(_sources())
    ids = set()
    for text in sources.values():
        ids.update(INIT.findall(text))
        if "echarts.init(el)" in text:  # a script that looked its container up first
            ids.update(BY_ID.findall(text)[:1])
        # a helper that inits by id: make("trend-chart")
        if "echarts.init(document.getElementById(id))" in text:
            ids.update(re.findall(r"""make\(\s*["']([\w-]+)["']\s*\)""", text))
    assert len(ids) >= 10, ids
    html = "\n".join(t for p, t in sources.items() if p.suffix == ".html")
    undeclared = [i for i in sorted(ids) if not re.search(rf'id="{i}"[^>]*data-chart=', html)]
    assert undeclared == []
