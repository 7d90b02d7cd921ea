import threading

import pytest
from django.core.exceptions import ValidationError

from formats import selectors, services
from formats.defaults import DEFAULT_SECTIONS
from formats.models import Analysis, AnalysisShare, AnalysisVersion
from meetings import services as meeting_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_starts_from_the_labelled_default_format(world, analysis):
    fmt = analysis.format
    assert fmt.version == 1 and fmt.is_default
    assert [s.key for s in fmt.sections.all()] == [row[0] for row in DEFAULT_SECTIONS]


def test_handing_over_freezes_numbered_versions_with_time_author_fingerprint(world, hand_over):
    first = hand_over()
    second = hand_over(advies="Noodstroom én drinkwater regelen.")
    assert (first.number, second.number) == (1, 2)
    assert first.handed_over_by == world.rol
    assert first.fingerprint != second.fingerprint and len(first.fingerprint) == 64
    first.refresh_from_db()
    assert first.content["advies"] == "Noodstroom voor het verpleeghuis regelen."


def test_handing_over_the_same_text_twice_makes_one_version(world, analysis, hand_over):
    hand_over()
    again = services.analysis_hand_over(
        analysis=Analysis.objects.get(pk=analysis.pk), actor=world.rol
    )
    assert again.number == 1
    assert AnalysisVersion.objects.count() == 1


def test_a_hand_over_with_required_sections_empty_names_them(world, analysis):
    services.analysis_save_draft(
        analysis=analysis, actor=world.rol, sections={"aanleiding": "Brand"}, base_revision=0
    )
    with pytest.raises(ValidationError) as error:
        services.analysis_hand_over(analysis=Analysis.objects.get(pk=analysis.pk), actor=world.rol)
    message = error.value.messages[0]
    assert (
        "Wat weten we en wat weten we niet" in message and "Advies aan de burgemeester" in message
    )
    assert "aanleiding" not in message.lower().split(":", 1)[1]


def test_a_second_save_from_an_older_screen_is_refused_and_changes_nothing(world, analysis):
    services.analysis_save_draft(
        analysis=analysis,
        actor=world.rol,
        sections={"aanleiding": "Versie van de ROL"},
        base_revision=0,
    )
    with pytest.raises(services.DraftConflict) as conflict:
        services.analysis_save_draft(
            analysis=analysis,
            actor=world.chair,
            sections={"aanleiding": "Versie van de voorzitter"},
            base_revision=0,
        )
    assert world.rol.get_full_name() in conflict.value.messages[0]
    assert Analysis.objects.get(pk=analysis.pk).draft["aanleiding"] == "Versie van de ROL"


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_never_both_win(world):
    analysis = services.analysis_get_or_start(crisis=world.crisis_a)
    outcomes = []

    def save(user, text):
        from django.db import connections

        try:
            services.analysis_save_draft(
                analysis=analysis, actor=user, sections={"aanleiding": text}, base_revision=0
            )
            outcomes.append("saved")
        except services.DraftConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(u, u.username)) for u in (world.rol, world.chair)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Analysis.objects.get(pk=analysis.pk).draft_revision == 1


def test_a_revised_format_leaves_existing_analyses_and_versions_alone(world, analysis, hand_over):
    version = hand_over()
    fmt = services.format_revise(
        organisation=world.org_a,
        actor=world.org_admin,
        note="Regio-variant",
        sections=[
            {"key": "situatie", "title": "Situatie", "required": True},
            {"key": "advies", "title": "Advies", "required": True},
        ],
    )
    assert fmt.version == 2
    assert Analysis.objects.get(pk=analysis.pk).format.version == 1
    version.refresh_from_db()
    assert version.format.version == 1
    assert [s.key for s, _ in selectors.sections_with_text(version=version)][0] == "aanleiding"
    other = services.analysis_get_or_start(crisis=world.crisis_b)
    assert other.format.organisation == world.org_b  # B's own default, not A's revision


def test_a_format_needs_titles_and_unique_keys(world):
    with pytest.raises(ValidationError):
        services.format_revise(
            organisation=world.org_a,
            actor=None,
            sections=[{"key": "a", "title": "A"}, {"key": "a", "title": "B"}],
        )
    with pytest.raises(ValidationError):
        services.format_revise(organisation=world.org_a, actor=None, sections=[])


