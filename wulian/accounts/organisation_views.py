"""Organisation pages (administrators): departments and counties, created and renamed through
`core.organisation`, which checks and audits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core import organisation
from wulian.core.models import Department
from wulian.core.permissions import RoleRequiredMixin

from .forms import (
    CountyEditForm,
    CountyForm,
    DepartmentEditForm,
    DepartmentForm,
    add_service_errors,
)
from .permissions import ADMIN_ROLES


class OrganisationView(RoleRequiredMixin, View):
    """Departments and counties with their staff counts; a form to add each."""

    allowed_roles = ADMIN_ROLES

    def _render(self, request, department_form=None, county_form=None, status=200):
        departments = Department.objects.select_related("region").annotate(
            staff=Count("user", distinct=True)
        )
        counties = organisation.city_counties().annotate(staff=Count("user", distinct=True))
        context = {
            "departments": departments.order_by("-is_dispatcher", "code"),
            "counties": counties,
            "department_form": department_form or DepartmentForm(prefix="d"),
            "county_form": county_form or CountyForm(prefix="c"),
        }
        return render(request, "accounts/organisation.html", context, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if request.POST.get("kind") == "county":
            form = CountyForm(request.POST, prefix="c")
            save, done = organisation.save_county, _("已新增区县“%(n)s”。")
            forms = {"county_form": form}
        else:
            form = DepartmentForm(request.POST, prefix="d")
            save, done = organisation.save_department, _("已新增部门“%(n)s”。")
            forms = {"department_form": form}
        if form.is_valid():
            try:
                saved = save(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done % {"n": saved.name})
                return redirect("accounts:organisation")
        return self._render(request, status=400, **forms)


class DepartmentEditView(RoleRequiredMixin, View):
    """Rename a department, move it to a county, mark or unmark it as the dispatcher."""

    allowed_roles = ADMIN_ROLES

    def _render(self, request, department, form, status=200):
        context = {"department": department, "form": form}
        return render(request, "accounts/department_edit.html", context, status=status)

    def get(self, request, code):
        department = get_object_or_404(Department, code=code)
        initial = {
            "name": department.name,
            "region": department.region_id,
            "is_dispatcher": department.is_dispatcher,
        }
        return self._render(request, department, DepartmentEditForm(initial=initial))

    def post(self, request, code):
        department = get_object_or_404(Department, code=code)
        form = DepartmentEditForm(request.POST)
        if form.is_valid():
            try:
                organisation.save_department(
                    actor=request.user, department=department, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("已保存部门“%(n)s”。") % {"n": form.cleaned_data["name"]}
                )
                return redirect("accounts:organisation")
        return self._render(request, department, form, status=400)


class CountyEditView(RoleRequiredMixin, View):
    """Rename one of the city's counties (its code stays)."""

    allowed_roles = ADMIN_ROLES

    def _render(self, request, county, form, status=200):
        context = {"county": county, "form": form}
        return render(request, "accounts/county_edit.html", context, status=status)

    def get(self, request, code):
        county = get_object_or_404(organisation.city_counties(), code=code)
        initial = {"name": county.name, "short_name": county.short_name, "sort": county.sort}
        return self._render(request, county, CountyEditForm(initial=initial))

    def post(self, request, code):
        county = get_object_or_404(organisation.city_counties(), code=code)
        form = CountyEditForm(request.POST)
        if form.is_valid():
            try:
                organisation.save_county(actor=request.user, county=county, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("已保存区县“%(n)s”。") % {"n": form.cleaned_data["name"]}
                )
                return redirect("accounts:organisation")
        return self._render(request, county, form, status=400)
