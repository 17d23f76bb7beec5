"""诉求类别与办理时限: 营商办 and administrators keep them (audited); other government users
read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.choices import Role
from wulian.core.permissions import RoleRequiredMixin

from .categories import save_category
from .forms import CategoryEditForm, CategoryForm
from .models import ServiceCategory
from .permissions import BOARD_ROLES, is_dispatcher


def _service_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class CategoriesView(RoleRequiredMixin, View):
    """Every category with its deadlines; 营商办 and administrators add one here."""

    allowed_roles = BOARD_ROLES | frozenset({Role.LEADER})

    def _render(self, request, form, status=200):
        context = {
            "categories": ServiceCategory.objects.order_by("-is_active", "sort", "code"),
            "form": form,
            "can_edit": is_dispatcher(request.user),
        }
        return render(request, "service/categories.html", context, status=status)

    def get(self, request):
        return self._render(request, CategoryForm(initial={"is_active": True}))

    def post(self, request):
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = save_category(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("已新增诉求类别“%(n)s”。") % {"n": category.name})
                return redirect("service:categories")
        return self._render(request, form, status=400)


class CategoryEditView(RoleRequiredMixin, View):
    """Change a category's name, deadlines, order or active flag (the code stays)."""

    allowed_roles = BOARD_ROLES

    def _render(self, request, category, form, status=200):
        context = {"category": category, "form": form}
        return render(request, "service/category_edit.html", context, status=status)

    def _category(self, request, code):
        category = get_object_or_404(ServiceCategory, code=code)
        if not is_dispatcher(request.user):
            raise PermissionDenied(_("只有营商办或系统管理员可以维护诉求类别和办理时限。"))
        return category

    def get(self, request, code):
        category = self._category(request, code)
        return self._render(request, category, CategoryEditForm(instance=category))

    def post(self, request, code):
        category = self._category(request, code)
        form = CategoryEditForm(request.POST, instance=ServiceCategory.objects.get(pk=category.pk))
        if form.is_valid():
            try:
                save_category(actor=request.user, category=category, **form.cleaned_data)
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("已保存诉求类别“%(n)s”。") % {"n": category.name})
                return redirect("service:categories")
        return self._render(request, category, form, status=400)
