"""Every export and download URL × every demo role, with objects in several scopes.

The downloads are found in the URL resolver (a route ending in a file extension, or a view
whose GET writes a file), their path parameters filled with every object of their kind, so a
new download is covered the moment it exists (or this test asks for its parameters). Each
object in the world carries an ASCII marker in its name or content. A download, a meeting
page or the meeting API may show a marker only to someone who may see its object where it
lives (`visible_to`): a meeting's tasks, agenda and briefing show what the reader may see.
"""

import inspect
import io
import re
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, resolve

from wulian.chains.tests.helpers import build_chain
from wulian.core.datasets import registry
from wulian.core.models import Department, User
from wulian.core.permissions import role_allowed
from wulian.enterprises.models import Enterprise
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.investment import services as investment_services
from wulian.investment.models import Project, ProjectDocument
from wulian.investment.tests.factories import ProjectFactory
from wulian.keywork import services as keywork_services
from wulian.keywork.models import Meeting, Task
from wulian.keywork.tests.factories import chain_series, days, make_task, meeting
from wulian.service import services as service_services
from wulian.service.models import ServiceAttachment, ServiceRequest
from wulian.service.tests.factories import aware, file_request, setup_loop

from .test_permission_matrix import ROLES, _walk

FILE_ROUTE = re.compile(r"\.(xlsx|docx|csv|pdf|zip)$")
WRITES_A_FILE = re.compile(
    r"xlsx_response|XlsxWorkbook|csv_response|FileResponse|attachment\(|\.response\(|_xlsx\("
)
# What fills each path parameter of a download: every object of that kind.
PARAMETERS = {
    "chains/<slug:code>/": lambda: list(build_world.chains),
    "fusion/<slug:code>/": lambda: list(build_world.chains),
    "keywork/meetings/<int:pk>/": lambda: list(Meeting.objects.values_list("pk", flat=True)),
    "service/attachments/<uuid:uuid>/": lambda: [
        str(u) for u in ServiceAttachment.objects.values_list("uuid", flat=True)
    ],
    "investment/documents/<uuid:uid>/": lambda: [
        str(u) for u in ProjectDocument.objects.values_list("uid", flat=True)
    ],
    "indicators/<slug:code>/": lambda: ["gdp"],
    "data/<slug:name>/": lambda: registry.names(),
}
# Query strings under which a page answers with a file instead of HTML.
FILE_QUERIES = ("", "?format=xlsx", "?template=1")


def _download_routes():
    for route, callback in _walk(get_resolver().url_patterns):
        view = getattr(callback, "view_class", None)
        if view is None or not getattr(callback, "__module__", "").startswith("wulian"):
            continue
        get = getattr(view, "get", None)
        source = inspect.getsource(get) if get else ""
        if FILE_ROUTE.search(route) or WRITES_A_FILE.search(source):
            yield route


DOWNLOADS = sorted(set(_download_routes()))


def _pdf(marker: str) -> SimpleUploadedFile:
    data = f"%PDF-1.4\n% {marker}\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{marker}.pdf", data, content_type="application/pdf")


def build_world(users):
    """Two chains, two counties, two departments: requests, attachments, projects, documents,
    tasks and meetings on both sides, each named with a marker."""
    build_world.chains = ["xcl", "xny"]
    _xcl, xcl_links = build_chain("xcl", "新材料", [("acid", "酸", "up")])
    _xny, xny_links = build_chain("xny", "新能源", [("cell", "电芯", "mid")])
    _categories, own = setup_loop(users)  # ent_demo's enterprise in 龙游县, policy → 经信局
    own.name = "MARK-ent-ly"
    own.save(update_fields=["name"])
    other = EnterpriseFactory(name="MARK-ent-kc", region_id="330802")
    other_user = User.objects.create(username="ent_kc", role="enterprise")
    other.accounts.add(other_user)
    long_ago = aware(2020, 3, 2, 10)
    mine = file_request(users, title="MARK-req-ly", when=long_ago, link=xcl_links["acid"])
    theirs = service_services.submit_request(
        actor=other_user,
        category=mine.category,
        title="MARK-req-kc",
        description="申请",
        link=xny_links["cell"],
        now=long_ago,
    )
    ServiceRequest.objects.filter(pk=theirs.pk).update(
        department=Department.objects.get(code="fgw")
    )
    ServiceRequest.objects.filter(pk=mine.pk).update(department=Department.objects.get(code="jxj"))
    service_services.add_attachment(
        actor=users["ent_demo"], request=mine, upload=_pdf("MARK-att-ly")
    )
    service_services.add_attachment(actor=other_user, request=theirs, upload=_pdf("MARK-att-kc"))

    stalled = days(-400)
    for marker, region, department, link in (
        ("MARK-proj-ly", "330825", "jxj", xcl_links["acid"]),
        ("MARK-proj-kc", "330802", "fgw", xny_links["cell"]),
    ):
        project = ProjectFactory(
            name=marker,
            region_id=region,
            lead_department=Department.objects.get(code=department),
            stage_entered_on=stalled,
            links=[link],
        )
        investment_services.upload_document(
            actor=users["leader"], project=project, kind="other", upload=_pdf(marker + "-doc")
        )

    late = {"deadline": days(-5), "start_on": days(-60)}
    make_task(dept="jxj", title="MARK-task-jxj", **late)
    make_task(dept="fgw", title="MARK-task-fgw", **late)
    for code in build_world.chains:
        sitting = meeting(series=chain_series(code), on=days(-10), status="held")
        decision = keywork_services.record_decision(
            actor=users["leader"], meeting=sitting, text=f"决定 {code}"
        )
        decision.task = make_task(
            dept="swj", title=f"MARK-task-{code}", source_meeting=sitting, **late
        )
        decision.save(update_fields=["task"])
    held = meeting(on=days(-30), status="held", title="上月例会")
    for title in ("MARK-task-fgw", "MARK-task-jxj"):
        # The decision's text is the meeting's record; the task it became is not.
        decision = keywork_services.record_decision(
            actor=users["leader"], meeting=held, text="加快推进"
        )
        decision.task = Task.objects.get(title=title)
        decision.save(update_fields=["task"])
    upcoming = meeting(on=days(3), title="本月例会")
    keywork_services.draft_agenda(actor=users["leader"], meeting=upcoming)
    return upcoming


