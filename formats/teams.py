"""Which kind of team an organisation's defaults are for.

A municipality runs a GBT (the mayor decides), a company or institution a CMT (its chair is
fully mandated and decides). A crisis says its own kind (``Crisis.team_kind``); an
organisation's shipped format and cards follow the organisation's kind.
"""

from crisisroom.models import Crisis, Organisation
from crisisroom.roles import TeamKind


def team_kind_for(organisation: Organisation) -> TeamKind:
    """The team an organisation of this kind runs: municipality → GBT, company → CMT. A safety
    region keeps the way of working of its member municipalities' GBTs, which it publishes."""
    if organisation.kind in (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION):
        return TeamKind.GBT
    return TeamKind.CMT


def is_cmt(subject: Crisis | Organisation | str | None) -> bool:
    """Whether a crisis (by its team), an organisation (by its kind) or a team kind is a CMT."""
    if isinstance(subject, Crisis):
        return subject.team_kind == TeamKind.CMT
    if isinstance(subject, Organisation):
        return team_kind_for(subject) == TeamKind.CMT
    return subject == TeamKind.CMT
