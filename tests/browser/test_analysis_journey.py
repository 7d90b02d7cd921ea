"""ROL writes and hands over -> the mayor reads and downloads the PDF -> the BT builds on it."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_rols_analysis_to_the_mayors_pdf_to_the_meetings_kernbeeld(
    world, live_server, open_screen
):
    crisis = world.crisis_a.pk
    rol = open_screen(world.rol)
    rol.goto(f"{live_server.url}/crises/{crisis}/analyse/")
    rol.get_by_label("Wat is er aan de hand (aanleiding)").fill(
        "Stroomstoring in Aadorp-Noord sinds 05:10; 12.000 huishoudens."
    )
    expect(rol.locator("#draft-status")).to_contain_text("Opgeslagen om")  # autosaved
    rol.get_by_label("Wat weten we en wat weten we niet").fill("Hersteltijd onbekend.")
    rol.get_by_label("Impact op mensen, vitale processen, samenleving en bestuur").fill(
        "Thuiszorg en koelcellen."
    )
    rol.get_by_label("Advies aan de burgemeester").fill("Noodstroom voor het verpleeghuis.")
    rol.get_by_role("button", name="Overdragen aan de burgemeester").click()
    expect(rol.get_by_role("status").first).to_contain_text("Versie 1 overgedragen")

    mayor = open_screen(world.mayor)
    mayor.goto(f"{live_server.url}/crises/{crisis}/analyse/")
    expect(mayor.get_by_role("heading", name="Versie 1")).to_be_visible()
    expect(mayor.locator(".analysis-version")).to_contain_text("12.000 huishoudens")
    pdf_url = mayor.get_by_role("link", name="Pdf downloaden").get_attribute("href")
    response = mayor.request.get(f"{live_server.url}{pdf_url}")
    assert response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Noodstroom voor het verpleeghuis" in text and "VERTROUWELIJK" in text

    chair = open_screen(world.chair)
    chair.goto(f"{live_server.url}/crises/{crisis}/overleg/")
    chair.get_by_role("button", name=re.compile("Overleg 1 starten")).click()
    expect(chair.locator("#region-kernbeeld")).to_contain_text(
        "versie 1 van de strategische analyse"
    )
    expect(chair.get_by_role("textbox", name="Kernbeeld")).to_have_value(
        re.compile("12.000 huishoudens")
    )


def test_a_second_editor_is_told_and_keeps_their_text(world, live_server, open_screen):
    crisis = world.crisis_a.pk
    rol = open_screen(world.rol)
    chair = open_screen(world.chair)
    for page in (rol, chair):
        page.goto(f"{live_server.url}/crises/{crisis}/analyse/")
    rol.get_by_label("Dilemma's").fill("Eerst de ROL")
    expect(rol.locator("#draft-status")).to_contain_text("Opgeslagen om")
    chair.get_by_label("Dilemma's").fill("Dan de voorzitter")
    expect(chair.locator("#draft-status")).to_contain_text("Niet opgeslagen")
    expect(chair.get_by_label("Dilemma's")).to_have_value("Dan de voorzitter")
