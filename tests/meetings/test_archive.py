"""The crisis archive: complete, only this crisis, verifiable, readable, the same every time."""

import hashlib
import io
import json
import re
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crisisroom import services as core
from crisisroom.models import AuditEvent
from formats import services as format_services
from formats.models import AnalysisRead, AnalysisVersion
from meetings import services
from meetings.archive import CrisisStillActive, archive_filename, write_archive
from meetings.chain import CHAINED_FIELDS
from meetings.models import Assignment, Entry, Meeting, MeetingEvent
from tests.conftest import pdf_text

DATA_FILES = [
    "data/crisis.json",
    "data/meetings.json",
    "data/entries.json",
    "data/decisions.json",
    "data/assignments.json",
    "data/analysis_versions.json",
    "data/audit_events.json",
    "data/messages.json",
    "data/stakeholders.json",
]


def _export(crisis, **kwargs) -> tuple[zipfile.ZipFile, object, bytes]:
    buffer = io.BytesIO()
    summary = write_archive(crisis, buffer, **kwargs)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue())), summary, buffer.getvalue()


def _read_json(archive: zipfile.ZipFile, path: str) -> dict:
    return json.loads(archive.read(path).decode("utf-8"))


def _close(world):
    core.crisis_close(crisis=world.crisis_a, actor=world.chair)
    world.crisis_a.refresh_from_db()


def _raw_update(sql: str, params: list) -> None:
    # Straight to the database, past the model's guards: what a tamperer would do.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def full_crisis(world, meeting, record, hand_over):
    """Crisis A with a bit of everything, and crisis B with its own secrets; A is closed."""
    hand_over()
    version = hand_over(advies="Verpleeghuis evacueren als de noodstroom uitvalt.")
    format_services.analysis_record_read(version=version, user=world.mayor, kind="pdf")
    format_services.analysis_share(
        analysis=version.analysis, user=world.org_admin, actor=world.mayor
    )
    services.meeting_set_phase(meeting=meeting, phase="oordeelsvorming", actor=world.chair)
    services.meeting_mark_reflection(
        meeting=meeting, actor=world.chair, note="Even pas op de plaats"
    )
    services.meeting_set_attendance(
        meeting=meeting, actor=world.chair, user=world.adviser, present=False, delegate=world.rol
    )
    record(text="12.000 huishoudens zonder stroom")
    record(kind="besluit", text="Noodstroom naar het verpleeghuis", decided_by=world.mayor)
    task = record(kind="opdracht", text="Pers informeren", owner=world.rol, owner_function="")
    fixed = record(
        kind="opdracht",
        text="Pers en bewoners informeren",
        corrects=task,
        owner=world.rol,
        owner_function="",
    )
    services.assignment_check(
        assignment=Assignment.objects.get(entry=fixed),
        actor=world.logger,
        outcome=services.CheckOutcome.ADJUSTED,
        new_deadline=timezone.now() + timedelta(hours=5),
        client_token=uuid.uuid4(),
        meeting=meeting,
        remark="Later",
    )
    record(kind="opdracht", text="Aggregaat huren", owner_function="inkoop")
    services.meeting_close(meeting=meeting, actor=world.chair)

    # Crisis B, another organisation: none of this may leak into A's archive.
    other = services.meeting_start(crisis=world.crisis_b, actor=world.outsider)
    record(
        "besluit",
        "GEHEIM-B besluit",
        meeting=other,
        actor=world.outsider,
        reasoning="GEHEIM-B reden",
    )
    record(
        "opdracht",
        "GEHEIM-B opdracht",
        meeting=other,
        actor=world.outsider,
        owner_function="GEHEIM-B functie",
        deadline=timezone.now() + timedelta(hours=1),
    )
    analysis_b = format_services.analysis_get_or_start(crisis=world.crisis_b)
    version_b = hand_over(
        analysis=analysis_b, actor=world.outsider, aanleiding="GEHEIM-B aanleiding"
    )
    format_services.analysis_record_read(version=version_b, user=world.outsider, kind="view")

    _close(world)
    return world


