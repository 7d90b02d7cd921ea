"""The BOBOC cycle every crisis meeting follows. The cards (formats) and the meetings both use it,
so it lives in the lowest layer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    BEELDVORMING = "beeldvorming", _("Beeldvorming")
    OORDEELSVORMING = "oordeelsvorming", _("Oordeelsvorming")
    BESLUITVORMING = "besluitvorming", _("Besluitvorming")
    OPDRACHT = "opdracht", _("Opdracht")
    CONTROLE = "controle", _("Controle")


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)
