"""Enterprise account claims: the public registration, review by administrators and by the
enterprise's county (page and API), audit, notifications, and bad input refused in Chinese."""

import pytest
from django.urls import reverse

from wulian.accounts.choices import ClaimStatus
from wulian.accounts.models import AccountClaim
from wulian.core.models import AuditEvent, User
from wulian.enterprises.tests.factories import EnterpriseFactory, make_uscc
from wulian.notifications.choices import Kind
from wulian.notifications.models import Notification

STRONG = "Qz-2026-claim!"
URL = "/api/v1/account-claims/"


@pytest.fixture
def longyou(users):
    """An enterprise in 龙游县 (county_ly's county) without any account."""
    return EnterpriseFactory(region_id="330825", name="龙游示例纸业有限公司")


@pytest.fixture
def kecheng(users):
    """An enterprise in 柯城区 (not county_ly's)."""
    return EnterpriseFactory(region_id="330802", name="柯城示例材料有限公司")


def claim_data(enterprise, **extra):
    return {
        "uscc": enterprise.uscc,
        "contact_name": "李四",
        "phone": "13800001111",
        "username": "lysz_li",
        "password": STRONG,
        **extra,
    }


def told(kind):
    return sorted(
        Notification.objects.filter(message__kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_the_public_page_submits_a_claim_that_sees_nothing_and_tells_the_reviewers(client, longyou):
    # given nobody signed in, the registration page is open
    page = client.get(reverse("accounts:claim"))
    assert page.status_code == 200 and "统一社会信用代码" in page.content.decode()
    assert "{#" not in page.content.decode()  # no template comment shows as text
    # when a person claims the enterprise's account
    form = {**claim_data(longyou), "password2": STRONG}
    response = client.post(reverse("accounts:claim"), form)
    # then a claim waits, no account exists, and the page shows where to read the decision
    claim = AccountClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:claim-status", args=[claim.token])
    assert claim.status == ClaimStatus.PENDING and claim.enterprise == longyou
    assert claim.password_hash and STRONG not in claim.password_hash
    assert not User.objects.filter(username="lysz_li").exists()
    assert not client.login(username="lysz_li", password=STRONG)
    status = client.get(response["Location"]).content.decode()
    assert "待审核" in status and longyou.name in status
    # the reviewers are the administrators and the enterprise's county, nobody else
    assert told(Kind.CLAIM_SUBMITTED) == ["admin", "county_ly"]
    event = AuditEvent.objects.get(model="accounts.accountclaim")
    assert event.actor is None and event.after["username"] == "lysz_li"
    assert "password_hash" not in event.after


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"uscc": "91330825MA2X00000X"}, "uscc", "校验位错误"),
        ({"phone": "12345"}, "phone", "11 位手机号码"),
        ({"contact_name": "  "}, "contact_name", "不能为空"),
        ({"username": "econ"}, "username", "已被使用"),
        ({"password": "12345678"}, "password", "密码太短，至少需要 10 个字符"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    api_client, longyou, change, field, message
):
    response = api_client.post(URL, claim_data(longyou, **change), format="json")
    assert response.status_code == 400
    assert message in "".join(response.json()[field]), response.json()
    assert not AccountClaim.objects.exists()
    assert not Notification.objects.exists()


def test_an_unknown_uscc_is_refused_by_name(api_client, users):
    unknown = make_uscc("330825")
    response = api_client.post(
        URL, claim_data(EnterpriseFactory.build(uscc=unknown)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["uscc"] == [
        f"企业库中没有统一社会信用代码为 {unknown} 的企业，请核对，或联系企业所在区县。"
    ]
    assert not AccountClaim.objects.exists()


def test_a_uscc_already_claimed_is_refused(api_client, client, users, longyou):
    # a claim under review blocks a second one
    assert api_client.post(URL, claim_data(longyou), format="json").status_code == 201
    second = api_client.post(URL, claim_data(longyou, username="other_li"), format="json")
    assert second.status_code == 400
    assert "已有一份认领申请正在审核中" in second.json()["uscc"][0]
    # an enterprise with an active account cannot be claimed again (page, same message)
    claimed = EnterpriseFactory(region_id="330825")
    claimed.accounts.add(users["ent_demo"])
    form = {**claim_data(claimed, username="third_li"), "password2": STRONG}
    page = client.post(reverse("accounts:claim"), form)
    assert page.status_code == 400
    assert "已有企业账号，不能重复认领" in page.content.decode()
    assert AccountClaim.objects.count() == 1


def test_the_page_refuses_mismatched_passwords_and_shows_the_service_errors(client, longyou):
    form = {**claim_data(longyou, uscc="not-a-code"), "password2": "Other-2026-pw!"}
    page = client.post(reverse("accounts:claim"), form)
    text = page.content.decode()
    assert page.status_code == 400
    assert "两次输入的密码不一致" in text
    assert not AccountClaim.objects.exists()


def test_the_county_approves_and_the_account_works_for_its_enterprise_only(
    api_client, client, users, longyou, kecheng
):
    # given a claim on a 龙游 enterprise
    receipt = api_client.post(URL, claim_data(longyou), format="json").json()
    claim = AccountClaim.objects.get(token=receipt["token"])
    # when 龙游 county staff approve it through the API
    api_client.force_authenticate(users["county_ly"])
    listed = api_client.get(URL).json()
    assert [c["id"] for c in listed["results"]] == [claim.pk]
    answer = api_client.post(f"{URL}{claim.pk}/approve/", {}, format="json")
    # then the enterprise account exists, linked to that enterprise, and its owner is told
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "approved"
    account = User.objects.get(username="lysz_li")
    assert account.role == "enterprise" and account.is_active
    assert list(account.enterprises.all()) == [longyou]
    assert answer.json()["account"] == account.pk
    assert told(Kind.CLAIM_APPROVED) == ["lysz_li"]
    claim.refresh_from_db()
    assert claim.password_hash == "" and claim.decided_by == users["county_ly"]
    # the new account signs in with the password chosen at the claim and sees its enterprise
    api_client.force_authenticate(None)
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "lysz_li", "password": STRONG}, format="json"
    )
    assert token.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    seen = api_client.get("/api/v1/enterprises/").json()
    assert [e["uscc"] for e in seen["results"]] == [longyou.uscc]
    # approval and the new account are audited
    notes = set(AuditEvent.objects.values_list("note", flat=True))
    assert {"企业账号认领通过", "认领通过，开通企业账号"} <= notes