def test_the_archive_holds_every_record_of_the_crisis(full_crisis):
    world = full_crisis
    archive, summary, _payload = _export(world.crisis_a)
    crisis = world.crisis_a

    entries = _read_json(archive, "data/entries.json")["entries"]
    assert [e["id"] for e in entries] == list(
        Entry.objects.filter(crisis=crisis).order_by("seq").values_list("pk", flat=True)
    )
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    decisions = _read_json(archive, "data/decisions.json")["decisions"]
    assert [d["entry_id"] for d in decisions] == list(
        Entry.objects.filter(crisis=crisis, kind="besluit")
        .order_by("seq")
        .values_list("pk", flat=True)
    )
    assert decisions[0]["decided_by"]["username"] == "mayor"
    assert decisions[0]["reasoning"] == "Gezondheid gaat voor"

    assignments = _read_json(archive, "data/assignments.json")["assignments"]
    assert {a["id"] for a in assignments} == set(
        Assignment.objects.filter(crisis=crisis).values_list("pk", flat=True)
    )
    by_text = {a["text"]: a for a in assignments}
    assert by_text["Pers informeren"]["status"] == "superseded"
    assert (
        by_text["Pers informeren"]["corrected_by_seq"]
        == by_text["Pers en bewoners informeren"]["seq"]
    )
    adjusted = by_text["Pers en bewoners informeren"]
    assert adjusted["postponements"] == 1 and adjusted["owner"]["username"] == "rol"
    assert len(adjusted["checked_in_seqs"]) == 1
    assert by_text["Aggregaat huren"]["owner"] is None
    assert by_text["Aggregaat huren"]["owner_function"] == "inkoop"
    check = next(e for e in entries if e["kind"] == "controle")
    assert (
        check["checks_seq"] == adjusted["seq"] and check["check_state_before"]["status"] == "open"
    )

    versions = _read_json(archive, "data/analysis_versions.json")["analysis_versions"]
    stored = AnalysisVersion.objects.filter(analysis__crisis=crisis).order_by("number")
    assert [(v["number"], v["fingerprint"]) for v in versions] == [
        (v.number, v.fingerprint) for v in stored
    ]
    assert all(v["fingerprint_matches_content"] for v in versions)
    sections = {s["key"]: s["text"] for s in versions[1]["sections"]}
    assert sections["advies"] == "Verpleeghuis evacueren als de noodstroom uitvalt."

    audit = _read_json(archive, "data/audit_events.json")
    assert [e["id"] for e in audit["audit_events"]] == list(
        AuditEvent.objects.filter(crisis=crisis).order_by("at", "pk").values_list("pk", flat=True)
    )
    actions = {e["action"] for e in audit["audit_events"]}
    assert {"crisis_opened", "member_added", "crisis_closed"} <= actions
    assert [r["id"] for r in audit["analysis_reads"]] == list(
        AnalysisRead.objects.filter(version__analysis__crisis=crisis).values_list("pk", flat=True)
    )
    assert audit["analysis_reads"][0]["analysis_version"] == 2
    assert audit["analysis_shares"][0]["person"]["username"] == "admin"

    team = _read_json(archive, "data/crisis.json")
    assert {(m["person"]["username"], m["role"]) for m in team["memberships"]} == {
        ("chair", "technisch_voorzitter"),
        ("mayor", "burgemeester"),
        ("rol", "rol"),
        ("logger", "logger"),
        ("adviser", "adviseur"),
        ("observer", "waarnemer"),
    }
    assert team["crisis"]["status"] == "closed" and team["crisis"]["closed_at"]

    assert summary.counts["entries"] == len(entries) == 6
    pdf = pdf_text(archive.read("pdf/besluitenlijst.pdf"))
    assert "Pers en bewoners informeren" in pdf and "1 keer uitgesteld" in pdf
    assert "gecorrigeerd in #4" in pdf and "corrigeert #3" in pdf
    assert "12.000 huishoudens" not in pdf  # a beeld is not a decision or an assignment
    assert summary.counts["analysis_versions"] == 2
    assert sorted(archive.namelist()) == sorted(
        ["README.txt", "manifest.json", *DATA_FILES, "pdf/besluitenlijst.pdf"]
        + ["pdf/analysis-v1.pdf", "pdf/analysis-v2.pdf"]
    )


