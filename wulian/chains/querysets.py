"""Read paths for chains; `visible_to` is the one place that scopes them by role.

Who sees which chain (docs/fusion-scoring.md, “权限”):
- leaders, departments, county staff and superusers: every chain (county staff see only their
  county's enterprises on the links, see `enterprises_on_link_visible_to`);
- chain offices (链长/链办): their own chain (User.chain_code);
- enterprise users: the chains their own enterprises sit on (and nothing of fusion or gaps).
"""

from django.db import models

from wulian.core.choices import Role

from .permissions import sees_every_chain


class ChainQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChainQuerySet":
        """Chains the user may open."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_every_chain(user):
            return self
        if user.role == Role.CHAIN:
            return self.filter(code=user.chain_code) if user.chain_code else self.none()
        if user.role == Role.ENTERPRISE:
            return self.filter(links__enterprise_links__enterprise__accounts=user).distinct()
        return self.none()


class LinkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LinkQuerySet":
        """Links of the chains the user may open."""
        from .models import Chain

        return self.filter(chain__in=Chain.objects.visible_to(user))
