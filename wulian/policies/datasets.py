"""The `policies` dataset: the policy catalogue through the import framework.

Keyed by 政策名称: a new name creates a policy, a known one updates it (both through the
services, so conditions are validated and the policy is re-matched at once). Conditions and
the amount rule are written as JSON in their cells, exactly as the API takes them. Department
staff import only their own department's policies. Registered in PoliciesConfig.ready().
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core.choices import Role
from wulian.core.datasets import Column
from wulian.core.models import Department
from wulian.core.rowimport import RowImporter

from .choices import Mode, Stage
from .models import Policy
from .permissions import may_issue
from .services import create_policy, update_policy

SEP = "、"


def _split(text: str | None) -> list[str]:
    if not text:
        return []
    for sep in "；;，,":
        text = text.replace(sep, SEP)
    return [part.strip() for part in text.split(SEP) if part.strip()]


class PolicyDataset(RowImporter):
    """惠企政策 with their conditions and amount rules."""

    model = Policy
    name = "policies"
    label = gettext_lazy("惠企政策")
    unit = gettext_lazy("项")
    import_roles = frozenset({Role.DEPARTMENT})
    list_url = "policies:list"
    key = ("title",)
    notes = (
        gettext_lazy("政策名称已存在的行更新该政策，并按新条件重新匹配企业。"),
        gettext_lazy(
            "适用条件写作 JSON 列表，如 "
            '[{"field": "region", "op": "in", "value": ["330825"]}]；'
            "可用字段与运算符见 /api/v1/policy-fields/。"
        ),
        gettext_lazy(
            '兑现金额规则写作 JSON，如 {"kind": "fixed", "amount_wan": 50} 或 '
            '{"kind": "ratio", "field": "months.rd_sum", "rate": 0.1, "cap_wan": 200}。'
        ),
        gettext_lazy("部门人员只能导入本部门发布的政策。"),
    )
    columns = (
        Column(
            "title",
            "政策名称",
            gettext_lazy("政策名称（唯一）"),
            required=True,
            max_length=200,
            example="新材料产业链亩均A类企业奖励",
        ),
        Column(
            "doc_number",
            "文号",
            gettext_lazy("发文文号"),
            max_length=100,
            example="衢经信〔2025〕1号",
        ),
        Column("issued_on", "发文日期", gettext_lazy("发文日期"), kind="date"),
        Column(
            "issuer",
            "发文部门",
            gettext_lazy("发文部门"),
            required=True,
            allowed=gettext_lazy("部门名称或代码，如 市经信局 或 jxj"),
            example="jxj",
        ),
        Column("valid_from", "有效期起", gettext_lazy("有效期起"), kind="date"),
        Column("valid_until", "有效期至", gettext_lazy("有效期至"), kind="date"),
        Column(
            "chains",
            "适用产业链",
            gettext_lazy("多个用“、”分隔"),
            allowed=gettext_lazy("产业链名称或代码"),
            example="新材料",
        ),
        Column(
            "stages",
            "生命周期阶段",
            gettext_lazy("多个用“、”分隔"),
            allowed="、".join(str(label) for _v, label in Stage.choices),
            example="成长壮大",
        ),
        Column(
            "mode",
            "兑现方式",
            gettext_lazy("免申即享或快申快享"),
            kind="choice",
            required=True,
            choices=tuple((v, str(label)) for v, label in Mode.choices),
        ),
        Column("materials", "申报材料", gettext_lazy("快申快享的材料清单，多个用“、”分隔")),
        Column(
            "conditions",
            "适用条件",
            gettext_lazy("JSON 列表，每项 {field, op, value}"),
            required=True,
            example='[{"field": "chain", "op": "in", "value": ["xcl"]}]',
        ),
        Column(
            "amount_rule",
            "兑现金额规则",
            gettext_lazy("JSON"),
            required=True,
            example='{"kind": "fixed", "amount_wan": 30}',
        ),
        Column(
            "payout_workdays", "兑现时限（工作日）", gettext_lazy("默认 60"), kind="int", example=60
        ),
        Column("summary", "政策摘要", gettext_lazy("摘要"), max_length=2000),
    )

    def _run(self, *, actor, data, dry_run, progress):
        self.actor = actor
        return super()._run(actor=actor, data=data, dry_run=dry_run, progress=progress)

    def prepare(self, rows):
        from wulian.chains.models import Chain

        self.departments = {}
        for dept in Department.objects.all():
            self.departments[dept.code] = self.departments[dept.name] = dept
        self.chains = {}
        for code, name in Chain.objects.values_list("code", "name"):
            self.chains[code] = self.chains[name] = code
        self.stages = {str(label): value for value, label in Stage.choices}
        self.stages.update({v: v for v in Stage.values})

    def _json(self, values, field, problem, kind):
        try:
            parsed = json.loads(values.get(field) or "")
        except ValueError:
            problem(field, _("不是有效的 JSON"))
            return None
        if not isinstance(parsed, kind):
            problem(field, _("JSON 格式不对"))
            return None
        return parsed

    def resolve(self, values, problem):
        from django.core.exceptions import ValidationError

        from . import conditions
        from .matching import validate_amount_rule

        dept = self.departments.get(values.get("issuer"))
        if values.get("issuer") and dept is None:
            problem("issuer", _("未知部门“%(d)s”") % {"d": values["issuer"]})
        actor = getattr(self, "actor", None)
        if dept and actor is not None and not may_issue(actor, dept):
            problem("issuer", _("只能导入本部门发布的政策"))
        values["issuer_obj"] = dept
        chains = []
        for name in _split(values.get("chains")):
            if name not in self.chains:
                problem("chains", _("未知产业链“%(c)s”") % {"c": name})
            chains.append(self.chains.get(name))
        values["chain_codes"] = chains
        stages = []
        for name in _split(values.get("stages")):
            if name not in self.stages:
                problem("stages", _("未知阶段“%(s)s”") % {"s": name})
            stages.append(self.stages.get(name))
        values["stage_codes"] = stages
        for field, check, kind in (
            ("conditions", conditions.validate, list),
            ("amount_rule", validate_amount_rule, dict),
        ):
            parsed = self._json(values, field, problem, kind)
            if parsed is not None:
                try:
                    values[f"{field}_clean"] = check(parsed)
                except ValidationError as exc:
                    problem(field, "；".join(exc.messages))
        if values.get("mode") == Mode.APPLICATION and not _split(values.get("materials")):
            problem("materials", _("快申快享政策须列出申报材料"))

    def existing(self, keys):
        titles = [k[0] for k in keys]
        return {(p.title,): p for p in Policy.objects.filter(title__in=titles)}

    def _service_values(self, row) -> dict:
        out = {
            "title": row["title"],
            "issuer": row["issuer_obj"],
            "mode": row["mode"],
            "conditions": row["conditions_clean"],
            "amount_rule": row["amount_rule_clean"],
            "stages": row["stage_codes"],
            "materials": _split(row.get("materials")),
        }
        for field in ("doc_number", "summary"):
            if field in row:
                out[field] = row[field] or ""
        for field in ("issued_on", "valid_from", "valid_until"):
            if field in row:
                out[field] = row[field]
        if row.get("payout_workdays"):
            out["payout_workdays"] = row["payout_workdays"]
        return out

    def write(self, rows, *, actor):
        stored = self.existing([self.key_of(r) for r in rows])
        created = updated = 0
        for row in rows:
            policy = stored.get(self.key_of(row))
            values = self._service_values(row)
            chains = row["chain_codes"] if row.get("chains") is not None else None
            if policy is None:
                create_policy(actor=actor, values=values, chains=chains or [], check_rights=False)
                created += 1
            else:
                update_policy(actor=actor, policy=policy, values=values, chains=chains)
                updated += 1
        return created, updated

    def export_objects(self, user):
        return (
            Policy.objects.visible_to(user)
            .select_related("issuer")
            .prefetch_related("chains")
            .order_by("id")
        )

    def export_values(self, obj):
        labels = dict(Stage.choices)
        return {
            "title": obj.title,
            "doc_number": obj.doc_number,
            "issued_on": obj.issued_on,
            "issuer": obj.issuer.code,
            "valid_from": obj.valid_from,
            "valid_until": obj.valid_until,
            "chains": SEP.join(c.name for c in obj.chains.all()) or None,
            "stages": SEP.join(str(labels.get(s, s)) for s in obj.stages) or None,
            "mode": obj.mode,
            "materials": SEP.join(obj.materials) or None,
            # field, op, value in the template's order (PostgreSQL's jsonb keeps its own order)
            "conditions": json.dumps(
                [{"field": c.get("field"), "op": c.get("op"), **c} for c in obj.conditions],
                ensure_ascii=False,
            ),
            "amount_rule": json.dumps(obj.amount_rule, ensure_ascii=False),
            "payout_workdays": obj.payout_workdays,
            "summary": obj.summary,
        }


policy_dataset = PolicyDataset()


def register() -> None:
    from wulian.core.datasets import register as add

    add(policy_dataset)
