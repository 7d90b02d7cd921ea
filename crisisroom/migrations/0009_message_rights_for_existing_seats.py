"""The berichtenmanager, the chairs and the mayor get the message desk's rights; existing seats
follow their role's rights as they are now."""

from django.db import migrations

from ._permissions import resync_role_permissions


class Migration(migrations.Migration):
    dependencies = [("crisisroom", "0008_partners_start_decision_message_rights")]

    operations = [migrations.RunPython(resync_role_permissions, migrations.RunPython.noop)]
