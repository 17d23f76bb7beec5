"""Chain pages: the list, the chain map (ECharts + table + htmx link panel), the xlsx report,
editing links and edges, and the target-company list with its import."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.choices import Role
from wulian.core.exports import stamp, xlsx_response
from wulian.core.forms import ImportUploadForm
from wulian.core.imports import commit_import, preview_from_request
from wulian.core.models import ImportJob
from wulian.core.permissions import (
    ALL_ROLES,
    GOVERNMENT_ROLES,
    RoleRequiredMixin,
    is_enterprise_user,
)
from wulian.enterprises.models import Enterprise

from . import services
from .choices import Segment
from .figures import chain_figures
from .filtersets import TargetCompanyFilterSet
from .forms import (
    CHAIN_FORMS,
    EdgeCreateForm,
    LinkCreateForm,
    LinkDeleteForm,
    LinkUpdateForm,
    PlacementForm,
    RemovalForm,
)
from .models import Chain, EnterpriseLink, Link, LinkStat, TargetCompany
from .permissions import (
    EDIT_ROLES,
    IMPORT_ROLES,
    can_edit_chain,
    can_import_chains,
    sees_analysis,
)
from .reports import export_chain_report_xlsx
from .targets import import_target_companies


def _reverse_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def visible_chain(user, code: str) -> Chain:
    return get_object_or_404(Chain.objects.visible_to(user), code=code)


def graph_layout(graph: dict) -> dict[int, tuple[int, int]]:
    """(column, row) per link: columns left→right by segment, then by depth inside the
    segment; within a column, links are ordered by the mean row of their suppliers (the
    barycentre rule), which keeps edges from crossing more than they must."""
    links = graph["links"]
    segment_of = {link["id"]: link["segment"] for link in links}
    preds: dict[int, list[int]] = {}
    all_preds: dict[int, list[int]] = {}
    for edge in graph["edges"]:
        all_preds.setdefault(edge["target"], []).append(edge["source"])
        if segment_of.get(edge["source"]) == segment_of.get(edge["target"]):
            preds.setdefault(edge["target"], []).append(edge["source"])
    depth: dict[int, int] = {}

    def depth_of(node: int, seen: frozenset = frozenset()) -> int:
        if node not in depth:
            parents = [p for p in preds.get(node, []) if p not in seen]
            depth[node] = 1 + max((depth_of(p, seen | {node}) for p in parents), default=-1)
        return depth[node]

    order = {link["id"]: index for index, link in enumerate(links)}
    positions: dict[int, tuple[int, int]] = {}
    offset = 0
    for segment in Segment.values:
        members = [link["id"] for link in links if link["segment"] == segment]
        if not members:
            continue
        columns: dict[int, list[int]] = {}
        for node in members:
            columns.setdefault(offset + depth_of(node), []).append(node)
        for column in sorted(columns):

            def barycentre(node: int) -> tuple[float, int]:
                rows = [positions[p][1] for p in all_preds.get(node, []) if p in positions]
                return (sum(rows) / len(rows) if rows else float(order[node]), order[node])

            for row, node in enumerate(sorted(columns[column], key=barycentre)):
                positions[node] = (column, row)
        offset = max(columns) + 1
    return positions


def link_sections(link: Link, user) -> list[dict]:
    """Panel sections other modules add for a link (innovation, talent, capital, service …).

    An app declares `link_panel = "dotted.path"` on its AppConfig: a callable
    (link=, user=) → list of {"title", "columns", "rows", "note"}. Like nav_items, this lets
    higher apps contribute without chains importing them.
    """
    sections: list[dict] = []
    for config in apps.get_app_configs():
        path = getattr(config, "link_panel", None)
        if path:
            sections.extend(import_string(path)(link=link, user=user))
    return sections


class ChainListView(RoleRequiredMixin, View):
    """The chains the user may see, with their links, enterprises, output and figures."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        visible = set(Chain.objects.visible_to(request.user).values_list("code", flat=True))
        summaries = [s for s in services.chain_summaries() if s["code"] in visible]
        figures = chain_figures()
        return render(
            request,
            "chains/list.html",
            {
                "summaries": summaries,
                "figures": figures if sees_analysis(request.user) else [],
                "sees_analysis": sees_analysis(request.user),
            },
        )


