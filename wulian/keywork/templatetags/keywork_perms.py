"""The key-work permission predicates as template filters: `{% if user|can_create_tasks %}`."""

from django import template

from wulian.keywork import permissions

register = template.Library()

register.filter("can_create_tasks", permissions.can_create_tasks)
register.filter("sees_late_tasks", permissions.is_leader)
