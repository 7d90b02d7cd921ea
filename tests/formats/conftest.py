import pytest

from formats import services

FULL = {
    "aanleiding": "Stroomstoring in Aadorp-Noord sinds 05:10.",
    "weten": "Weten: 12.000 huishoudens zonder stroom. Niet: hersteltijd.",
    "impact": "Zorg aan huis, telecom, koelcellen supermarkten.",
    "advies": "Noodstroom voor het verpleeghuis regelen.",
}


@pytest.fixture
def analysis(world):
    return services.analysis_get_or_start(crisis=world.crisis_a)


@pytest.fixture
def hand_over(world, analysis):
    """Save sections as the ROL and hand them over; returns the new version."""

    def _hand_over(**sections):
        current = type(analysis).objects.get(pk=analysis.pk)
        saved = services.analysis_save_draft(
            analysis=current,
            actor=world.rol,
            sections={**FULL, **sections},
            base_revision=current.draft_revision,
        )
        return services.analysis_hand_over(analysis=saved, actor=world.rol)

    return _hand_over
