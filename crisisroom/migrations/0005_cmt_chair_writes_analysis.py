"""A CMT has no ROL: its chair now writes the strategic analysis; existing seats follow."""

from django.db import migrations

from ._permissions import resync_role_permissions


class Migration(migrations.Migration):
    dependencies = [("crisisroom", "0004_resync_role_permissions")]

    operations = [migrations.RunPython(resync_role_permissions, migrations.RunPython.noop)]
