"""The PDFs are tagged (PDF/UA-1): headings, tables and reading order for a screen reader."""

import subprocess

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _structure(content: bytes) -> str:
    return subprocess.run(  # noqa: S603 - a fixed program on our own PDF
        ["/usr/bin/pdfinfo", "-struct", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_analysis_the_decision_list_and_the_paper_pack_are_tagged(
    world, hand_over, meeting, login
):
    from meetings.pdf import render_decision_list_pdf

    version = hand_over()
    client = login(world.mayor)
    analysis = client.get(reverse("analysis_pdf", args=[world.crisis_a.pk, version.number]))
    pack = client.get(reverse("paper_pack_crisis", args=[world.crisis_a.pk]))
    decisions = render_decision_list_pdf(crisis=world.crisis_a)
    for content in (analysis.content, pack.content, decisions):
        structure = _structure(content)
        assert "Document" in structure or "H1" in structure, structure[:200]
        assert "H1" in structure
