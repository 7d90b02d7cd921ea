from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResilienceConfig(AppConfig):
    name = "resilience"
    verbose_name = _("Cold phase")

    def ready(self) -> None:
        from crisisroom.home import home_panel_register
        from crisisroom.services import organisation_seeder_register
        from meetings.pdf import paper_pack_section_register

        from .home_panel import cold_phase_home_panel
        from .paper import paper_pack_first72
        from .services.defaults import organisation_seed_resilience

        # A municipality starts its cold phase with the labelled public defaults: the weighing
        # criteria of the national method and the example scenarios, never an empty page.
        organisation_seeder_register(organisation_seed_resilience)
        # Owners see their measures, readers the programme's state, on their home page.
        home_panel_register(cold_phase_home_panel)
        # The paper pack carries the noodsteunpunten and the allocation rules in force.
        paper_pack_section_register(paper_pack_first72)
