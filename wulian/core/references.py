"""What still refers to a row: reference data is retired or its removal refused while other
rows point at it, so a deletion never cascades (nor silently empties a foreign key)."""

from django.db import models


def references(instance: models.Model, ignore: tuple[type[models.Model], ...] = ()) -> list[str]:
    """'<kind> <n>' for every kind of row that points at `instance` (foreign keys, one-to-one
    and many-to-many from any app), leaving out the models in `ignore` (the row's own parts)."""
    found = []
    for rel in instance._meta.related_objects:
        if rel.related_model in ignore:
            continue
        count = rel.related_model._base_manager.filter(**{rel.field.name: instance}).count()
        if count:
            found.append(f"{rel.related_model._meta.verbose_name} {count}")
    return found
