"""The company's CMT exercise: ransomware on customer and metering systems, meeting 1 running.

The story, in minutes after the service desk raised the alarm (the crisis start): the
encryption began 25 minutes before; the chair's start decision at 3; the team called from 4
on; meeting 1 started at 60 and is in Beeldvorming when the demo is loaded, at 70. The message
desk (``desk.py``) fills the minutes in between.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from crisisroom.models import Crisis
from meetings import services
from meetings.models import Meeting

from .story import Backdate, clock, log, minutes_after

TITLE = "Ransomware-aanval op klant- en meetsystemen"
SINCE_START = timedelta(hours=1, minutes=10)
ENCRYPTION_BEGAN = -25
MEETING_1 = 60


def summary(started_at: datetime) -> str:
    return (
        f"OEFENING. Scenario: om {clock(started_at)} uur meldt de servicedesk dat klantportaal "
        "en meetsystemen versleuteld zijn; een losgeldbericht eist betaling binnen 48 uur. De "
        "drinkwaterlevering draait op handbediening van de productielocaties. Klanten bellen "
        "over facturen en er gaan geruchten rond op sociale media over verontreinigd kraanwater."
    )


def load_cmt(crisis: Crisis, users: dict[str, User]) -> None:
    """The exercise is under way: meeting 1 runs, in Beeldvorming. Once."""
    if Meeting.objects.filter(crisis=crisis).exists():
        return
    chair, logger = users["cmt-voorzitter"], users["cmt-logger"]
    backdate = Backdate(crisis)
    story = minutes_after(crisis.started_at)
    at = minutes_after(story(MEETING_1))
    meeting = services.meeting_start(crisis=crisis, actor=chair)
    backdate(at(0), meeting)
    Meeting.objects.filter(pk=meeting.pk).update(started_at=at(0), phase_started_at=at(0))
    log(
        crisis,
        meeting,
        logger,
        "beeld",
        f"OEFENING — IT: versleuteling begonnen om {clock(story(ENCRYPTION_BEGAN))} via een "
        "gecompromitteerd VPN-account; back-ups van gisteren intact.",
        at(4),
        key="cmt/1/beeld-it",
    )
    log(
        crisis,
        meeting,
        logger,
        "beeld",
        "OEFENING — Productie draait op handbediening; bezetting voor 24 uur geregeld.",
        at(6),
    )
    log(
        crisis,
        meeting,
        logger,
        "knelpunt",
        "OEFENING — Geruchten op sociale media over verontreinigd kraanwater; "
        "klantenservice onbereikbaar.",
        at(8),
    )
