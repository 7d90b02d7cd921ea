"""Verify the hash chain of a crisis's log: ``manage.py verify_log <crisis id>`` (or ``--all``)."""

from django.core.management.base import BaseCommand, CommandError

from crisisroom.models import Crisis
from meetings.chain import verify_chain
from meetings.models import Entry, Logbook


class Command(BaseCommand):
    help = "Check that no log entry of a crisis was changed, removed or reordered afterwards."

    def add_arguments(self, parser):
        parser.add_argument("crisis", nargs="*", type=int, help="crisis id(s)")
        parser.add_argument("--all", action="store_true", help="every crisis")

    def handle(self, *args, crisis, all, **options):
        if all:
            crisis = list(Crisis.objects.order_by("pk").values_list("pk", flat=True))
        if not crisis:
            raise CommandError("Name a crisis id, or use --all.")
        broken = []
        for crisis_id in crisis:
            title = Crisis.objects.filter(pk=crisis_id).values_list("title", flat=True).first()
            if title is None:
                raise CommandError(f"There is no crisis {crisis_id}.")
            last_seq = Logbook.objects.filter(pk=crisis_id).values_list("last_seq", flat=True)
            report = verify_chain(
                crisis_id,
                Entry.objects.filter(crisis_id=crisis_id).order_by("seq").iterator(),
                last_seq.first(),
            )
            if report.intact:
                self.stdout.write(
                    f"Crisis {crisis_id} ({title}): {report.entries} entries, chain intact."
                )
            else:
                broken.append(crisis_id)
                self.stdout.write(
                    f"Crisis {crisis_id} ({title}): chain BROKEN at entry #{report.broken_seq}: "
                    f"{report.reason}."
                )
        if broken:
            raise CommandError(
                f"The log of crisis {', '.join(map(str, broken))} was tampered with."
            )
