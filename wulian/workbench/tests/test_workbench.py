"""我的待办 for every role: what waits, overdue first, with counts, each linked to its page."""

import datetime as dt

import pytest
from django.utils import timezone

from wulian.chains.models import Chain, Link
from wulian.core.models import Department
from wulian.keywork import services as keywork
from wulian.keywork.tests.factories import chain_series, days, make_task, meeting, work_item
from wulian.notifications.choices import Kind
from wulian.notifications.models import Message, Notification, NotifySettings
from wulian.service.tests.factories import ROUTED, file_request, setup_loop, walk
from wulian.workbench.services import send_daily_digests, workbench_for


def keys(user, now=None) -> dict:
    return {s.key: s for s in workbench_for(user, now).sections}


@pytest.fixture
def loop(users):
    return setup_loop(users)


def test_the_dispatcher_accepts_then_routes(loop, users):
    fresh = file_request(users, title="新诉求")
    accepted = walk(file_request(users, title="已受理"), users, [("accept", "dispatcher", {})])
    got = keys(users["dispatcher"])
    assert [t.url for t in got["service.accept"].items] == [fresh.get_absolute_url()]
    assert [t.url for t in got["service.route"].items] == [accepted.get_absolute_url()]
    assert "econ" not in [s for s in keys(users["econ"])]  # nothing for 经信局 yet
    assert keys(users["econ"]) == {}


def test_the_department_answers_and_reviews_material(loop, users):
    first = walk(file_request(users, title="待答复"), users, ROUTED)
    second = walk(file_request(users, title="补材料"), users, ROUTED)
    second = walk(second, users, [("request_material", "econ", {"reason": "营业执照"})])
    assert [t.title for t in keys(users["econ"])["service.answer"].items] == [f"#{first.pk} 待答复"]
    walk(second, users, [("supply_material", "ent_demo", {})])
    got = keys(users["econ"])
    assert [t.url for t in got["service.review"].items] == [second.get_absolute_url()]
    assert got["service.answer"].count == 1


def test_the_enterprise_supplies_material_and_rates_answers(loop, users):
    asked = walk(file_request(users, title="要材料"), users, ROUTED)
    walk(asked, users, [("request_material", "econ", {"reason": "营业执照"})])
    answered = walk(
        file_request(users, title="已答复"),
        users,
        [*ROUTED, ("answer", "econ", {"answer": "已办理"})],
    )
    got = keys(users["ent_demo"])
    assert [t.title for t in got["service.supply"].items] == [f"#{asked.pk} 要材料"]
    assert [t.url for t in got["service.rate"].items] == [answered.get_absolute_url()]
    assert got["service.rate"].overdue == 0  # an unrated answer is closed by silence, not late


def test_overdue_first_with_counts(loop, users):
    then = timezone.now() - dt.timedelta(days=30)
    late = walk(file_request(users, title="逾期", when=then), users, ROUTED, when=then)
    soon = walk(file_request(users, title="新近"), users, ROUTED)
    section = keys(users["econ"])["service.answer"]
    assert section.count == 2 and section.overdue == 1
    assert [t.url for t in section.items] == [late.get_absolute_url(), soon.get_absolute_url()]
    assert section.items[0].overdue and not section.items[1].overdue


def test_chain_office_county_and_leader_see_what_escalated(loop, users):
    chain = Chain.objects.create(code="xcl", name="新材料")
    link = Link.objects.create(chain=chain, code="ore", name="萤石", segment="up")
    long_ago = timezone.now() - dt.timedelta(days=40)
    late = walk(
        file_request(users, title="久拖", when=long_ago, link=link), users, ROUTED, when=long_ago
    )
    assert [t.url for t in keys(users["chief_xcl"])["service.overdue"].items] == [
        late.get_absolute_url()
    ]
    assert keys(users["county_ly"])["service.overdue"].count == 1  # the enterprise is in 龙游县
    assert [t.url for t in keys(users["leader"])["service.escalated"].items] == [
        late.get_absolute_url()
    ]