def test_nothing_of_another_crisis_is_in_the_archive(full_crisis):
    world = full_crisis
    archive, _summary, _payload = _export(world.crisis_a)
    texts = []
    for name in archive.namelist():
        content = archive.read(name)
        texts.append(pdf_text(content) if name.endswith(".pdf") else content.decode("utf-8"))
    everything = "\n".join(texts)
    assert "12.000 huishoudens zonder stroom" in everything  # the search itself works
    for foreign in ["GEHEIM-B", "Oefening datalek", "Bedrijf Bee", "outsider", "OEFENING"]:
        assert foreign not in everything
    meetings = _read_json(archive, "data/meetings.json")["meetings"]
    assert [m["id"] for m in meetings] == list(
        Meeting.objects.filter(crisis=world.crisis_a).values_list("pk", flat=True)
    )


def test_the_manifest_lists_every_file_with_its_size_and_sha256(full_crisis):
    archive, summary, payload = _export(full_crisis.crisis_a)
    manifest = _read_json(archive, "manifest.json")
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, row in listed.items():
        content = archive.read(path)
        assert row["size"] == len(content)
        assert row["sha256"] == hashlib.sha256(content).hexdigest()
    assert manifest["format"] == "crisisroom-crisis-archive" and manifest["format_version"] == 1
    assert manifest["snapshot"] is False
    assert manifest["crisis"]["title"] == "Stroomstoring Aadorp"
    assert manifest["crisis"]["organisation"]["name"] == "Gemeente Aadorp"
    assert manifest["crisis"]["scaling_label"] == "GRIP 3"
    assert manifest["counts"] == summary.counts
    last = Entry.objects.filter(crisis=full_crisis.crisis_a).order_by("-seq").first()
    chain = manifest["log_chain"]
    assert chain["intact"] is True and chain["broken_at_seq"] is None
    assert chain["head_seq"] == last.seq and chain["head_hash"] == last.chain_hash
    assert summary.chain_head == last.chain_hash and summary.problems == []
    assert summary.size == len(payload)
    assert summary.sha256 == hashlib.sha256(payload).hexdigest()
    readme = archive.read("README.txt").decode("utf-8")
    assert "Archiefexport" in readme and "klopte de keten" in readme and last.chain_hash in readme


def test_the_chain_can_be_recomputed_from_the_archive_alone(full_crisis):
    archive, _summary, _payload = _export(full_crisis.crisis_a)
    manifest = _read_json(archive, "manifest.json")
    crisis_id = manifest["crisis"]["id"]
    # Follow the recipe the manifest gives, without the application's code.
    previous = hashlib.sha256(f"crisisroom-log:{crisis_id}".encode()).hexdigest()
    assert previous == manifest["log_chain"]["genesis"]
    assert manifest["log_chain"]["chained_fields"] == list(CHAINED_FIELDS)
    for entry in _read_json(archive, "data/entries.json")["entries"]:
        content = {
            "crisis_id": crisis_id,
            "seq": entry["seq"],
            "meeting_id": entry["meeting_id"],
            "kind": entry["kind"],
            "phase": entry["phase"],
            "text": entry["text"],
            "author_id": entry["author"]["id"],
            "recorded_at": entry["recorded_at"],
            "occurred_at": entry["occurred_at"],
            "corrects_id": entry["corrects_id"],
            "reasoning": entry["reasoning"],
            "decided_by_id": entry["decided_by"]["id"] if entry["decided_by"] else None,
            "checks_id": entry["checks_id"],
            "client_token": entry["client_token"],
            "previous": previous,
        }
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.sha256(payload.encode()).hexdigest() == entry["chain_hash"], entry["seq"]
        previous = entry["chain_hash"]
    assert previous == manifest["log_chain"]["head_hash"]


