"""Links named in spreadsheets: 产业链名·环节名, 产业链代码/环节代码, or a unique 环节名."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from wulian.core.tabular import ValueProblem

from .models import Link

SPLIT = re.compile(r"[、；;，,\n]+")


class LinkLookup:
    """Every way a link may be written → its id (built once per import)."""

    def __init__(self) -> None:
        self.ids: dict[str, list[int]] = {}
        self.labels: dict[int, str] = {}
        for pk, code, name, chain_code, chain_name in Link.objects.values_list(
            "id", "code", "name", "chain__code", "chain__name"
        ):
            self.labels[pk] = f"{chain_name}·{name}"
            for key in (
                f"{chain_code}/{code}",
                f"{chain_name}·{name}",
                f"{chain_name}/{name}",
                name,
            ):
                self.ids.setdefault(key, []).append(pk)

    def one(self, text: str) -> int:
        """The link written as `text`; ValueProblem (Chinese) when unknown or ambiguous."""
        found = self.ids.get(text.strip())
        if not found:
            raise ValueProblem(_("未知环节“%(v)s”，请写作“产业链名·环节名”") % {"v": text})
        if len(found) > 1:
            raise ValueProblem(
                _("环节“%(v)s”在多条产业链中都有，请写作“产业链名·环节名”") % {"v": text}
            )
        return found[0]

    def many(self, text: str) -> list[int]:
        """Several links separated by 、；, or new lines."""
        return [self.one(part) for part in SPLIT.split(text or "") if part.strip()]

    def label(self, pk: int | None) -> str:
        """How an export writes a link (产业链名·环节名), read back by `one`."""
        return self.labels.get(pk, "") if pk else ""

    def join(self, pks) -> str:
        return "、".join(sorted(self.label(pk) for pk in pks))