def test_a_county_cannot_see_or_decide_another_countys_claims(api_client, client, users, kecheng):
    receipt = api_client.post(URL, claim_data(kecheng), format="json").json()
    claim = AccountClaim.objects.get(token=receipt["token"])
    assert told(Kind.CLAIM_SUBMITTED) == ["admin"]  # 柯城 has no county account in the demo
    api_client.force_authenticate(users["county_ly"])
    assert api_client.get(URL).json()["count"] == 0
    assert api_client.post(f"{URL}{claim.pk}/approve/", {}, format="json").status_code == 404
    client.force_login(users["county_ly"])
    assert client.get(reverse("accounts:claim-detail", args=[claim.pk])).status_code == 404
    response = client.post(reverse("accounts:claim-detail", args=[claim.pk]), {"action": "approve"})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert not User.objects.filter(username="lysz_li").exists()


@pytest.mark.parametrize("username", ["leader", "econ", "dispatcher", "chief_xcl", "ent_demo"])
def test_other_roles_may_not_review(api_client, client, users, longyou, username):
    receipt = api_client.post(URL, claim_data(longyou), format="json").json()
    claim = AccountClaim.objects.get(token=receipt["token"])
    api_client.force_authenticate(users[username])
    assert api_client.get(URL).status_code == 403
    assert api_client.post(f"{URL}{claim.pk}/approve/", {}, format="json").status_code == 403
    client.force_login(users[username])
    assert client.get(reverse("accounts:claims")).status_code == 403
    assert client.post(reverse("accounts:claim-detail", args=[claim.pk])).status_code == 403
    assert AccountClaim.objects.get().status == ClaimStatus.PENDING


def test_the_administrator_rejects_on_the_page_with_a_reason(api_client, client, users, longyou):
    receipt = api_client.post(URL, claim_data(longyou), format="json").json()
    claim = AccountClaim.objects.get(token=receipt["token"])
    client.force_login(users["admin"])
    url = reverse("accounts:claim-detail", args=[claim.pk])
    # a rejection without a reason is refused
    empty = client.post(url, {"action": "reject", "reason": ""})
    assert empty.status_code == 400 and "驳回时请填写理由" in empty.content.decode()
    assert AccountClaim.objects.get().status == ClaimStatus.PENDING
    # with a reason it is rejected, nothing is created, and the claimant reads the reason
    done = client.post(url, {"action": "reject", "reason": "联系人电话核实不是本企业人员"})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.account is None
    assert not User.objects.filter(username="lysz_li").exists()
    client.logout()
    status = client.get(reverse("accounts:claim-status", args=[claim.token])).content.decode()
    assert "已驳回" in status and "联系人电话核实不是本企业人员" in status
    # a decided claim cannot be decided again (409 through the API)
    api_client.force_authenticate(users["admin"])
    again = api_client.post(f"{URL}{claim.pk}/approve/", {}, format="json")
    assert again.status_code == 409 and "已驳回" in again.json()["detail"]
    # the rejected enterprise may be claimed again
    second = api_client.post(URL, claim_data(longyou), format="json")
    assert second.status_code == 201


def test_the_county_page_lists_and_approves(api_client, client, users, longyou):
    receipt = api_client.post(URL, claim_data(longyou), format="json").json()
    claim = AccountClaim.objects.get(token=receipt["token"])
    client.force_login(users["county_ly"])
    listing = client.get(reverse("accounts:claims")).content.decode()
    assert longyou.name in listing and "lysz_li" in listing
    home = client.get(reverse("home")).content.decode()
    assert "待审核的企业账号认领" in home
    response = client.post(reverse("accounts:claim-detail", args=[claim.pk]), {"action": "approve"})
    assert response.status_code == 302
    assert User.objects.get(username="lysz_li").enterprises.get() == longyou


def test_approval_refuses_a_username_taken_meanwhile(api_client, users, longyou):
    receipt = api_client.post(URL, claim_data(longyou), format="json").json()
    claim = AccountClaim.objects.get(token=receipt["token"])
    User.objects.create_user(username="LYSZ_LI", password=STRONG)
    api_client.force_authenticate(users["admin"])
    answer = api_client.post(f"{URL}{claim.pk}/approve/", {}, format="json")
    assert answer.status_code == 400
    assert "已被占用" in str(answer.json())
    assert AccountClaim.objects.get().status == ClaimStatus.PENDING
    assert not Notification.objects.filter(message__kind=Kind.CLAIM_APPROVED).exists()


def test_submissions_are_rate_limited_per_address(settings, client, longyou):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"claim": "2/hour", "sign-in": "60/min"},
    }
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        form = {**claim_data(longyou, uscc="bad"), "password2": STRONG}
        codes = [client.post(reverse("accounts:claim"), form).status_code for _ in range(3)]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [400, 400, 429]
