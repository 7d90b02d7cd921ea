"""Nothing typed is cut off or lost: long text, two tabs on one analysis, a reload, a dropped
connection."""

import os
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from formats.models import Analysis

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep screenshots of the conflict at 1280 and 390 pixels wide.
SCREENSHOTS = os.environ.get("CRISISROOM_SCREENSHOTS", "")


def nl(message: str) -> str:
    """A message as the Dutch interface shows it (the msgid until it is translated)."""
    with translation.override("nl"):
        return translation.gettext(message)


def _analysis(world):
    return f"/crises/{world.crisis_a.pk}/analyse/"


def _draft(world) -> dict:
    return Analysis.objects.get(crisis=world.crisis_a).draft


def test_a_pasted_long_log_entry_is_not_cut_and_enter_refuses_it_with_a_message(
    world, meeting, open_screen
):
    logger = open_screen(world.logger, f"/crises/{world.crisis_a.pk}/overleg/1/")
    text = logger.locator("textarea[name=text]")
    long_text = "Melding van de brandweer over de rookpluim. " * 93 + "einde"  # 4,097 characters
    long_text += "x" * (4100 - len(long_text))
    text.focus()
    logger.keyboard.insert_text(long_text)  # as a paste: the browser would cut at maxlength

    expect(text).to_have_value(long_text)
    counter = logger.locator("#" + text.get_attribute("id") + "-count")
    expect(counter).to_contain_text("4.100 / 4.000")
    expect(counter).to_have_class(re.compile("is-over"))
    expect(counter.get_by_role("status")).to_contain_text("100 tekens te veel")

    text.press("Enter")
    expect(logger.locator("#entry-form .field-error")).to_contain_text("4000")
    expect(logger.locator("textarea[name=text]")).to_have_value(long_text)
    expect(logger.locator("#region-log")).not_to_contain_text("rookpluim")


def test_the_counter_shows_how_much_room_is_left(world, open_screen):
    rol = open_screen(world.rol, _analysis(world))
    field = rol.get_by_label("Dilemma's")
    expect(field).not_to_have_attribute("maxlength", re.compile(".*"))
    field.fill("a" * 19_980)
    expect(rol.locator("#section-dilemmas-count")).to_contain_text("19.980 / 20.000")


def test_two_tabs_editing_different_sections_both_save(world, open_screen):
    first = open_screen(world.rol, _analysis(world))
    second = open_screen(world.rol, _analysis(world))

    first.get_by_label("Dilemma's").fill("Evacueren of binnen blijven")
    expect(first.locator("#draft-status")).to_contain_text("Opgeslagen om")
    second.get_by_label("Handelingsopties; wat kan snel?").fill("Noodstroom naar het verpleeghuis")
    expect(second.locator("#draft-status")).to_contain_text("Opgeslagen om")

    draft = _draft(world)
    assert draft["dilemmas"] == "Evacueren of binnen blijven"
    assert draft["opties"] == "Noodstroom naar het verpleeghuis"
    # The second tab had not touched Dilemma's: the newer text is now on its screen as well.
    expect(second.get_by_label("Dilemma's")).to_have_value("Evacueren of binnen blijven")
    # And both keep saving without being refused.
    first.get_by_label("Advies aan de burgemeester").fill("Scholen dicht")
    expect(first.locator("#draft-status")).to_contain_text("Opgeslagen om")
    expect(first.locator("#draft-status")).not_to_contain_text("Niet opgeslagen")
    assert _draft(world)["opties"] == "Noodstroom naar het verpleeghuis"


def test_the_same_section_in_two_tabs_shows_both_texts_and_loses_nothing(world, open_screen):
    first = open_screen(world.rol, _analysis(world))
    second = open_screen(world.rol, _analysis(world))
    first.get_by_label("Dilemma's").fill("Tekst uit het eerste tabblad")
    expect(first.locator("#draft-status")).to_contain_text("Opgeslagen om")

    second.get_by_label("Dilemma's").fill("Tekst uit het tweede tabblad")
    status = second.locator("#draft-status")
    expect(status).to_contain_text("Niet opgeslagen")
    expect(status).to_contain_text(nl("you yourself, in another window or tab"))
    conflict = second.get_by_test_id("conflict-dilemmas")
    expect(conflict.locator("#conflict-mine-dilemmas")).to_have_value(
        "Tekst uit het tweede tabblad"
    )
    expect(conflict.locator("#conflict-newer-dilemmas")).to_have_value(
        "Tekst uit het eerste tabblad"
    )
    expect(second.get_by_label("Dilemma's")).to_have_value("Tekst uit het tweede tabblad")
    assert _draft(world)["dilemmas"] == "Tekst uit het eerste tabblad"

    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        status.scroll_into_view_if_needed()
        second.screenshot(path=str(folder / "analysis-conflict-1280.png"))
        second.set_viewport_size({"width": 390, "height": 844})
        status.scroll_into_view_if_needed()
        second.screenshot(path=str(folder / "analysis-conflict-390.png"))
        second.set_viewport_size({"width": 1280, "height": 800})

    conflict.get_by_role("button", name=nl("Keep my text")).click()
    expect(status).to_contain_text("Opgeslagen om")
    expect(second.get_by_test_id("conflict-dilemmas")).to_have_count(0)
    assert _draft(world)["dilemmas"] == "Tekst uit het tweede tabblad"


