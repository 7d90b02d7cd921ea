"""Load the demo, with the exercises of Veiligheidsregio Rivierenland.

Extends the cold phase's ``demo_data`` (which extends the meetings one) rather than adding a
command of its own, so that ``make run`` fills the whole product with one command, and because
the lower apps may not import this one: apps import downward only (exercises → resilience →
meetings). Django finds this command first because ``exercises`` comes before ``resilience``
in INSTALLED_APPS. Idempotent like the commands it extends.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crisisroom.models import Organisation
from exercises.demo import LOGINS, PEOPLE, load_exercises
from meetings.demo.people import MUNICIPALITY
from meetings.management.commands import demo_data as meetings_demo
from resilience.management.commands import demo_data as resilience_demo


class Command(resilience_demo.Command):
    help = (
        "Load the Crisisroom demo with the cold phase and the exercises (idempotent) and print "
        "the demo users."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        loading = timezone.now()
        super().handle(*args, **options)
        for row in PEOPLE:
            self._person(*row)
        users = {u.username: u for u in get_user_model().objects.all()}
        load_exercises(
            municipality=Organisation.objects.get(name=MUNICIPALITY),
            users=users,
            loading=loading,
            set_up=loading - meetings_demo.SET_UP_BEFORE,
        )
        self.stdout.write("Oefenen (Veiligheidsregio Rivierenland):")
        for username, what in LOGINS:
            self.stdout.write(f"  {username:<17} {what}")
