"""Account pages: list, create, edit, deactivate, reset password; the own-password page."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.models import User
from wulian.core.permissions import ALL_ROLES, RoleRequiredMixin

from . import services
from .filtersets import UserFilterSet
from .forms import (
    AccountCreateForm,
    AccountForm,
    OwnPasswordForm,
    PasswordResetForm,
    add_service_errors,
)
from .models import AccountClaim
from .querysets import accounts


class UserListView(RoleRequiredMixin, View):
    """Every account with role and scope; filters by name, role, department, county."""

    allowed_roles = frozenset()

    def get(self, request):
        filterset = UserFilterSet(request.GET or None, queryset=accounts())
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else accounts()
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "pending_claims": AccountClaim.objects.pending().count(),
        }
        return render(request, "accounts/user_list.html", context)


class UserCreateView(RoleRequiredMixin, View):
    allowed_roles = frozenset()

    def get(self, request):
        return render(request, "accounts/user_form.html", {"form": AccountCreateForm()})

    def post(self, request):
        form = AccountCreateForm(request.POST)
        if form.is_valid():
            try:
                user = services.create_user(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建账号“%(u)s”。") % {"u": user.username})
                return redirect("accounts:user-edit", pk=user.pk)
        return render(request, "accounts/user_form.html", {"form": form}, status=400)


def _initial(user: User) -> dict:
    return {
        "name": user.display_name,
        "title": user.title,
        "role": user.role,
        "department": user.department.code if user.department_id else "",
        "region": user.region_id or "",
        "chain_code": user.chain_code,
        "enterprises": "\n".join(sorted(e.uscc for e in user.enterprises.all())),
    }


class UserEditView(RoleRequiredMixin, View):
    """Role and scope; deactivate or reactivate; reset the password."""

    allowed_roles = frozenset()

    def _render(self, request, user, form=None, reset=None, status=200):
        context = {
            "account": user,
            "form": form or AccountForm(initial=_initial(user)),
            "reset_form": reset or PasswordResetForm(),
        }
        return render(request, "accounts/user_edit.html", context, status=status)

    def get(self, request, pk):
        return self._render(request, get_object_or_404(accounts(), pk=pk))

    def post(self, request, pk):
        user = get_object_or_404(accounts(), pk=pk)
        action = request.POST.get("action", "save")
        form = reset = None
        try:
            if action == "deactivate":
                services.update_user(actor=request.user, user=user, is_active=False)
                messages.success(request, _("账号已停用，其登录会话和接口令牌已立即失效。"))
            elif action == "activate":
                services.update_user(actor=request.user, user=user, is_active=True)
                messages.success(request, _("账号已启用。"))
            elif action == "reset":
                reset = PasswordResetForm(request.POST)
                if not reset.is_valid():
                    return self._render(request, user, reset=reset, status=400)
                services.update_user(
                    actor=request.user, user=user, password=reset.cleaned_data["password"]
                )
                messages.success(request, _("密码已重置，本人下次登录时须修改。"))
            else:
                form = AccountForm(request.POST)
                if not form.is_valid():
                    return self._render(request, user, form=form, status=400)
                services.update_user(actor=request.user, user=user, **form.cleaned_data)
                messages.success(request, _("已保存。"))
        except ValidationError as exc:
            if reset is not None:
                add_service_errors(reset, exc)
            elif form is not None:
                add_service_errors(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
            return self._render(request, user, form=form, reset=reset, status=400)
        return redirect("accounts:user-edit", pk=user.pk)


class OwnPasswordView(RoleRequiredMixin, View):
    """Change one's own password (required after an initial or reset password)."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        return render(request, "accounts/password.html", {"form": OwnPasswordForm()})

    def post(self, request):
        form = OwnPasswordForm(request.POST)
        if form.is_valid():
            try:
                user = services.change_own_password(
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("密码已修改。"))
                return redirect("home")
        return render(request, "accounts/password.html", {"form": form}, status=400)
