"""我呼企应 page: file a request on a flagged enterprise's behalf."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wulian.core.permissions import RoleRequiredMixin
from wulian.enterprises.early_warning import can_act
from wulian.enterprises.models import WarningFlag
from wulian.enterprises.permissions import VISIT_ROLES

from .forms import ProactiveRequestForm
from .proactive import draft_for, file_proactive_request


def _styled(form):
    for field in form.fields.values():
        css = "form-select" if field.widget.__class__.__name__ == "Select" else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


class ProactiveRequestView(RoleRequiredMixin, View):
    """GET: the request drafted from the flag's evidence; POST: file it (the flag records it)."""

    allowed_roles = VISIT_ROLES

    def _flag(self, request, pk):
        flag = get_object_or_404(
            WarningFlag.objects.visible_to(request.user).select_related("enterprise", "rule"),
            pk=pk,
        )
        if not can_act(request.user, flag):
            raise PermissionDenied
        return flag

    def get(self, request, pk):
        flag = self._flag(request, pk)
        form = _styled(ProactiveRequestForm(initial=draft_for(flag)))
        return render(request, "service/proactive.html", {"flag": flag, "form": form})

    def post(self, request, pk):
        flag = self._flag(request, pk)
        form = _styled(ProactiveRequestForm(request.POST))
        if form.is_valid():
            try:
                filed = file_proactive_request(actor=request.user, flag=flag, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
            else:
                messages.success(request, _("已代企业发起诉求，进入企呼我应闭环办理。"))
                return redirect(filed.get_absolute_url())
        return render(request, "service/proactive.html", {"flag": flag, "form": form}, status=400)
