from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormatsConfig(AppConfig):
    name = "formats"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from crisisroom.services import organisation_seeder_register

        from .services import organisation_seed_defaults

        # Every new organisation starts with Crisisroom's default format and cards.
        organisation_seeder_register(organisation_seed_defaults)
