"""Give existing memberships the rights their role has now (share_analysis was added)."""

from django.db import migrations

from ._permissions import resync_role_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("crisisroom", "0003_share_analysis_permission"),
        ("guardian", "__latest__"),
    ]

    operations = [migrations.RunPython(resync_role_permissions, migrations.RunPython.noop)]
