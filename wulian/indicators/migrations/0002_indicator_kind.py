from django.db import migrations, models

# Existing indicators get the kind their unit implies; the catalogue sets it explicitly.
KIND_BY_UNIT = {"%": "share", "倍": "ratio", "位": "rank", "个": "count", "家": "count", "次": "count"}


def kinds_from_units(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for unit, kind in KIND_BY_UNIT.items():
        Indicator.objects.filter(unit=unit).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="kind",
            field=models.CharField(
                choices=[
                    ("amount", "总量"),
                    ("count", "个数"),
                    ("share", "比重或比率"),
                    ("ratio", "倍数"),
                    ("rank", "位次"),
                ],
                default="amount",
                help_text="决定变化的表述：总量、个数按%增长；比重按百分点；倍数按差值；位次按名次",
                max_length=10,
                verbose_name="指标性质",
            ),
        ),
        migrations.RunPython(kinds_from_units, migrations.RunPython.noop),
    ]