def test_a_broken_chain_is_still_archived_and_the_command_says_so(full_crisis, tmp_path):
    world = full_crisis
    _raw_update(
        "UPDATE meetings_entry SET text = %s WHERE crisis_id = %s AND seq = 2",
        ["Iets anders", world.crisis_a.pk],
    )
    target = tmp_path / "archief.zip"
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="cannot all be verified") as raised:
        call_command(
            "export_crisis", str(world.crisis_a.pk), "--output", str(target), stdout=out, stderr=err
        )
    assert raised.value.returncode == 2
    assert "Log chain BROKEN at entry #2" in out.getvalue()
    assert "WARNING: the log's hash chain is broken at entry #2" in err.getvalue()
    archive = zipfile.ZipFile(target)
    chain = _read_json(archive, "manifest.json")["log_chain"]
    assert chain["intact"] is False and chain["broken_at_seq"] == 2
    assert "GEBROKEN bij logregel #2" in archive.read("README.txt").decode()
    texts = [e["text"] for e in _read_json(archive, "data/entries.json")["entries"]]
    assert "Iets anders" in texts  # what is in the database now, flagged, not hidden


def test_an_analysis_version_that_no_longer_matches_its_fingerprint_is_reported(full_crisis):
    version = AnalysisVersion.objects.get(analysis__crisis=full_crisis.crisis_a, number=1)
    AnalysisVersion.objects.filter(pk=version.pk).update(content={**version.content, "advies": "x"})
    archive, summary, _payload = _export(full_crisis.crisis_a)
    assert summary.problems == ["analysis version 1 no longer matches its fingerprint"]
    manifest = _read_json(archive, "manifest.json")
    assert manifest["analysis_fingerprints"]["mismatched_versions"] == [1]


def test_an_active_crisis_is_refused_unless_a_snapshot_is_asked_for(world, record, tmp_path):
    record(text="Nog bezig")
    target = tmp_path / "actief.zip"
    with pytest.raises(CommandError, match="still active.*--allow-active"):
        call_command("export_crisis", str(world.crisis_a.pk), "--output", str(target))
    assert not target.exists() and list(tmp_path.iterdir()) == []
    with pytest.raises(CrisisStillActive):
        write_archive(world.crisis_a, io.BytesIO())

    out = StringIO()
    call_command(
        "export_crisis",
        str(world.crisis_a.pk),
        "--output",
        str(target),
        "--allow-active",
        stdout=out,
    )
    assert "Snapshot of an ACTIVE crisis" in out.getvalue()
    archive = zipfile.ZipFile(target)
    manifest = _read_json(archive, "manifest.json")
    assert manifest["snapshot"] is True and manifest["crisis"]["status"] == "active"
    assert "MOMENTOPNAME" in archive.read("README.txt").decode()
    assert "Momentopname" in pdf_text(archive.read("pdf/besluitenlijst.pdf"))


def test_the_command_writes_the_default_name_and_prints_what_it_wrote(
    full_crisis, tmp_path, monkeypatch
):
    world = full_crisis
    monkeypatch.chdir(tmp_path)
    out = StringIO()
    call_command("export_crisis", str(world.crisis_a.pk), stdout=out)
    [written] = list(tmp_path.iterdir())
    today = timezone.localdate().isoformat()
    assert written.name == f"crisis-{world.crisis_a.pk}-stroomstoring-aadorp-{today}.zip"
    assert written.name == archive_filename(world.crisis_a)
    text = out.getvalue()
    assert f"Wrote {written}" in text
    size = written.stat().st_size
    assert f"{size:,} bytes, SHA-256 {hashlib.sha256(written.read_bytes()).hexdigest()}" in text
    assert "6 log entries (1 decisions, 3 assignments, 1 corrections)" in text
    assert "2 analysis versions" in text
    last = Entry.objects.filter(crisis=world.crisis_a).order_by("-seq").first()
    assert f"Log chain intact: 6 entries, head {last.chain_hash}" in text
    assert "Snapshot" not in text
    recorded = AuditEvent.objects.get(action=AuditEvent.Action.ARCHIVE_EXPORTED)
    assert recorded.actor is None and recorded.crisis == world.crisis_a
    sha256 = hashlib.sha256(written.read_bytes()).hexdigest()
    assert recorded.detail == {"sha256": sha256, "size": size, "via": "export_crisis"}

    with pytest.raises(CommandError, match="exists already"):
        call_command("export_crisis", str(world.crisis_a.pk), "--output", str(tmp_path))
    with pytest.raises(CommandError, match="no crisis"):
        call_command("export_crisis", "999999")


