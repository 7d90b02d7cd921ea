"""The log's hash chain: every change after the fact is found and named."""

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from meetings.chain import entry_hash, genesis
from meetings.models import Entry


def _run(*args) -> str:
    out = StringIO()
    call_command("verify_log", *args, stdout=out)
    return out.getvalue()


def _verify(crisis) -> str:
    return _run(str(crisis.pk))


def _raw_update(sql: str, params: list) -> None:
    # Straight to the database, past the model's append-only guard: what a tamperer would do.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_entry_is_chained_to_the_one_before(world, record):
    first = record(text="Brand uitgebroken")
    second = record(kind="besluit", text="Evacueren")
    assert first.chain_hash == entry_hash(first, genesis(world.crisis_a.pk))
    assert second.chain_hash == entry_hash(Entry.objects.get(pk=second.pk), first.chain_hash)
    assert "2 entries, chain intact" in _verify(world.crisis_a)


def test_a_changed_text_is_named_as_the_first_broken_entry(world, record):
    for n in range(4):
        record(text=f"Regel {n}")
    _raw_update(
        "UPDATE meetings_entry SET text = %s WHERE crisis_id = %s AND seq = 3",
        ["Iets anders", world.crisis_a.pk],
    )
    assert "BROKEN at entry #3: its content" in _capture_broken(world.crisis_a)


def test_a_removed_entry_is_found(world, record):
    for n in range(3):
        record(text=f"Regel {n}")
    _raw_update("DELETE FROM meetings_entry WHERE crisis_id = %s AND seq = 2", [world.crisis_a.pk])
    assert "BROKEN at entry #2: entry #2 is missing" in _capture_broken(world.crisis_a)


def test_the_last_entry_removed_is_found_too(world, record):
    for n in range(3):
        record(text=f"Regel {n}")
    _raw_update("DELETE FROM meetings_entry WHERE crisis_id = %s AND seq = 3", [world.crisis_a.pk])
    assert "BROKEN at entry #3" in _capture_broken(world.crisis_a)


def test_a_rewritten_hash_does_not_hide_the_change(world, record):
    first = record(text="Regel 1")
    record(text="Regel 2")
    # The tamperer recomputes entry 1's hash after changing it; entry 2 still points at the old.
    _raw_update("UPDATE meetings_entry SET text = %s WHERE id = %s", ["Anders", first.pk])
    changed = Entry.objects.get(pk=first.pk)
    _raw_update(
        "UPDATE meetings_entry SET chain_hash = %s WHERE id = %s",
        [entry_hash(changed, genesis(world.crisis_a.pk)), first.pk],
    )
    assert "BROKEN at entry #2" in _capture_broken(world.crisis_a)


def test_an_entry_moved_to_another_crisis_breaks_both_chains(world, record):
    record(text="Regel 1")
    _raw_update(
        "UPDATE meetings_entry SET crisis_id = %s WHERE crisis_id = %s",
        [world.crisis_b.pk, world.crisis_a.pk],
    )
    assert "BROKEN at entry #1: entry #1 is missing" in _capture_broken(world.crisis_a)
    assert "BROKEN at entry #1: its content" in _capture_broken(world.crisis_b)


def test_corrections_and_decisions_keep_the_chain(world, record):
    original = record(kind="opdracht", text="Pers informeren")
    record(kind="opdracht", text="Pers en bewoners informeren", corrects=original)
    record(kind="besluit", text="Scholen dicht", client_token=str(uuid.uuid4()).upper())
    assert "3 entries, chain intact" in _verify(world.crisis_a)


def test_verify_all_and_unknown_crisis(world, record):
    record()
    out = _run("--all")
    assert f"Crisis {world.crisis_a.pk}" in out and f"Crisis {world.crisis_b.pk}" in out
    with pytest.raises(CommandError, match="no crisis"):
        call_command("verify_log", "999999")


def _capture_broken(crisis) -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_log", str(crisis.pk), stdout=out)
    return out.getvalue()
