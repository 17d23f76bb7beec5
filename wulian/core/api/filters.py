"""The API's filter backend: django-filter on lists, never on the lookup of one object."""

from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend

# Query parameters that page a list rather than filter it (core.api.pagination, DRF's format).
PAGING_PARAMS = frozenset({"page", "page_size", "format"})


def _plain(filterset_class) -> bool:
    """A filterset that filters only by the parameters it is given: no defaults of its own
    (an overridden `qs`, `filter_queryset` or `__init__` may add some)."""
    return (
        filterset_class.qs is BaseFilterSet.qs
        and filterset_class.filter_queryset is BaseFilterSet.filter_queryset
        and filterset_class.__init__ is BaseFilterSet.__init__
    )


class ListFilterBackend(DjangoFilterBackend):
    """Filters narrow a list. A detail URL (`/things/{id}/` and its actions) finds its object
    by id, whatever the list's defaults: the indicators' `region`, for one, defaults to the
    city on lists, and applied to a lookup it hid every county's observation (404). What a
    user may see is still decided by the view's `visible_to` queryset.

    A list asked with no filter parameter at all skips building the filterset and its form
    (about 0.5 ms a request, most of it copying the filters) when the filterset has no
    defaults of its own: every filter would have been given an empty value and left the
    queryset as it is."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        if not set(request.query_params) - PAGING_PARAMS:
            filterset_class = self.get_filterset_class(view, queryset)
            if filterset_class is None or _plain(filterset_class):
                return queryset
        return super().filter_queryset(request, queryset, view)
