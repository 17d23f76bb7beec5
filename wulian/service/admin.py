"""Admin, read-only: categories and their deadlines, routing rules and requests are changed on
their pages and through the API (`/service/categories/`, `/service/rules/`), whose services
check who may and write the audit; the admin would do neither."""

from django.contrib import admin

from .models import RoutingRule, ServiceCategory, ServiceEvent, ServiceRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "accept_days", "answer_days", "sort", "is_active"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "category", "link", "region", "department", "priority", "is_active"]
    list_filter = ["category", "department", "is_active"]
    raw_id_fields = ["link"]


class ServiceEventInline(admin.TabularInline):
    model = ServiceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "reason", "rating"]
    fields = readonly_fields


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "category", "enterprise", "department", "status", "due_at"]
    list_filter = ["status", "category", "department", "is_synthetic"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["category", "enterprise", "department"]
    inlines = [ServiceEventInline]
