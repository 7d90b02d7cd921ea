"""Shared scaffolding of the hostile-input tests, tests/<app>/test_bad_input.py.

Those modules send hostile input into every form and every live-update endpoint (hypothesis).

Each test draws form bodies, query strings, URL ids or raw request bytes and asserts two things:
the answer is never a server error, and whatever was sent comes back escaped: a drawn markup
payload never appears verbatim in any page, and where the app shows the text again (the form
re-rendered with its errors, or the saved content on the page that lists it) it appears exactly
as ``django.utils.html.escape`` writes it. Sweeps at the end try every known sharp edge (dates,
numbers, regions, charsets, NUL) in every field, so those never depend on what was drawn.

Reproducible by design: every test runs ``derandomize=True`` without an example database, so CI
and a laptop draw the same examples and a failure in CI fails the same way locally.
``CRISISROOM_FUZZ=explore`` draws fresh random examples, ten times as many;
``CRISISROOM_FUZZ_SCALE=n`` multiplies the number of examples. Use them to hunt, not in CI.

Every example runs inside a savepoint that is rolled back afterwards, so examples neither see
nor depend on each other's data: each starts from the same ``world`` and ``scene``. It also keeps
PostgreSQL's transaction usable after a failed statement, so hypothesis can shrink a failure.
"""

import os
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote, urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from formats.models import Analysis
from meetings import services as meeting_services
from meetings.models import Entry, Meeting, PersonalItem
from meetings.views.regions import DETAIL_REGIONS
from tests.strategies import (
    as_text,
    page_text,
)

REGIONS = tuple(DETAIL_REGIONS)

EXPLORE = os.environ.get("CRISISROOM_FUZZ") == "explore"
SCALE = float(os.environ.get("CRISISROOM_FUZZ_SCALE", "10" if EXPLORE else "1"))


def fuzz(examples: int):
    """Hypothesis settings for one test: ``examples`` per run in CI (times the scale)."""
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,  # a request takes what it takes on a busy CI runner
        derandomize=not EXPLORE,
        database=None,
        # The explain phase re-runs a failing example under a tracer: minutes for these tests.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # fixtures are shared on purpose, see above
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


OMIT = object()
FORM = "application/x-www-form-urlencoded"


@contextmanager
def rolled_back():
    """One example: everything it writes is undone when it ends, also when it fails. Cached
    renders go too: they are keyed by ids and revisions, which the next example reuses."""
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        cache.clear()


@dataclass
class Scene:
    meeting: Meeting
    decision: Entry
    assignment_entry: Entry
    item: PersonalItem
    proposal_pk: int
    section_keys: list[str]


@pytest.fixture
def scene(world, meeting, record, analysis, hand_over) -> Scene:
    """Crisis A with a running meeting, a decision, an open assignment, a handed-over analysis
    and an adviser's personal-logbook line offered to the logger (the builders of
    tests/conftest.py). Each test module binds it with ``scene = bad_input.scene``."""
    crisis = world.crisis_a
    decision = record("besluit", "Scholen dicht")
    assignment_entry = record("opdracht", "Bewonersbrief")
    keys = list(analysis.format.sections.values_list("key", flat=True))
    hand_over(**{key: f"Tekst voor {key}." for key in keys})
    item = meeting_services.personal_add(
        crisis=crisis, owner=world.adviser, kind="actie", text="Eigen notitie", priority="normaal"
    )
    proposal = meeting_services.proposal_create(item=item, actor=world.adviser)
    other = meeting_services.personal_add(
        crisis=crisis,
        owner=world.adviser,
        kind="besluit",
        text="Nog niet aangeboden",
        priority="hoog",
    )
    return Scene(meeting, decision, assignment_entry, other, proposal.pk, keys)


def send(client, url, fields, how="multipart"):
    """POST as a browser form (urlencoded), as the test client's multipart, or through htmx."""
    if how == "multipart":
        return client.post(url, fields)
    headers = {"HX-Request": "true"} if how == "htmx" else {}
    return client.post(url, urlencode(fields, doseq=True), content_type=FORM, headers=headers)


hows = st.sampled_from(["form", "multipart", "htmx"])


