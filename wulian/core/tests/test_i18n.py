"""The English interface: the language switch works and the catalogue is complete and compiled."""

import ast
import gettext
import re
import shutil

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

PO_FILE = settings.BASE_DIR / "wulian" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def read_po(path):
    """A tiny .po reader: a list of dicts with msgid, msgstr and flags (header excluded).

    A plural entry's forms (msgstr[0], msgstr[1]) are joined into msgstr with a NUL between them,
    the way the compiled catalogue stores them.
    """
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    for e in entries:
        forms = sorted(k for k in e if k.startswith("msgstr["))
        if forms:
            e["plural"] = [e.pop(k) for k in forms]
            e["msgstr"] = "\x00".join(e["plural"]) if all(e["plural"]) else ""
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def translated(entry) -> bool:
    return bool(entry.get("msgstr", "").strip()) and "fuzzy" not in entry["flags"]


def test_catalogue_is_complete_and_compiled():
    entries = read_po(PO_FILE)
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not e.get("msgstr", "").strip()]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    wrong = [
        e["msgid"]
        for e in entries
        for form in e.get("plural", [e["msgstr"]])
        if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(form))
    ]
    assert wrong == []
    # The committed .mo matches the .po (it was recompiled after the last change).
    with MO_FILE.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [e["msgid"] for e in entries if _compiled(catalogue, e) != e["msgstr"]]
    assert stale == []


def _compiled(catalogue, entry) -> str:
    if "msgctxt" in entry:
        return catalogue.pgettext(entry["msgctxt"], entry["msgid"])
    if "plural" in entry:
        forms = [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
        return "\x00".join(forms)
    return catalogue.gettext(entry["msgid"])


def test_chinese_by_default(client, users):
    client.force_login(users["leader"])
    html = client.get("/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "企业库" in html
    assert ">Enterprises<" not in html


def test_switching_to_english(client, users):
    client.force_login(users["leader"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/enterprises/"})
    assert response.status_code == 302
    assert response["Location"] == "/enterprises/"

    home = client.get("/").content.decode()
    assert 'lang="en"' in home
    assert ">Enterprises<" in home
    assert "Quzhou Five-Chain Platform" in home
    assert "企业库" not in home

    listing = client.get("/enterprises/").content.decode()
    assert "Import enterprises" in listing
    assert "Export to Excel" in listing
    assert "导入企业" not in listing

    back = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert back.status_code == 302
    assert "企业库" in client.get("/").content.decode()


def test_accept_language_header_picks_english(client, users):
    client.force_login(users["econ"])
    html = client.get("/enterprises/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert ">Enterprises<" in html


def _key(entry) -> str:
    """A message as gettext knows it: its context, if any, and its text."""
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]


def _copy_sources(dest):
    """The files makemessages reads (.py, .html, .txt under wulian/), without any locale dir.

    makemessages writes its catalogue beside the nearest `locale` directory, so it runs over a
    copy: the committed catalogue is never touched.
    """
    root = settings.BASE_DIR / "wulian"
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.suffix not in {".py", ".html", ".txt"} or not path.is_file():
            continue
        if "locale" in relative.parts or "__pycache__" in relative.parts:
            continue
        target = dest / "wulian" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_every_message_in_the_code_has_english(tmp_path, monkeypatch, settings):
    """Django's own extraction (makemessages, GNU xgettext) over the code finds no msgid that the
    English catalogue lacks or leaves untranslated or fuzzy."""
    sources, out = tmp_path / "src", tmp_path / "locale"
    _copy_sources(sources)
    settings.LOCALE_PATHS = [str(out)]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["en"], verbosity=0)
    extracted = read_po(out / "en" / "LC_MESSAGES" / "django.po")
    assert len(extracted) > 1000
    english = {_key(e) for e in read_po(PO_FILE) if translated(e)}
    missing = sorted({_key(e) for e in extracted} - english)
    assert missing == [], (
        f"{len(missing)} messages have no English: run `manage.py makemessages -l en "
        f"--no-obsolete --ignore '.venv/*' --ignore 'node_modules/*'`, translate them in "
        f"wulian/locale/en/LC_MESSAGES/django.po and run `manage.py compilemessages -l en "
        f"--ignore .venv --ignore node_modules`: {missing}"
    )


def test_periods_and_qualified_numbers_read_in_the_readers_language():
    from decimal import Decimal

    from wulian.core.seed import FIGURES
    from wulian.indicators.periods import Period
    from wulian.indicators.points import Point

    ytd, year, quarter = Period.parse("2025-10"), Period.parse("2024"), Period.parse("2024Q3")
    over = next(f for f in FIGURES if f.qualifier == "over")
    with translation.override("zh-hans"):
        assert ytd.display(cumulative=True) == "2025年1–10月" == ytd.label(cumulative=True)
        assert (year.display(), quarter.display()) == ("2024年", "2024年第3季度")
        assert over.display.startswith("超")
    with translation.override("en"):
        assert ytd.display(cumulative=True) == "Jan–Oct 2025"
        assert ytd.display() == "Oct 2025"
        assert (year.display(), quarter.display(True)) == ("2024", "Q1–Q3 2024")
        assert over.display.startswith("over ")
        # the label that imports read back stays Chinese in every language
        assert ytd.label(cumulative=True) == "2025年1–10月"
    point = Point("330800", "2020", False, Decimal("1600"), qualifier="more")
    with translation.override("en"):
        assert point.display == "1,600+"
    with translation.override("zh-hans"):
        assert point.display == "1,600多"


def test_derived_values_are_kept_per_language():
    from wulian.core.cache import derived, forget_derived
    from wulian.core.models import Region

    def compute():
        return translation.gettext("企业库")

    forget_derived("test:i18n", [Region])
    with translation.override("zh-hans"):
        assert derived("test:i18n", [Region], compute) == "企业库"
    with translation.override("en"):
        assert derived("test:i18n", [Region], compute) == "Enterprises"
    with translation.override("zh-hans"):
        assert derived("test:i18n", [Region], compute) == "企业库"


def test_the_scripts_sentences_follow_the_language(client, users):
    client.force_login(users["leader"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'id="wl-i18n"' in html
    assert "Preparing" in html and "Save as image" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "Save as image" not in client.get("/").content.decode()