class ChainMapView(RoleRequiredMixin, View):
    """The chain map: an ECharts graph, the same links as a table, and a link side panel."""

    allowed_roles = ALL_ROLES

    def get(self, request, code):
        chain = visible_chain(request.user, code)
        graph = services.chain_graph(chain)
        positions = graph_layout(graph)
        top = max((link["output_wan"] for link in graph["links"]), default=0) or 1
        nodes = [
            {
                "id": str(link["id"]),
                "name": link["name"],
                "x": positions[link["id"]][0] * 240,
                "y": positions[link["id"]][1] * 120,
                "value": link["output_wan"],
                "symbolSize": round(22 + 46 * (link["output_wan"] / top) ** 0.5),
                "strength": link["strength"],
                "main": link["main_enterprises"],
                "share": link["output_share"],
            }
            for link in graph["links"]
        ]
        # One caption per segment above its columns (not clickable, drawn as text only).
        segment_labels = dict(Segment.choices)
        for segment in Segment.values:
            columns = [
                positions[link["id"]][0] for link in graph["links"] if link["segment"] == segment
            ]
            if columns:
                nodes.append(
                    {
                        "id": f"segment-{segment}",
                        "name": str(segment_labels[segment]),
                        "x": (min(columns) + max(columns)) / 2 * 240,
                        "y": -110,
                        "caption": True,
                    }
                )
        edges = [{"source": str(e["source"]), "target": str(e["target"])} for e in graph["edges"]]
        counts = {key: 0 for key in services.STRENGTH_LABELS}
        for link in graph["links"]:
            counts[link["strength"]] += 1
        rows = max((row for _column, row in positions.values()), default=0) + 1
        context = {
            "chain": chain,
            "graph": graph,
            "chart_height": max(480, min(1100, rows * 105 + 80)),
            "chart_data": {"nodes": nodes, "edges": edges},
            "strength_counts": counts,
            "figures": chain_figures(chain.code),
            "total_output": sum(link["output_wan"] for link in graph["links"]),
            "monthly": _monthly_context(chain.code),
            "can_edit": can_edit_chain(request.user, chain),
            "sees_analysis": sees_analysis(request.user),
            # The fusion module, when installed, offers the scorecard and gap pages.
            "fusion_url": _reverse_or_none("fusion:chain", chain.code),
            "gaps_url": _reverse_or_none("fusion:gaps", chain.code),
        }
        return render(request, "chains/map.html", context)


def _monthly_context(code: str) -> dict | None:
    figures = services.chain_month_figures(code)
    if figures is None:
        return None
    return {**figures, "ytd_output_yi": round(figures["ytd_output_wan"] / 10000, 2)}


class LinkPanelView(RoleRequiredMixin, View):
    """One link: its enterprises (scoped like the registry) and what other modules add."""

    allowed_roles = ALL_ROLES

    def get(self, request, code, link_id):
        chain = visible_chain(request.user, code)
        link = get_object_or_404(chain.links.select_related("stat"), pk=link_id)
        visible = Enterprise.objects.visible_to(request.user)
        placed = (
            EnterpriseLink.objects.filter(link=link, enterprise__in=visible)
            .select_related("enterprise", "enterprise__region")
            # Without output last (as SQLite has it). This also keeps PostgreSQL from
            # walking the registry's output index for the link's few members: it takes the
            # link's rows and sorts them (1.5 s → 60 ms for a link at ×100, docs/scale.md).
            .order_by(F("enterprise__output_wan").desc(nulls_last=True), "enterprise_id")
        )
        total = placed.count()
        context = {
            "chain": chain,
            "link": link,
            "placed": placed[:30],
            "total": total,
            "county_only": request.user.role == Role.COUNTY,
            # An enterprise sees its own placements only: say so, with the link's count,
            # instead of "0 家" over a link that holds dozens.
            "list_hidden": is_enterprise_user(request.user),
            "link_total": LinkStat.objects.filter(link=link)
            .values_list("enterprises", flat=True)
            .first(),
            "targets": link.target_companies.order_by("-revenue_wan")[:5]
            if sees_analysis(request.user)
            else [],
            "sections": link_sections(link, request.user) if sees_analysis(request.user) else [],
            "can_edit": can_edit_chain(request.user, chain),
            "placement_error": getattr(request, "placement_error", ""),
            "upstream": Link.objects.filter(out_edges__target=link).order_by("sort"),
            "downstream": Link.objects.filter(in_edges__source=link).order_by("sort"),
        }
        template = "chains/partials/link_panel.html" if request.htmx else "chains/link.html"
        return render(request, template, context)


class LinkPlacementView(LinkPanelView):
    """Chain office: put an enterprise on the link (by USCC or exact name) or take it off."""

    allowed_roles = EDIT_ROLES

    def post(self, request, code, link_id):
        chain = visible_chain(request.user, code)
        link = get_object_or_404(chain.links, pk=link_id)
        if not can_edit_chain(request.user, chain):
            raise PermissionDenied
        if request.POST.get("action") == "remove":
            form = RemovalForm(request.POST, link=link)
        else:
            form = PlacementForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.messages())
            if isinstance(form, RemovalForm):
                services.remove_enterprise(
                    actor=request.user, placement=form.cleaned_data["placement"]
                )
            else:
                services.place_enterprise(
                    actor=request.user,
                    enterprise=form.cleaned_data["enterprise"],
                    link=link,
                    role=form.cleaned_data["role"],
                )
        except ValidationError as exc:
            request.placement_error = "；".join(exc.messages)
        return self.get(request, code, link_id)


