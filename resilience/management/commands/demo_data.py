"""Load the demo, with the cold phase of Gemeente Zuiderveen.

It extends the meetings app's ``demo_data`` rather than adding a command of its own, so that
``make run`` (``manage.py demo_data`` on every start) fills the whole product with one command,
and because the meetings app may not import the cold phase: apps import downward only
(resilience → meetings), so the higher app adds its part on top. Django finds this command
first because ``resilience`` comes before ``meetings`` in INSTALLED_APPS. Idempotent like the
command it extends: loading again leaves the same data.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crisisroom.models import Crisis, Organisation
from meetings.demo import gbt
from meetings.demo.people import MUNICIPALITY
from meetings.management.commands import demo_data as meetings_demo
from resilience.demo import (
    ADMINISTRATOR,
    ADVISER,
    COLD_PHASE_LOGINS,
    MAYOR,
    OWNERS,
    load_cold_phase,
    programme_summary,
)
from resilience.demo72 import load_first72


class Command(meetings_demo.Command):
    help = "Load the Crisisroom demo with the cold phase (idempotent) and print the demo users."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        loading = timezone.now()
        super().handle(*args, **options)
        organisation = Organisation.objects.get(name=MUNICIPALITY)
        usernames = {ADVISER, MAYOR, ADMINISTRATOR, *OWNERS, "voorzitter", "logger"}
        users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
        load_cold_phase(
            organisation=organisation,
            users=users,
            loading=loading,
            set_up=loading - meetings_demo.SET_UP_BEFORE,
        )
        load_first72(
            organisation=organisation,
            crisis=Crisis.objects.filter(organisation=organisation, title=gbt.TITLE).first(),
            users=users,
            decided=loading - meetings_demo.SET_UP_BEFORE + timedelta(days=9, hours=2),
        )
        self.stdout.write(f"Koude fase {MUNICIPALITY}: {programme_summary(organisation)}.")
        for username, what in COLD_PHASE_LOGINS:
            self.stdout.write(f"  {username:<17} {what}")
