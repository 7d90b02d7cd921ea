"""The archive from the UI: the chair downloads it from the audit page, an administrator from
the admin; both are recorded."""

import io
import json
import zipfile

from django.urls import reverse

from crisisroom import services as core
from crisisroom.models import AuditEvent


def _close(world):
    core.crisis_close(crisis=world.crisis_a, actor=world.chair)


def test_the_chair_downloads_the_archive_of_a_closed_crisis(world, login, record):
    record(text="Brand meester")
    _close(world)
    response = login(world.chair).post(reverse("crisis_archive", args=[world.crisis_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"crisis-{world.crisis_a.pk}-" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        entries = json.loads(archive.read("data/entries.json"))
    assert "Brand meester" in json.dumps(entries, ensure_ascii=False)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ARCHIVE_EXPORTED)
    assert event.actor == world.chair and event.crisis == world.crisis_a
    assert event.detail["via"] == "download"


def test_an_active_crisis_is_not_exported_from_the_ui(world, login):
    response = login(world.chair).post(
        reverse("crisis_archive", args=[world.crisis_a.pk]), follow=True
    )
    assert "nog actief" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ARCHIVE_EXPORTED).exists()


def test_the_audit_page_offers_the_download_once_closed(world, login):
    client = login(world.chair)
    url = reverse("crisis_audit", args=[world.crisis_a.pk])
    assert (
        reverse("crisis_archive", args=[world.crisis_a.pk]) not in client.get(url).content.decode()
    )
    _close(world)
    assert reverse("crisis_archive", args=[world.crisis_a.pk]) in client.get(url).content.decode()


def test_an_administrator_exports_from_the_admin(world, login):
    _close(world)
    client = login(world.org_admin)
    response = client.post(
        reverse("admin:crisisroom_crisis_changelist"),
        {"action": "export_archive", "_selected_action": [world.crisis_a.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ARCHIVE_EXPORTED, actor=world.org_admin, detail__via="admin"
    ).exists()


def test_an_administrator_cannot_export_another_organisations_crisis(world, login):
    core.crisis_close(crisis=world.crisis_b, actor=None)
    client = login(world.org_admin)
    response = client.post(
        reverse("admin:crisisroom_crisis_changelist"),
        {"action": "export_archive", "_selected_action": [world.crisis_b.pk]},
    )
    assert response.get("Content-Type") != "application/zip"
