"""Account claim pages: the public registration and its status; the reviewers' list and
decision page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.throttling import ScopedRateThrottle

from wulian.core.permissions import RoleRequiredMixin

from . import claims
from .choices import ClaimStatus
from .forms import ClaimDecisionForm, ClaimForm, add_service_errors
from .models import AccountClaim
from .permissions import REVIEW_ROLES, can_decide


class ClaimRegisterView(View):
    """企业账号认领 (open to anyone): USCC, contact, username and password; nothing is seen
    with it until a reviewer approves. Submissions are rate-limited per address."""

    throttle_scope = "claim"

    def get(self, request):
        return render(request, "accounts/claim_register.html", {"form": ClaimForm()})

    def post(self, request):
        throttle = ScopedRateThrottle()
        if not throttle.allow_request(request, self):
            form = ClaimForm(request.POST)
            form.is_valid()  # keep what was typed; the refusal is the one error shown
            form.errors.clear()
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            return render(request, "accounts/claim_register.html", {"form": form}, status=429)
        form = ClaimForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
            actor = request.user if request.user.is_authenticated else None
            try:
                claim = claims.submit_claim(actor=actor, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("accounts:claim-status", token=claim.token)
        return render(request, "accounts/claim_register.html", {"form": form}, status=400)


class ClaimStatusView(View):
    """Where a claimant reads the decision, by the unguessable 查询码 of their claim."""

    def get(self, request, token):
        claim = get_object_or_404(AccountClaim.objects.select_related("enterprise"), token=token)
        return render(request, "accounts/claim_status.html", {"claim": claim})


class ClaimListView(RoleRequiredMixin, View):
    """Claims the reviewer may decide (their county's, or all for administrators)."""

    allowed_roles = REVIEW_ROLES

    def get(self, request):
        status = request.GET.get("status", ClaimStatus.PENDING)
        queryset = AccountClaim.objects.visible_to(request.user).for_list()
        if status in ClaimStatus.values:
            queryset = queryset.filter(status=status)
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        context = {"page": page, "status": status, "statuses": ClaimStatus.choices}
        return render(request, "accounts/claim_list.html", context)


class ClaimDetailView(RoleRequiredMixin, View):
    """One claim: who asked for which enterprise; approve, or reject with a reason."""

    allowed_roles = REVIEW_ROLES

    def _render(self, request, claim, form=None, status=200):
        context = {
            "claim": claim,
            "form": form or ClaimDecisionForm(),
            "can_decide": claim.status == ClaimStatus.PENDING and can_decide(claim, request.user),
        }
        return render(request, "accounts/claim_detail.html", context, status=status)

    def _claim(self, request, pk):
        visible = AccountClaim.objects.visible_to(request.user).for_list()
        return get_object_or_404(visible, pk=pk)

    def get(self, request, pk):
        return self._render(request, self._claim(request, pk))

    def post(self, request, pk):
        claim = self._claim(request, pk)
        form = ClaimDecisionForm(request.POST)
        if not form.is_valid():
            return self._render(request, claim, form, status=400)
        action = request.POST.get("action", "")
        try:
            claims.decide_claim(
                actor=request.user, claim=claim, action=action, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, claim, form, status=400)
        except claims.IllegalStep as exc:
            form.add_error(None, str(exc))
            return self._render(request, claim, form, status=409)
        if action == "approve":
            messages.success(request, _("已通过，企业账号已开通并通知申请人。"))
        else:
            messages.success(request, _("已驳回，申请人凭查询码可以看到理由。"))
        return redirect("accounts:claim-detail", pk=claim.pk)