def mutate(data, base: dict, hostile: dict) -> dict:
    """``base`` (a valid submission) with some of its fields replaced by hostile values or left
    out; usually a few, so both the saving path and the error path are exercised."""
    names = data.draw(
        st.lists(st.sampled_from(sorted(hostile)), unique=True, max_size=len(hostile)),
        label="changed",
    )
    fields = dict(base)
    for name in names:
        value = data.draw(hostile[name] | st.just(OMIT), label=name)
        if value is OMIT:
            fields.pop(name, None)
        else:
            fields[name] = as_text(value)
    return fields


def future(hours: float = 2) -> str:
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def people(world) -> list[int]:
    return [world.chair.pk, world.mayor.pk, world.logger.pk, world.outsider.pk, world.org_admin.pk]


def meeting_url(world, name: str, *extra) -> str:
    return reverse(name, args=[world.crisis_a.pk, 1, *extra])


LIVE_URL = re.compile(r'id="live-poller"[^>]*hx-get="/live/([^/"?]+)/')


def live_token(client, world) -> str:
    """The poll token the meeting page hands this client (bound to its session)."""
    page = client.get(meeting_url(world, "meeting_detail"))
    return unquote(LIVE_URL.search(page_text(page)).group(1))


def sweep(requests) -> None:
    """Send every request (each in its own rolled-back example); report all server errors."""
    failures = []
    for label, request in requests:
        try:
            with rolled_back():
                status = request().status_code
            if status >= 500:
                failures.append(f"{label}: {status}")
        except Exception as error:  # the test client re-raises what the view raised
            failures.append(f"{label}: {type(error).__name__}: {error}"[:300])
    assert not failures, "server errors:\n" + "\n".join(failures)


# -- valid submissions, for the sweeps: every field right but one -----------------------------


def valid_entry(w, s):
    return {
        "client_token": str(uuid.uuid4()),
        "kind": "opdracht",
        "text": "Bewonersbrief",
        "owner_function": "woordvoerder",
        "deadline": future(),
    }


def valid_correction(w, s):
    return {
        "client_token": str(uuid.uuid4()),
        "kind": "besluit",
        "text": "Scholen open",
        "reasoning": "Veilig",
    }


def valid_check(w, s):
    return {"client_token": str(uuid.uuid4()), "outcome": "done", "remark": "Gedaan"}


def valid_adjusted(w, s):
    return {**valid_check(w, s), "outcome": "adjusted", "new_deadline": future(6)}


def valid_assignment_correction(w, s):
    return {**valid_entry(w, s), "text": "Bewonersbrief, tweede versie"}


def valid_kernbeeld(w, s):
    revision = Meeting.objects.get(pk=s.meeting.pk).kernbeeld_revision
    return {"kernbeeld": "Rookpluim", "kernbeeld_revision": str(revision)}


def valid_next(w, s):
    return {"next_at": future(24), "minutes": "30", "input_due_at": future(20)}


def valid_sections(w, s):
    revision = Analysis.objects.get(crisis=w.crisis_a).draft_revision
    return {**{f"section-{k}": f"Tekst {k}" for k in s.section_keys}, "base_revision": revision}


def valid_format(w, s):
    return {
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-0-key": "aanleiding",
        "sections-0-title": "Aanleiding",
        "sections-0-help_text": "Wat is er gebeurd?",
        "sections-0-ORDER": "1",
        "note": "Nieuwe opzet",
    }


def valid_cards(w, s):
    return {"card_agenda": "Opening", "tasks_logger": "Log bijhouden", "note": "Nieuw"}


def crisis_page(name):
    return lambda w, s: reverse(name, args=[w.crisis_a.pk])


def org_page(name):
    return lambda w, s: reverse(name, args=[w.org_a.pk])


def meeting_page(name):
    return lambda w, s: meeting_url(w, name)


def correct_url(w, s):
    return reverse("entry_correct", args=[w.crisis_a.pk, s.decision.seq])


def assignment_correct_url(w, s):
    return reverse("entry_correct", args=[w.crisis_a.pk, s.assignment_entry.seq])


def check_url(w, s):
    return reverse("assignment_check", args=[w.crisis_a.pk, s.assignment_entry.assignment.pk])