class ChainReportView(RoleRequiredMixin, View):
    """The chain report as xlsx: links, enterprises on links (scoped), edges, figures."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request, code):
        chain = visible_chain(request.user, code)
        data = export_chain_report_xlsx(chain, request.user)
        return xlsx_response(data, f"chain-{chain.code}-{stamp('%Y%m%d')}.xlsx")


class ChainEditView(RoleRequiredMixin, View):
    """Edit a chain's links and supply edges (its chain office, or a leader)."""

    allowed_roles = EDIT_ROLES

    def _chain(self, request, code) -> Chain:
        chain = visible_chain(request.user, code)
        if not can_edit_chain(request.user, chain):
            raise PermissionDenied
        return chain

    def get(self, request, code):
        chain = self._chain(request, code)
        return self._render(request, chain)

    def _render(self, request, chain, status=200):
        context = {
            "chain": chain,
            "links": chain.links.select_related("stat").order_by("sort", "id"),
            "edges": chain.edges.select_related("source", "target").order_by(
                "source__sort", "target__sort"
            ),
            "segments": Segment.choices,
        }
        return render(request, "chains/edit.html", context, status=status)

    def post(self, request, code):
        chain = self._chain(request, code)
        form_class = CHAIN_FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            raise Http404
        form = form_class(request.POST, chain=chain)
        try:
            if not form.is_valid():
                raise ValidationError(form.messages())
            done = self._apply(request.user, chain, form)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return self._render(request, chain, status=400)
        messages.success(request, done)
        return redirect("chains:edit", code=chain.code)

    @staticmethod
    def _apply(actor, chain, form) -> str:
        """Write what the form asks for; returns the message that says it is done."""
        data = form.cleaned_data
        if isinstance(form, LinkCreateForm):
            services.create_link(actor=actor, chain=chain, **data)
            return _("已添加环节。")
        if isinstance(form, LinkUpdateForm):
            services.update_link(
                actor=actor,
                link=data["link"],
                name=data["name"],
                segment=data["segment"],
                description=data["description"],
            )
            return _("已保存环节。")
        if isinstance(form, LinkDeleteForm):
            services.delete_link(actor=actor, link=data["link"])
            return _("已删除环节。")
        if isinstance(form, EdgeCreateForm):
            services.add_edge(actor=actor, source=data["source"], target=data["target"])
            return _("已添加供应关系。")
        services.delete_edge(actor=actor, edge=data["edge"])
        return _("已删除供应关系。")


class TargetCompanyListView(RoleRequiredMixin, View):
    """招商目标企业, filtered by chain; importable from xlsx/csv."""

    allowed_roles = GOVERNMENT_ROLES

    def get(self, request):
        chains = Chain.objects.visible_to(request.user)
        links = Link.objects.filter(chain__in=chains)
        base = TargetCompany.objects.filter(links__in=links).distinct()
        filterset = TargetCompanyFilterSet(request.GET, queryset=base)
        queryset = filterset.qs.prefetch_related("links__chain", "partners").order_by(
            "-revenue_wan", "id"
        )
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "chains/targets.html",
            {
                "page": page,
                "chains": chains,
                "current": filterset.form.cleaned_data.get("chain") or "",
                "can_import": can_import_chains(request.user),
            },
        )


class TargetImportView(RoleRequiredMixin, View):
    """Upload target companies; checked row by row and previewed before anything is written."""

    allowed_roles = IMPORT_ROLES

    def get(self, request):
        return render(request, "chains/target_import.html", {"form": ImportUploadForm()})

    def post(self, request):
        context = preview_from_request(
            request, kind="target_companies", runner=import_target_companies
        )
        error = context["error"]
        return render(request, "chains/target_import.html", context, status=400 if error else 200)


class TargetImportCommitView(RoleRequiredMixin, View):
    """Confirm a previewed target-company import."""

    allowed_roles = IMPORT_ROLES

    def post(self, request, job_id):
        job = get_object_or_404(ImportJob, pk=job_id, kind="target_companies")
        try:
            report = commit_import(actor=request.user, job=job, runner=import_target_companies)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("chains:target-import")
        if report.ok:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 家，更新 %(u)d 家。")
                % {"c": report.created, "u": report.updated},
            )
            return redirect("chains:targets")
        context = {"form": ImportUploadForm(), "job": None, "report": report, "error": None}
        return render(request, "chains/target_import.html", context, status=400)
