"""Forms of the chain pages: editing a chain's links and edges, placing enterprises on a link.

Each form reads the POST, finds the objects it names inside the chain (or link) being edited,
and answers in Chinese when a field is missing, not a number or not found; the services then
apply the business rules (cycles, codes, roles) and write. A form never writes.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.enterprises.models import Enterprise

from .choices import LinkRole, Segment
from .models import EnterpriseLink, Link, LinkEdge


def _pick(queryset, label):
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        error_messages={
            "required": _("请选择%(f)s。") % {"f": label},
            "invalid_choice": _("所选%(f)s不存在或不属于本链。") % {"f": label},
        },
    )


class Sentences:
    def messages(self) -> list[str]:
        """Every error as one Chinese sentence each, for the page's message line."""
        return [str(m) for errors in self.errors.values() for m in errors]


class ChainForm(Sentences, forms.Form):
    """A form about one chain: `chain` limits what its object fields may name."""

    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, **kwargs)
        self.chain = chain


class LinkCreateForm(ChainForm):
    code = forms.CharField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=60)
    segment = forms.ChoiceField(label=_("上中下游"), choices=Segment.choices)


class LinkUpdateForm(ChainForm):
    name = forms.CharField(label=_("名称"), max_length=60)
    segment = forms.ChoiceField(label=_("上中下游"), choices=Segment.choices)
    description = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, chain=chain, **kwargs)
        self.fields["link"] = _pick(chain.links.all(), _("环节"))


class LinkDeleteForm(ChainForm):
    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, chain=chain, **kwargs)
        self.fields["link"] = _pick(chain.links.all(), _("环节"))


class EdgeCreateForm(ChainForm):
    """A supply edge from a link of this chain; the target is checked by the service."""

    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, chain=chain, **kwargs)
        self.fields["source"] = _pick(chain.links.all(), _("供应环节"))
        self.fields["target"] = _pick(Link.objects.all(), _("需求环节"))


class EdgeDeleteForm(ChainForm):
    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, chain=chain, **kwargs)
        self.fields["edge"] = _pick(LinkEdge.objects.filter(chain=chain), _("供应关系"))


CHAIN_FORMS: dict[str, type[ChainForm]] = {
    "add_link": LinkCreateForm,
    "update_link": LinkUpdateForm,
    "delete_link": LinkDeleteForm,
    "add_edge": EdgeCreateForm,
    "delete_edge": EdgeDeleteForm,
}


class PlacementForm(Sentences, forms.Form):
    """Put an enterprise on the link, by its USCC or its exact name."""

    enterprise = forms.CharField(
        label=_("企业"),
        max_length=200,
        error_messages={"required": _("请填写统一社会信用代码或企业全称。")},
    )
    role = forms.ChoiceField(
        label=_("角色"),
        choices=LinkRole.choices,
        required=False,
        error_messages={"invalid_choice": _("角色应为主营或配套。")},
    )

    def clean_enterprise(self) -> Enterprise:
        text = self.cleaned_data["enterprise"].strip()
        found = Enterprise.objects.filter(Q(uscc=text.upper()) | Q(name=text)).first()
        if found is None:
            raise forms.ValidationError(
                _("企业库中没有“%(v)s”，请填写统一社会信用代码或企业全称。") % {"v": text}
            )
        return found

    def clean_role(self) -> str:
        return self.cleaned_data["role"] or LinkRole.MAIN


class RemovalForm(Sentences, forms.Form):
    """Take a placement off the link."""

    def __init__(self, *args, link, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"] = _pick(EnterpriseLink.objects.filter(link=link), _("企业"))