def may_see(user, marker: str) -> bool:
    kind, _sep, rest = marker.removeprefix("MARK-").partition("-")
    if kind == "task":
        return Task.objects.visible_to(user).filter(title=marker).exists()
    if kind == "req":
        return ServiceRequest.objects.visible_to(user).filter(title=marker).exists()
    if kind == "att":
        return ServiceRequest.objects.visible_to(user).filter(title=f"MARK-req-{rest}").exists()
    if kind == "proj":
        name = marker.removesuffix("-doc")
        return Project.objects.visible_to(user).filter(name=name).exists()
    if kind == "ent":
        return Enterprise.objects.visible_to(user).filter(name=marker).exists()
    raise AssertionError(marker)


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        if "xl/workbook.xml" in names:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
        if "word/document.xml" in names:
            document = docx.Document(io.BytesIO(content))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            return "\n".join([p.text for p in document.paragraphs] + cells)
    return content.decode("utf-8", "replace")


def _allowed_roles(url: str):
    callback = resolve(url.split("?")[0]).func
    return (getattr(callback, "view_class", None) or callback.cls).allowed_roles


def _urls(route: str) -> list[str]:
    params = re.findall(r"<[^>]+>", route)
    if not params:
        return ["/" + route]
    prefix = route[: route.index(params[0]) + len(params[0]) + 1]
    assert prefix in PARAMETERS, f"{route}: say in PARAMETERS what fills its parameters"
    return ["/" + route.replace(params[0], str(value)) for value in PARAMETERS[prefix]()]


MARKERS = [
    "MARK-task-jxj",
    "MARK-task-fgw",
    "MARK-task-xcl",
    "MARK-task-xny",
    "MARK-req-ly",
    "MARK-req-kc",
    "MARK-att-ly",
    "MARK-att-kc",
    "MARK-proj-ly",
    "MARK-proj-kc",
    "MARK-proj-ly-doc",
    "MARK-proj-kc-doc",
    "MARK-ent-ly",
    "MARK-ent-kc",
]


def test_downloads_are_found():
    routes = set(DOWNLOADS)
    for expected in (
        "keywork/meetings/<int:pk>/tasks.xlsx",
        "keywork/meetings/<int:pk>/briefing.docx",
        "service/export.xlsx",
        "service/attachments/<uuid:uuid>/",
        "investment/documents/<uuid:uid>/",
        "indicators/",
    ):
        assert expected in routes, sorted(routes)


@pytest.mark.parametrize("route", DOWNLOADS)
def test_every_download_shows_each_role_only_what_it_may_see(client, users, route):
    upcoming = build_world(users)
    queries = ("",) if FILE_ROUTE.search(route) else FILE_QUERIES
    urls = [u + q for u in _urls(route) for q in queries]
    if route.startswith("keywork/meetings/"):
        # The meeting's page and its API show the same content as its downloads.
        urls += [f"/keywork/meetings/{upcoming.pk}/", f"/api/v1/meetings/{upcoming.pk}/"]
    for username in ROLES:
        user = users[username]
        client.force_login(user)
        forbidden = [m for m in MARKERS if not may_see(user, m)]
        for url in urls:
            response = client.get(url)
            if not role_allowed(user, _allowed_roles(url)):
                assert response.status_code == 403, (url, username, response.status_code)
                continue
            assert response.status_code in (200, 302, 403, 404), (url, username)
            if response.status_code != 200:
                continue
            text = text_of(response)
            leaked = [m for m in forbidden if re.search(re.escape(m) + r"(?![\w-])", text)]
            assert leaked == [], (url, username, leaked)
        client.logout()


def test_meeting_exports_follow_the_task_scope(client, users):
    # The review's attack: county staff and a chain chief downloading a city meeting's tasks.
    upcoming = build_world(users)
    client.force_login(users["county_ly"])
    assert client.get(f"/keywork/meetings/{upcoming.pk}/tasks.xlsx").status_code == 403
    briefing = text_of(client.get(f"/keywork/meetings/{upcoming.pk}/briefing.docx"))
    assert "MARK-task" not in briefing and "MARK-req-ly" in briefing
    assert "纳入调度任务0项" in briefing

    client.force_login(users["chief_xcl"])
    tasks = text_of(client.get(f"/keywork/meetings/{upcoming.pk}/tasks.xlsx"))
    assert "MARK-task-xcl" in tasks and "MARK-task-jxj" not in tasks
    page = client.get(f"/keywork/meetings/{upcoming.pk}/").content.decode()
    assert "MARK-task-xcl" in page and "MARK-task-fgw" not in page

    client.force_login(users["leader"])
    everything = text_of(client.get(f"/keywork/meetings/{upcoming.pk}/tasks.xlsx"))
    for marker in ("MARK-task-jxj", "MARK-task-fgw", "MARK-task-xcl", "MARK-task-xny"):
        assert marker in everything
    briefing = text_of(client.get(f"/keywork/meetings/{upcoming.pk}/briefing.docx"))
    for marker in ("MARK-task-fgw", "MARK-req-kc", "MARK-proj-kc"):
        assert marker in briefing