def test_sharing_is_for_people_of_the_organisation_outside_the_team(world, analysis):
    secretary = UserFactory(username="secretaris")
    from crisisroom import services as core

    core.organisation_member_set(organisation=world.org_a, user=secretary, actor=None)
    share = services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)
    assert services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor) == share
    with pytest.raises(ValidationError):
        services.analysis_share(analysis=analysis, user=world.outsider, actor=world.mayor)
    with pytest.raises(ValidationError):
        services.analysis_share(analysis=analysis, user=world.adviser, actor=world.mayor)
    services.analysis_share_revoke(share=share, actor=world.mayor)
    assert not AnalysisShare.objects.filter(revoked_at__isnull=True).exists()


def test_the_kernbeeld_is_built_from_the_latest_handed_over_version(world, hand_over):
    hand_over()
    latest = hand_over(aanleiding="Stroomstoring in heel Aadorp sinds 05:10.")
    meeting = meeting_services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert meeting.kernbeeld_source == latest
    assert "Stroomstoring in heel Aadorp" in meeting.kernbeeld
    assert "Wat weten we en wat weten we niet" in meeting.kernbeeld
    assert "Noodstroom" not in meeting.kernbeeld  # advies is not part of the kernbeeld


def test_a_meeting_without_analysis_starts_with_an_empty_kernbeeld(world, meeting):
    assert meeting.kernbeeld == "" and meeting.kernbeeld_source is None


def test_the_kernbeeld_is_adjusted_and_a_stale_save_is_refused(world, meeting):
    meeting_services.meeting_update_kernbeeld(
        meeting=meeting, actor=world.logger, text="Aangepast", base_revision=0
    )
    with pytest.raises(meeting_services.KernbeeldConflict):
        meeting_services.meeting_update_kernbeeld(
            meeting=meeting, actor=world.chair, text="Ook aangepast", base_revision=0
        )


def test_the_diff_marks_removed_and_added_words_and_escapes_them(world, hand_over):
    old = hand_over(advies="Scholen <b>open</b> houden")
    new = hand_over(advies="Scholen dicht houden")
    rows = {r["title"]: r for r in selectors.versions_diff(old=old, new=new)}
    html = str(rows["Advies aan de burgemeester"]["html"])
    assert "<del>&lt;b&gt;open&lt;/b&gt;</del>" in html and "<ins>dicht</ins>" in html
    assert not rows["Wat is er aan de hand (aanleiding)"]["changed"]


def test_the_pdf_is_made_once_per_version(world, hand_over, monkeypatch):
    version = hand_over()
    first = services.analysis_pdf(version=version)
    import formats.services.analysis

    monkeypatch.setattr(
        formats.services.analysis, "render_analysis_pdf", lambda **kw: pytest.fail("re-rendered")
    )
    assert services.analysis_pdf(version=AnalysisVersion.objects.get(pk=version.pk)) == first


def test_a_very_long_analysis_still_gives_an_editable_kernbeeld(world, hand_over):
    long = "Lange tekst. " * 800  # about 10,000 characters per section
    hand_over(aanleiding=long, weten=long, impact=long)
    meeting = meeting_services.meeting_start(crisis=world.crisis_a, actor=world.chair)
    assert len(meeting.kernbeeld) <= 20_000
    assert "Ingekort" in meeting.kernbeeld
    # The prefilled text can be saved as it is: the editor's limit is not exceeded.
    meeting_services.meeting_update_kernbeeld(
        meeting=meeting, actor=world.chair, text=meeting.kernbeeld, base_revision=0
    )


def test_reloading_the_analysis_is_one_read_and_every_download_counts(world, hand_over):
    from formats.models import AnalysisRead

    version = hand_over()
    for _ in range(5):  # a reload, a live refresh, a second look a minute later
        services.analysis_record_read(version=version, user=world.mayor, kind="view")
    services.analysis_record_read(version=version, user=world.mayor, kind="pdf")
    services.analysis_record_read(version=version, user=world.mayor, kind="pdf")
    kinds = list(AnalysisRead.objects.filter(user=world.mayor).values_list("kind", flat=True))
    assert sorted(kinds) == ["pdf", "pdf", "view"]
