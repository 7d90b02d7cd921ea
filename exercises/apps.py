from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        from crisisroom.home import home_panel_register

        from .home_panel import exercises_home_panel

        # Exercise leaders and members of an exercise find the exercises on their home page.
        home_panel_register(exercises_home_panel)
