from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from crisisroom.models import Crisis, Membership

        from .signals import crisis_saved, membership_saved

        post_save.connect(membership_saved, sender=Membership, dispatch_uid="meetings-seat")
        post_save.connect(crisis_saved, sender=Crisis, dispatch_uid="meetings-crisis")