def test_department_tasks_to_report_and_decisions_assigned(users):
    quiet = make_task(title="久未报送", dept="jxj", start_on=days(-60), deadline=days(100))
    make_task(title="刚开始", dept="jxj", start_on=days(0), deadline=days(100))
    make_task(title="别的部门", dept="fgw", start_on=days(-60), deadline=days(100))
    sitting = meeting(series=chain_series("xcl"), on=days(0))
    keywork.hold_meeting(actor=users["leader"], meeting=sitting)
    decision = keywork.record_decision(actor=users["leader"], meeting=sitting, text="推进项目")
    task = keywork.decision_to_task(
        actor=users["leader"],
        decision=decision,
        work_item=work_item(),
        target_text="开工",
        lead_department=Department.objects.get(code="jxj"),
        responsible_person="王五",
        deadline=days(30),
        done_standard="开工",
    )
    got = keys(users["econ"])
    assert [t.title for t in got["keywork.report"].items] == ["久未报送"]
    assert got["keywork.report"].items[0].overdue  # 60 days without a monthly report
    assert got["keywork.report"].items[0].url == quiet.get_absolute_url()
    assert [t.url for t in got["keywork.decisions"].items] == [task.get_absolute_url()]
    # the chain's own meeting decided it: the chain office follows it when it turns red
    task.deadline = days(-1)
    task.save(update_fields=["deadline"])
    assert [t.title for t in keys(users["chief_xcl"])["keywork.chain_late"].items] == ["推进项目"]


def test_leader_sees_tasks_asking_for_coordination(users):
    task = make_task(title="用地卡点", dept="jxj")
    keywork.submit_report(
        actor=users["econ"],
        task=task,
        progress_pct=30,
        summary="推进中",
        problems="缺用地指标",
        escalate=True,
    )
    assert [t.title for t in keys(users["leader"])["keywork.escalated"].items] == ["用地卡点"]


def test_page_is_the_landing_page_and_matches_the_api(client, api_client, loop, users):
    then = timezone.now() - dt.timedelta(days=30)
    late = walk(file_request(users, title="逾期", when=then), users, ROUTED, when=then)
    client.login(username="econ", password="wulian-demo")
    landing = client.get("/", follow=True)
    page = landing.content.decode()
    assert "我的待办" in page and f"#{late.pk} 逾期" in page
    assert f'href="{late.get_absolute_url()}"' in page
    api_client.force_authenticate(users["econ"])
    body = api_client.get("/api/v1/workbench/").json()
    assert body["total"] == 1 and body["overdue"] == 1
    section = body["sections"][0]
    assert section["key"] == "service.answer" and section["count"] == 1
    assert body["items"][0]["url"] == late.get_absolute_url() and body["items"][0]["overdue"]
    assert set(body["items"][0]) == {
        "section",
        "title",
        "detail",
        "url",
        "due_at",
        "overdue",
        "status",
    }


def test_login_lands_on_the_workbench(client, users):
    response = client.post(
        "/accounts/login/", {"username": "econ", "password": "wulian-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "我的待办" in response.content.decode()


def test_anonymous_is_refused(client, api_client, db):
    assert client.get("/").status_code == 302
    assert api_client.get("/api/v1/workbench/").status_code in (401, 403)


def test_workbench_queries_stay_bounded(client, loop, users, django_assert_max_num_queries):
    for i in range(6):
        walk(file_request(users, title=f"诉求{i}"), users, ROUTED)
    client.force_login(users["econ"])
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


def test_daily_digest_for_leaders_once_a_day(loop, users):
    long_ago = timezone.now() - dt.timedelta(days=40)
    walk(file_request(users, when=long_ago), users, ROUTED, when=long_ago)
    assert send_daily_digests() == 2  # leader and admin (a leader too); nobody else asked
    assert send_daily_digests() == 0
    digest = Message.objects.filter(kind=Kind.DIGEST).first()
    assert "升级到市领导关注的诉求：1 项（超期 1）" in digest.body
    assert set(
        Notification.objects.filter(message__kind=Kind.DIGEST).values_list(
            "recipient__username", flat=True
        )
    ) == {"leader", "admin"}


def test_digest_is_a_choice(loop, users):
    NotifySettings.objects.create(user=users["leader"], daily_digest=False)
    NotifySettings.objects.create(user=users["econ"], daily_digest=True)
    then = timezone.now() - dt.timedelta(days=40)
    walk(file_request(users, when=then), users, ROUTED, when=then)
    send_daily_digests()
    assert set(
        Notification.objects.filter(message__kind=Kind.DIGEST).values_list(
            "recipient__username", flat=True
        )
    ) == {"admin", "econ"}
