"""The API's filter backend: django-filter on lists, never on the lookup of one object."""

from django_filters.rest_framework import DjangoFilterBackend


class ListFilterBackend(DjangoFilterBackend):
    """Filters narrow a list. A detail URL (`/things/{id}/` and its actions) finds its object
    by id, whatever the list's defaults: the indicators' `region`, for one, defaults to the
    city on lists, and applied to a lookup it hid every county's observation (404). What a
    user may see is still decided by the view's `visible_to` queryset."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)
