"""The analysis screens per role, the PDF read back as text, sharing, and the format editor."""

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from crisisroom import services as core
from formats import services
from formats.models import AnalysisRead
from tests.conftest import FULL, pdf_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(world):
    """Someone of the municipality outside the crisis team."""
    user = UserFactory(username="secretaris", first_name="Gerda", last_name="Secretaris")
    core.organisation_member_set(organisation=world.org_a, user=user, actor=None)
    return user


@pytest.fixture
def version(hand_over):
    return hand_over()


def _a(world, name, *args):
    return reverse(name, args=[world.crisis_a.pk, *args])


def _form(world, analysis, **sections):
    data = {f"section-{k}": v for k, v in {**FULL, **sections}.items()}
    data["base_revision"] = type(analysis).objects.get(pk=analysis.pk).draft_revision
    return data


def test_someone_it_is_shared_with_reads_it_and_its_pdf_and_nothing_else(
    world, analysis, version, secretary, login
):
    services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)
    client = login(secretary)
    assert client.get(_a(world, "analysis_page")).status_code == 200
    assert client.get(_a(world, "analysis_pdf", 1)).status_code == 200
    assert world.crisis_a.title in client.get(reverse("crisis_list")).content.decode()
    for url in (
        _a(world, "crisis_home"),
        _a(world, "meeting_list"),
        _a(world, "crisis_team"),
        _a(world, "decision_list"),
        _a(world, "analysis_sharing"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_a(world, "analysis_save"), _form(world, analysis)).status_code == 404
    page = client.get(_a(world, "analysis_page")).content.decode()
    assert 'class="crisis-nav"' not in page


def test_revoking_a_share_closes_the_door_again(world, analysis, version, secretary, login):
    share = services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)
    services.analysis_share_revoke(share=share, actor=world.mayor)
    client = login(secretary)
    assert client.get(_a(world, "analysis_page")).status_code == 404
    assert client.get(_a(world, "analysis_pdf", 1)).status_code == 404


def test_every_view_and_download_is_recorded_and_the_mayor_sees_the_list(
    world, analysis, version, secretary, login
):
    services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)
    login(world.adviser).get(_a(world, "analysis_page"))
    login(secretary).get(_a(world, "analysis_pdf", 1))
    reads = set(AnalysisRead.objects.values_list("user__username", "kind", "version__number"))
    assert {("adviser", "view", 1), ("secretaris", "pdf", 1)} <= reads
    page = login(world.mayor).get(_a(world, "analysis_sharing")).content.decode()
    assert "Gerda Secretaris" in page and "pdf gedownload" in page


def test_a_version_that_does_not_exist_is_not_found(world, analysis, version, login):
    client = login(world.mayor)
    assert client.get(_a(world, "analysis_page") + "?versie=9").status_code == 404
    assert client.get(_a(world, "analysis_pdf", 9)).status_code == 404
    assert client.get(_a(world, "analysis_page") + "?versie=x").status_code == 404


