"""Shared by data migrations: give active memberships exactly the rights their role has now.

Not a migration itself (the loader skips modules starting with an underscore).
"""


def resync_role_permissions(apps, schema_editor) -> None:
    from django.contrib.auth.management import create_permissions

    from crisisroom.roles import ALL_PERMISSIONS, permissions_for_roles

    # New permission rows must exist before they can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

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
        wanted = permissions_for_roles(roles)
        for codename in ALL_PERMISSIONS:
            grant = UserObjectPermission.objects.filter(
                permission=perms[codename], user_id=user_id, content_type=crisis_type,
                object_pk=str(crisis_id),
            )
            if codename in wanted and not grant.exists():
                UserObjectPermission.objects.create(
                    permission=perms[codename], user_id=user_id, content_type=crisis_type,
                    object_pk=str(crisis_id),
                )
            elif codename not in wanted:
                grant.delete()
