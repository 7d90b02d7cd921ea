"""Give existing memberships the rights their role has now (share_analysis was added)."""

from django.db import migrations


def resync(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # The new permission row must exist before it can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from crisisroom.roles import permissions_for_roles

    Membership = apps.get_model("crisisroom", "Membership")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    crisis_type = ContentType.objects.get(app_label="crisisroom", model="crisis")
    perms = {p.codename: p for p in Permission.objects.filter(content_type=crisis_type)}
    seats: dict[tuple[int, int], set[str]] = {}
    for m in Membership.objects.filter(ended_at__isnull=True):
        seats.setdefault((m.crisis_id, m.user_id), set()).add(m.role)
    for (crisis_id, user_id), roles in seats.items():
        for codename in permissions_for_roles(roles):
            UserObjectPermission.objects.get_or_create(
                permission=perms[codename],
                user_id=user_id,
                content_type=crisis_type,
                object_pk=str(crisis_id),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("crisisroom", "0003_share_analysis_permission"),
        ("guardian", "__latest__"),
    ]

    operations = [migrations.RunPython(resync, migrations.RunPython.noop)]
