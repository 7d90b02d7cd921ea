"""Release the injects that are due in every running exercise.

The control screen does this every few seconds while it is open; run this from a timer (cron,
a systemd timer) every minute so scheduled and phase injects also go out when it is not.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from exercises.services.control import exercises_tick


class Command(BaseCommand):
    help = "Release the due injects of every running exercise and print what was released."

    def handle(self, *args, **options) -> None:
        releases = exercises_tick()
        for release in releases:
            self.stdout.write(
                f"{release.exercise.crisis.title} (#{release.exercise.crisis_id}): "
                f"inject {release.inject.number} {release.inject.summary} "
                f"({release.get_how_display()}, {timezone.localtime(release.released_at):%H:%M})"
            )
        self.stdout.write(f"{len(releases)} released.")