def test_autosave_answers_with_the_new_revision_and_a_stale_screen_with_409(world, analysis, login):
    rol, chair = login(world.rol), login(world.chair)
    stale = _form(world, analysis, aanleiding="Tekst van de voorzitter")
    saved = rol.post(_a(world, "analysis_save"), _form(world, analysis), HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and 'name="base_revision" value="1"' in saved.content.decode()
    conflict = chair.post(_a(world, "analysis_save"), stale, HTTP_HX_REQUEST="true")
    page = conflict.content.decode()
    assert conflict.status_code == 409
    assert "Niet opgeslagen" in page and escape(world.rol.get_full_name()) in page
    assert 'name="base_revision" value="0"' in page  # further autosaves keep being refused


def test_without_javascript_a_conflict_keeps_the_users_text_on_the_page(world, analysis, login):
    login(world.rol).post(_a(world, "analysis_save"), _form(world, analysis))
    response = login(world.chair).post(
        _a(world, "analysis_save"),
        {"section-aanleiding": "Mijn eigen zinnen", "base_revision": 0},
    )
    assert response.status_code == 409
    assert "Mijn eigen zinnen" in response.content.decode()


def test_a_hand_over_with_empty_required_sections_names_them(world, analysis, login):
    response = login(world.rol).post(
        _a(world, "analysis_hand_over"),
        {"section-aanleiding": "Brand", "base_revision": 0},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Vul vóór de overdracht in" in page and "Advies aan de burgemeester" in page
    assert "Brand" in page


def test_the_pdf_reads_back_with_sections_version_marking_and_fingerprint(world, version, login):
    text = _pdf_response_text(login(world.mayor).get(_a(world, "analysis_pdf", 1)))
    assert "Strategische analyse" in text and "VERTROUWELIJK" in text
    assert "Gemeente Aadorp" in text and "Stroomstoring Aadorp" in text
    assert "Wat weten we en wat weten we niet" in text and "12.000 huishoudens" in text
    assert version.fingerprint[:12] in text
    assert "Pagina 1 van" in text
    assert "OEFENING" not in text


def test_the_pdf_of_an_exercise_says_oefening_on_every_page(world, login, hand_over):
    analysis = services.analysis_get_or_start(crisis=world.crisis_b)
    core.organisation_member_set(organisation=world.org_b, user=world.org_admin, actor=None)
    from crisisroom.roles import Role

    core.membership_add(crisis=world.crisis_b, user=world.org_admin, role=Role.ROL, actor=None)
    long_text = "Een lange alinea over de oefening. " * 400  # several pages
    hand_over(
        analysis=analysis,
        actor=world.org_admin,
        aanleiding=long_text,
        weten="x",
        impact="x",
        advies="x",
    )
    text = _pdf_response_text(
        login(world.outsider).get(reverse("analysis_pdf", args=[world.crisis_b.pk, 1]))
    )
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    assert all("OEFENING" in page for page in pages)


def test_user_text_stays_escaped_and_intact_on_screen_and_in_the_pdf(world, hand_over, login):
    nasty = "<script>alert('x')</script> Ëlla & Zoë 🚒 café naïve"
    hand_over(aanleiding=nasty)
    page = login(world.mayor).get(_a(world, "analysis_page")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Ëlla &amp; Zoë 🚒 café naïve" in page
    text = _pdf_response_text(login(world.mayor).get(_a(world, "analysis_pdf", 1)))
    assert "<script>alert('x')</script> Ëlla & Zoë" in text and "café naïve" in text


def test_only_administrators_edit_the_format_and_each_save_is_a_version(world, login):
    url = reverse("format_edit", args=[world.org_a.pk])
    assert login(world.chair).get(url).status_code == 404
    assert (
        login(world.org_admin).get(reverse("format_edit", args=[world.org_b.pk])).status_code == 404
    )
    client = login(world.org_admin)
    page = client.get(url)
    assert page.status_code == 200 and "Wat is er aan de hand" in page.content.decode()
    data = {
        "sections-TOTAL_FORMS": 2,
        "sections-INITIAL_FORMS": 0,
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 40,
        "sections-0-key": "situatie",
        "sections-0-title": "Situatie",
        "sections-0-required": "on",
        "sections-0-ORDER": 1,
        "sections-1-key": "advies",
        "sections-1-title": "Advies",
        "sections-1-ORDER": 2,
        "note": "Kortere variant voor de regio",
    }
    assert client.post(url, data).status_code == 302
    fmt = world.org_a.analysis_formats.order_by("-version").first()
    assert fmt.version == 2 and [s.key for s in fmt.sections.all()] == ["situatie", "advies"]


def test_the_rol_and_the_mayor_find_the_analysis_from_their_home(world, login):
    for user, label in (
        (world.rol, "Strategische analyse schrijven"),
        (world.mayor, "Strategische analyse lezen"),
    ):
        page = login(user).get(reverse("crisis_home", args=[world.crisis_a.pk])).content.decode()
        assert label in page and reverse("analysis_page", args=[world.crisis_a.pk]) in page


def test_emoji_in_the_pdf_are_drawn_with_a_real_font(world, hand_over, login):
    hand_over(aanleiding="Brandweer 🚒 ter plaatse")
    pdf = login(world.mayor).get(_a(world, "analysis_pdf", 1)).content
    fonts = subprocess.run(
        ["/usr/bin/pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "DejaVu" in fonts and "Symbola" in fonts


def test_a_double_click_on_hand_over_makes_one_version_and_no_conflict(world, analysis, login):
    client = login(world.rol)
    data = _form(world, analysis)
    first = client.post(_a(world, "analysis_hand_over"), data)
    second = client.post(_a(world, "analysis_hand_over"), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert analysis.versions.count() == 1


def test_a_hand_over_never_freezes_text_saved_by_someone_else_in_between(
    world, analysis, monkeypatch
):
    from formats.models import Analysis

    real_hand_over = services.analysis_hand_over

    def someone_saves_first(**kwargs):
        current = Analysis.objects.get(pk=analysis.pk)
        services.analysis_save_draft(
            analysis=current,
            actor=world.chair,
            sections={"advies": "Tekst van de voorzitter"},
            base_revision=current.draft_revision,
        )
        return real_hand_over(**kwargs)

    monkeypatch.setattr(services, "analysis_hand_over", someone_saves_first)
    client = Client()
    client.force_login(world.rol)
    response = client.post(_a(world, "analysis_hand_over"), _form(world, analysis))
    assert response.status_code == 409
    assert not analysis.versions.exists()


def test_a_refused_hand_over_says_the_draft_was_saved_and_shows_the_last_version(
    world, analysis, version, login
):
    response = login(world.rol).post(
        _a(world, "analysis_hand_over"),
        {**_form(world, analysis), "section-advies": "", "section-dilemmas": "Nieuw dilemma"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Opgeslagen, maar niet overgedragen" in page
    assert "Versie 1" in page and "nog geen analyse overgedragen" not in page
    analysis.refresh_from_db()
    assert analysis.draft["dilemmas"] == "Nieuw dilemma"


def test_a_shared_reader_reads_old_versions_and_comparisons_and_each_version_read_counts(
    world, analysis, hand_over, secretary, login
):
    hand_over()
    hand_over(advies="Ander advies")
    services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)
    client = login(secretary)
    assert client.get(_a(world, "analysis_page") + "?versie=1").status_code == 200
    assert client.get(_a(world, "analysis_diff") + "?van=1&naar=2").status_code == 200
    reads = AnalysisRead.objects.filter(user=secretary)
    # The comparison reads both versions; version 1 again within ten minutes counts once.
    assert sorted(reads.values_list("version__number", flat=True)) == [1, 2]
    page = client.get(_a(world, "analysis_page")).content.decode()
    assert "GRIP 3" not in page  # nothing else of the crisis


def test_someone_who_leaves_the_organisation_loses_the_share(
    world, analysis, version, secretary, login
):
    services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)
    world.org_a.members.filter(user=secretary).delete()
    assert login(secretary).get(_a(world, "analysis_page")).status_code == 404
    page = login(world.mayor).get(_a(world, "analysis_sharing")).content.decode()
    assert "niet meer bij de organisatie" in page
    secretary.is_active = False
    secretary.save()
    core.organisation_member_set(organisation=world.org_a, user=secretary, actor=None)
    with pytest.raises(ValidationError):
        services.analysis_share(analysis=analysis, user=secretary, actor=world.mayor)


def test_a_printed_version_keeps_its_header_after_the_crisis_is_renamed(world, version, login):
    core.crisis_update(
        crisis=world.crisis_a,
        actor=world.org_admin,
        title="Nieuwe titel",
        scaling_label="GRIP 4",
        summary="",
    )
    text = _pdf_response_text(login(world.mayor).get(_a(world, "analysis_pdf", 1)))
    assert "Stroomstoring Aadorp" in text and "GRIP 3" in text
    assert "Nieuwe titel" not in text


def test_the_cmt_chair_writes_the_analysis_of_a_cmt(world, login):
    from crisisroom.roles import Role

    chair = UserFactory(username="cmtchair")
    core.organisation_member_set(organisation=world.org_b, user=chair, actor=None)
    core.membership_add(crisis=world.crisis_b, user=chair, role=Role.CMT_CHAIR, actor=None)
    page = login(chair).get(reverse("analysis_page", args=[world.crisis_b.pk])).content.decode()
    assert reverse("analysis_hand_over", args=[world.crisis_b.pk]) in page
    assert "burgemeester" not in page.lower()  # a CMT's chair hands over to no mayor


def _watermark_pixels_per_page(pdf: bytes) -> list[int]:
    """Pixels with the watermark's orange tint on each page (pdftoppm, 20 dpi, PPM)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603 - a fixed program on our own PDF
            ["/usr/bin/pdftoppm", "-r", "20", "-", f"{tmp}/p"], input=pdf, check=True
        )
        counts = []
        for page in sorted(Path(tmp).glob("p-*.ppm")):
            # P6: magic, width, height, maxval, then the RGB bytes
            px = page.read_bytes().split(maxsplit=4)[4]
            # Orange: red well above green and green well above blue, unlike grey text or
            # the dark red VERTROUWELIJK, whose green and blue stay equal.
            counts.append(
                sum(
                    1
                    for i in range(0, len(px) - 2, 3)
                    if px[i] > 200 and px[i] - px[i + 1] >= 15 and px[i + 1] - px[i + 2] >= 15
                )
            )
        return counts


def test_the_exercise_watermark_is_drawn_on_every_page(world, login, hand_over):
    from crisisroom.roles import Role

    chair = UserFactory(username="cmtchair2")
    core.organisation_member_set(organisation=world.org_b, user=chair, actor=None)
    core.membership_add(crisis=world.crisis_b, user=chair, role=Role.CMT_CHAIR, actor=None)
    analysis = services.analysis_get_or_start(crisis=world.crisis_b)
    text = "Een lange alinea over de oefening. " * 300
    hand_over(analysis=analysis, actor=chair, aanleiding=text, weten="x", impact="x", advies="x")
    pdf = login(chair).get(reverse("analysis_pdf", args=[world.crisis_b.pk, 1])).content
    counts = _watermark_pixels_per_page(pdf)
    assert len(counts) >= 2 and all(n > 50 for n in counts), counts
    # A real crisis has no watermark.
    hand_over(aanleiding="x", weten="x", impact="x", advies="x")
    real = login(world.mayor).get(_a(world, "analysis_pdf", 1)).content
    assert all(n == 0 for n in _watermark_pixels_per_page(real))


def _pdf_response_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)
