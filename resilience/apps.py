from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResilienceConfig(AppConfig):
    name = "resilience"
    verbose_name = _("Cold phase")

    def ready(self) -> None:
        from crisisroom.services import organisation_seeder_register

        from .services.defaults import organisation_seed_resilience

        # A municipality starts its cold phase with the labelled public defaults: the weighing
        # criteria of the national method and the example scenarios, never an empty page.
        organisation_seeder_register(organisation_seed_resilience)
