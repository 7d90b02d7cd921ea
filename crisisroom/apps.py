from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisroomConfig(AppConfig):
    name = "crisisroom"
    verbose_name = _("Crisisroom")
