import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services


@pytest.fixture
def meeting(world):
    return services.meeting_start(crisis=world.crisis_a, actor=world.chair)


@pytest.fixture
def record(world, meeting):
    """Record an entry in crisis A's running meeting as the logger, with sensible defaults."""

    def _record(kind="beeld", text="Rookpluim trekt naar het noorden", **fields):
        fields.setdefault("actor", world.logger)
        fields.setdefault("client_token", uuid.uuid4())
        if kind == "opdracht":
            fields.setdefault("owner_function", "communicatieadviseur")
            fields.setdefault("deadline", timezone.now() + timedelta(hours=2))
        if kind == "besluit":
            fields.setdefault("reasoning", "Gezondheid gaat voor")
        return services.entry_record(
            crisis=world.crisis_a, meeting=meeting, kind=kind, text=text, **fields
        )

    return _record