def test_the_pdfs_are_real_and_show_user_text_literally(world, meeting, record, hand_over):
    version = hand_over(aanleiding="<i>cursief</i> & Zoë 🚒")
    record(
        kind="besluit",
        text="<b>vet</b> besluit & Ëlla",
        reasoning="<script>x</script> omdat",
        decided_by=world.mayor,
    )
    record(kind="opdracht", text="Bel <u>iedereen</u>", owner=world.rol)
    record(text="Alleen een beeld, niet in de besluitenlijst")
    _close(world)
    archive, _summary, _payload = _export(world.crisis_a)

    decisions = pdf_text(archive.read("pdf/besluitenlijst.pdf"))
    assert "Besluiten- en actielijst" in decisions and "VERTROUWELIJK" in decisions
    assert "Gemeente Aadorp" in decisions and "Stroomstoring Aadorp" in decisions
    assert "<b>vet</b> besluit & Ëlla" in decisions
    assert "<script>x</script> omdat" in decisions
    assert "Bel <u>iedereen</u>" in decisions
    assert "Besloten door" in decisions and "Pagina 1 van 1" in decisions
    assert "Alleen een beeld" not in decisions
    assert "OEFENING" not in decisions

    analysis_text = pdf_text(archive.read("pdf/analysis-v1.pdf"))
    assert "<i>cursief</i> & Zoë" in analysis_text
    assert version.fingerprint[:12] in analysis_text and "Strategische analyse" in analysis_text
    # The cached PDF of the version, not a second rendering.
    assert archive.read("pdf/analysis-v1.pdf") == bytes(
        AnalysisVersion.objects.get(pk=version.pk).pdf
    )


def test_every_page_of_an_exercise_says_oefening(world, record):
    crisis = world.crisis_b
    meeting = services.meeting_start(crisis=crisis, actor=world.outsider)
    for n in range(30):
        record(
            "besluit",
            f"Besluit {n}: " + "een lange zin over de oefening " * 8,
            meeting=meeting,
            actor=world.outsider,
            reasoning="Omdat het moet " * 10,
        )
    core.crisis_close(crisis=crisis, actor=world.outsider)
    archive, _summary, _payload = _export(crisis)
    pages = pdf_text(archive.read("pdf/besluitenlijst.pdf")).split("\f")[:-1]
    assert len(pages) >= 3
    assert all("OEFENING" in page for page in pages)
    assert _read_json(archive, "manifest.json")["crisis"]["is_exercise"] is True
    assert "OEFENING" in archive.read("README.txt").decode()


def test_two_exports_differ_only_in_generated_at(full_crisis):
    crisis = full_crisis.crisis_a
    first_at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    first, _s1, first_bytes = _export(crisis, now=first_at)
    second, _s2, _bytes = _export(crisis, now=first_at + timedelta(hours=3))
    assert first.namelist() == second.namelist()
    for name in first.namelist():
        if name != "manifest.json":
            assert first.read(name) == second.read(name), name
    one, two = _read_json(first, "manifest.json"), _read_json(second, "manifest.json")
    assert one.pop("generated_at") == "2026-01-01T12:00:00.000000+00:00"
    assert two.pop("generated_at") == "2026-01-01T15:00:00.000000+00:00"
    assert one == two
    # Same moment, same bytes: zip entries carry the close of the crisis, not the clock.
    assert _export(crisis, now=first_at)[2] == first_bytes
    closed = crisis.closed_at.astimezone(UTC)
    assert {info.date_time for info in first.infolist()} == {
        (*closed.timetuple()[:5], closed.second // 2 * 2)
    }
    # JSON as promised: UTF-8, not ASCII-escaped, sorted keys.
    raw = first.read("data/crisis.json").decode("utf-8")
    assert json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True, indent=2) + "\n" == raw


