from django.db import migrations


def load(apps, schema_editor):
    from components.licensing import sync_spdx_licenses

    sync_spdx_licenses(apps.get_model("components", "License"))


class Migration(migrations.Migration):
    dependencies = [("components", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
