from django.db import migrations

from noturiba.alerts.builtin_templates import BUILTIN_TEMPLATES


def load_templates(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertTemplate = apps.get_model("alerts", "AlertTemplate")
    for data in BUILTIN_TEMPLATES:
        AlertTemplate.objects.update_or_create(
            key=data["key"], defaults={**data, "is_builtin": True}
        )


def remove_templates(apps, schema_editor):  # type: ignore[no-untyped-def]
    AlertTemplate = apps.get_model("alerts", "AlertTemplate")
    AlertTemplate.objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0002_alerts_compose_escalation_cap_import")]

    operations = [migrations.RunPython(load_templates, remove_templates)]
