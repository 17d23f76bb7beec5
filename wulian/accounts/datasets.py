"""The dataset accounts imports: staff and enterprise accounts (administrators only).

A new username creates the account through `services.create_user` (its owner must change the
given initial password at first sign-in); an existing one is updated through
`services.update_user` (an empty 初始密码 keeps the password). The same checks as the API run on
every row first, so a file with any bad row writes nothing. Passwords are never exported: the
export leaves 初始密码 empty. Registered by AccountsConfig.ready().
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wulian.core.choices import Role
from wulian.core.datasets import Column
from wulian.core.models import User
from wulian.core.permissions import is_administrator
from wulian.core.rowimport import RowImporter

from . import services

SPLIT = "、；;，, \n"


def _usccs(text: str | None) -> list[str]:
    text = text or ""
    for sep in SPLIT[1:]:
        text = text.replace(sep, SPLIT[0])
    return [part for part in text.split(SPLIT[0]) if part]


class StaffAccountDataset(RowImporter):
    name = "staff-accounts"
    label = gettext_lazy("账号")
    unit = gettext_lazy("个")
    import_roles = frozenset()  # administrators (superusers) only
    list_url = "accounts:users"
    key = ("username",)
    notes = (
        gettext_lazy(
            "用户名已存在的行更新该账号；初始密码留空则不改密码。新账号首次登录须修改密码。"
        ),
        gettext_lazy(
            "部门人员填部门代码，区县人员填区县，链长/链办填产业链代码，企业用户填关联企业的信用代码。"
        ),
        gettext_lazy("导出时不含密码。"),
    )
    columns = (
        Column(
            "username",
            "用户名",
            gettext_lazy("登录名；已存在则更新"),
            required=True,
            max_length=150,
            example="zhang_san",
        ),
        Column(
            "name", "姓名", gettext_lazy("显示的姓名"), required=True, max_length=50, example="张三"
        ),
        Column(
            "role",
            "角色",
            gettext_lazy("账号角色"),
            kind="choice",
            required=True,
            choices=tuple((v, str(label)) for v, label in Role.choices),
        ),
        Column(
            "department",
            "部门",
            gettext_lazy("部门人员的部门代码"),
            allowed=gettext_lazy("部门代码，如 jxj"),
            example="jxj",
        ),
        Column("region", "区县", gettext_lazy("区县人员的区县"), kind="county", example=""),
        Column(
            "chain_code",
            "产业链",
            gettext_lazy("链长/链办负责的产业链代码"),
            allowed=gettext_lazy("如 xcl"),
            example="",
        ),
        Column(
            "enterprises",
            "关联企业",
            gettext_lazy("企业用户关联企业的信用代码，多个用“、”分隔"),
            example="",
        ),
        Column("title", "职务", gettext_lazy("职务"), max_length=60, example="科员"),
        Column(
            "password",
            "初始密码",
            gettext_lazy("新账号的初始密码（至少10位，字母、数字、符号中至少两类）"),
            example="",
        ),
        Column("is_active", "启用", gettext_lazy("账号是否启用"), kind="bool", example="是"),
    )

    def prepare(self, rows):
        names = [r["username"] for r in rows if r.get("username")]
        self.users = {u.username.lower(): u for u in User.objects.filter(username__in=names)}

    def resolve(self, values, problem):
        existing = self.users.get((values.get("username") or "").lower())
        errors: dict[str, list[str]] = {}
        scope_values = {
            "department": values.get("department") or "",
            "region": values.get("region") or "",
            "chain_code": values.get("chain_code") or "",
            "enterprises": _usccs(values.get("enterprises")),
        }
        scope = services._resolve_scope(scope_values, errors)
        services._check_role(values.get("role") or "", scope, errors)
        if existing is None:
            services._check_username(values.get("username") or "", errors, exclude=None)
            if not values.get("password"):
                errors.setdefault("password", []).append(str(gettext_lazy("新账号须填写初始密码")))
        probe = existing or User(username=values.get("username") or "")
        if values.get("password"):
            services._check_password(values["password"], probe, errors)
        for field, messages in errors.items():
            column = field if field in {c.field for c in self.columns} else ""
            for message in messages:
                problem(column, message)

    def existing(self, keys):
        names = [k[0] for k in keys]
        return {(u.username,): u for u in User.objects.filter(username__in=names)}

    def write(self, rows, *, actor):
        stored = self.existing([self.key_of(r) for r in rows])
        created = updated = 0
        for row in rows:
            user = stored.get(self.key_of(row))
            scope = {
                "department": row.get("department") or "",
                "region": row.get("region") or "",
                "chain_code": row.get("chain_code") or "",
                "enterprises": _usccs(row.get("enterprises")),
            }
            if user is None:
                user = services.create_user(
                    actor=actor,
                    username=row["username"],
                    name=row["name"],
                    password=row["password"],
                    role=row["role"],
                    title=row.get("title") or "",
                    **scope,
                )
                if row.get("is_active") is False:
                    services.update_user(actor=actor, user=user, is_active=False)
                created += 1
                continue
            changes = {"name": row["name"], "role": row["role"], **scope}
            if "title" in row:
                changes["title"] = row.get("title") or ""
            if row.get("is_active") is not None:
                changes["is_active"] = row["is_active"]
            if row.get("password"):
                changes["password"] = row["password"]
            services.update_user(actor=actor, user=user, **changes)
            updated += 1
        return created, updated

    def export_objects(self, user):
        if not is_administrator(user):  # accounts are for administrators' eyes only
            return User.objects.none()
        return (
            User.objects.filter(is_superuser=False)
            .select_related("department")
            .prefetch_related("enterprises")
            .order_by("username")
        )

    def export_values(self, obj):
        return {
            "username": obj.username,
            "name": obj.display_name,
            "role": obj.role,
            "department": obj.department.code if obj.department_id else None,
            "region": obj.region_id,
            "chain_code": obj.chain_code,
            "enterprises": "、".join(sorted(e.uscc for e in obj.enterprises.all())) or None,
            "title": obj.title,
            "password": None,
            "is_active": obj.is_active,
        }


staff_dataset = StaffAccountDataset()


def register() -> None:
    from wulian.core.datasets import register as add

    add(staff_dataset)