def test_timestamps_are_utc_and_people_carry_no_email_or_password(full_crisis):
    world = full_crisis
    archive, _summary, _payload = _export(world.crisis_a)
    everything = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith("json"))
    stamps = re.findall(r'"(\d{4}-\d\d-\d\dT[^"]+)"', everything)
    assert stamps and all(s.endswith("+00:00") for s in stamps)
    for person in (world.logger, world.mayor, world.chair):
        assert person.password not in everything
        assert not person.email or person.email not in everything
    assert '"email"' not in everything and '"password"' not in everything
    entry = _read_json(archive, "data/entries.json")["entries"][0]
    assert entry["author"] == {
        "id": world.logger.pk,
        "username": "logger",
        "full_name": world.logger.get_full_name(),
    }


def test_meetings_keep_their_timeline_attendance_and_kernbeeld_source(world, meeting, hand_over):
    hand_over()
    services.meeting_close(meeting=meeting, actor=world.chair)
    second = services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    services.meeting_set_phase(meeting=second, phase="besluitvorming", actor=world.chair)
    services.meeting_set_attendance(
        meeting=second, actor=world.chair, user=world.adviser, present=False
    )
    _close(world)
    archive, _summary, _payload = _export(world.crisis_a)
    first_json, second_json = _read_json(archive, "data/meetings.json")["meetings"]
    assert first_json["kernbeeld_source"] is None
    assert second_json["kernbeeld_source"]["analysis_version"] == 1
    assert "12.000 huishoudens" in second_json["kernbeeld"]
    assert [e["kind"] for e in second_json["events"]] == [
        MeetingEvent.Kind.STARTED,
        MeetingEvent.Kind.PHASE,
        MeetingEvent.Kind.ATTENDANCE,
    ]
    phase = second_json["events"][1]
    assert (phase["from_phase"], phase["to_phase"]) == ("beeldvorming", "besluitvorming")
    assert phase["by"]["username"] == "chair"
    assert second_json["attendance"] == [
        {
            "person": {
                "id": world.adviser.pk,
                "username": "adviser",
                "full_name": world.adviser.get_full_name(),
            },
            "present": False,
            "delegate": None,
        }
    ]
    assert first_json["status"] == "closed" and first_json["ended_by"]["username"] == "chair"


def test_the_archive_can_be_written_straight_into_a_response(full_crisis):
    response = HttpResponse(content_type="application/zip")
    summary = write_archive(full_crisis.crisis_a, response)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    assert summary.size == len(response.content)
    assert "data/entries.json" in archive.namelist()


def test_the_number_of_queries_does_not_grow_with_the_log(world, meeting, record):
    for n in range(3):
        record(kind="opdracht", text=f"Opdracht {n}", owner=world.rol)
    write_archive(world.crisis_a, io.BytesIO(), allow_active=True)
    with CaptureQueriesContext(connection) as few:
        write_archive(world.crisis_a, io.BytesIO(), allow_active=True)
    for n in range(30):
        record(kind="besluit", text=f"Besluit {n}", decided_by=world.mayor)
        record(kind="opdracht", text=f"Meer {n}", owner=world.rol)
    with CaptureQueriesContext(connection) as many:
        write_archive(world.crisis_a, io.BytesIO(), allow_active=True)
    assert len(many) == len(few)


def test_a_crisis_without_a_log_is_archived_too(world):
    core.crisis_close(crisis=world.crisis_b, actor=None)
    archive, summary, _payload = _export(world.crisis_b)
    assert summary.chain.intact and summary.chain_head is None and summary.problems == []
    manifest = _read_json(archive, "manifest.json")
    assert manifest["log_chain"]["head_hash"] is None and manifest["counts"]["entries"] == 0
    assert "Het logboek is leeg." in archive.read("README.txt").decode()
    assert "Geen besluiten of opdrachten" in pdf_text(archive.read("pdf/besluitenlijst.pdf"))
    assert [n for n in archive.namelist() if n.startswith("pdf/")] == ["pdf/besluitenlijst.pdf"]
