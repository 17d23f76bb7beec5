"""我的待办: the landing page after sign-in."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from wulian.core.permissions import ALL_ROLES, RoleRequiredMixin

from .services import workbench_for


class WorkbenchView(LoginRequiredMixin, RoleRequiredMixin, View):
    """What waits for me, overdue first, each item linking to where it is done; below it the
    modules I may open."""

    allowed_roles = ALL_ROLES

    def get(self, request):
        bench = workbench_for(request.user)
        return render(request, "workbench/home.html", {"bench": bench})
