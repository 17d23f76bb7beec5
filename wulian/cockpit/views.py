"""The leader's cockpit (驾驶舱): one page, every tile linking to its detail."""

from django.shortcuts import render
from django.views import View

from wulian.core.permissions import RoleRequiredMixin

from .permissions import COCKPIT_ROLES
from .services import cockpit_data


class CockpitView(RoleRequiredMixin, View):
    """Headline indicators with targets and rank, trends, chains, 企呼我应, projects, map."""

    allowed_roles = COCKPIT_ROLES

    def get(self, request):
        data = cockpit_data()
        charts = {"trends": data["trends"], "monthly": data["monthly"], "map": data["map"]}
        return render(request, "cockpit/cockpit.html", {"d": data, "charts": charts})
