from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from crisisroom.models import Crisis, Membership

        from .push import notify_crisis_saved, notify_membership_saved

        # A seat that ends or a crisis that closes changes who may follow it: every open stream
        # of the crisis re-reads its rights at once (the core app knows nothing of streams).
        post_save.connect(notify_membership_saved, sender=Membership, dispatch_uid="live-seat")
        post_save.connect(notify_crisis_saved, sender=Crisis, dispatch_uid="live-crisis")