def test_taking_the_newer_text_puts_it_in_the_editor(world, open_screen):
    first = open_screen(world.rol, _analysis(world))
    second = open_screen(world.chair, _analysis(world))
    first.get_by_label("Dilemma's").fill("Tekst van de ROL")
    expect(first.locator("#draft-status")).to_contain_text("Opgeslagen om")
    second.get_by_label("Dilemma's").fill("Tekst van de voorzitter")
    expect(second.locator("#draft-status")).to_contain_text(world.rol.get_full_name())

    second.get_by_role("button", name=nl("Take the newer text")).click()
    expect(second.get_by_label("Dilemma's")).to_have_value("Tekst van de ROL")
    expect(second.locator("#draft-status")).to_contain_text("Opgeslagen om")
    assert _draft(world)["dilemmas"] == "Tekst van de ROL"


def test_a_reload_after_a_refused_save_brings_the_text_back(world, open_screen):
    first = open_screen(world.rol, _analysis(world))
    second = open_screen(world.chair, _analysis(world))
    first.get_by_label("Dilemma's").fill("Tekst van de ROL")
    expect(first.locator("#draft-status")).to_contain_text("Opgeslagen om")
    second.get_by_label("Dilemma's").fill("Tekst van de voorzitter, nog niet opgeslagen")
    expect(second.locator("#draft-status")).to_contain_text("Niet opgeslagen")

    second.reload()
    field = second.get_by_label("Dilemma's")
    expect(field).to_have_value("Tekst van de voorzitter, nog niet opgeslagen")
    notice = second.locator(".draft-restored")
    expect(notice).to_contain_text(re.compile(r"Niet opgeslagen tekst van \d\d:\d\d teruggezet"))
    # Saved again at once, and refused again: the other text was saved after it was written.
    expect(second.get_by_test_id("conflict-dilemmas")).to_be_visible()
    assert _draft(world)["dilemmas"] == "Tekst van de ROL"

    notice.get_by_role("button", name="Weggooien").click()
    expect(field).to_have_value("Tekst van de ROL")
    expect(second.locator("#draft-status")).to_contain_text("Opgeslagen om")
    second.reload()
    expect(second.get_by_label("Dilemma's")).to_have_value("Tekst van de ROL")
    expect(second.locator(".draft-restored")).to_have_count(0)


def test_a_lost_connection_keeps_the_text_and_saves_it_when_back(world, open_screen):
    rol = open_screen(world.rol, _analysis(world))
    rol.route("**/analyse/concept/", lambda route: route.abort("internetdisconnected"))
    rol.get_by_label("Dilemma's").fill("Geschreven zonder verbinding")
    expect(rol.locator("[data-draft-connection]")).to_contain_text("Verbinding herstellen")
    expect(rol.get_by_label("Dilemma's")).to_have_value("Geschreven zonder verbinding")

    rol.unroute("**/analyse/concept/")
    expect(rol.locator("#draft-status")).to_contain_text("Opgeslagen om", timeout=10_000)
    expect(rol.locator("[data-draft-connection]")).to_have_count(0)
    assert _draft(world)["dilemmas"] == "Geschreven zonder verbinding"


def test_an_over_long_section_is_refused_with_a_message_and_stays(world, open_screen):
    rol = open_screen(world.rol, _analysis(world))
    field = rol.get_by_label("Dilemma's")
    field.fill("b" * 20_100)
    status = rol.locator("#draft-status")
    expect(status).to_contain_text("Niet opgeslagen")
    expect(status).to_contain_text("20.100")
    expect(status).not_to_contain_text("Opgeslagen om")
    expect(field).to_have_value("b" * 20_100)
    expect(rol.locator("#section-dilemmas-count")).to_have_class(re.compile("is-over"))
