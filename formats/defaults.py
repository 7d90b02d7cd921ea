"""Crisisroom's default analysis format per team kind, from the public practice of strategic
analyses for mayors. It is a starting point, labelled as the default: each organisation edits
its own copy. A CMT's format is the same but for whom the advice is to: its own chair.

``DEFAULT_SECTIONS`` is the GBT's (migration 0006 imports it by that name).
"""

from crisisroom.roles import TeamKind

# key, title, guiding questions, required for hand-over, into the kernbeeld
Section = tuple[str, str, str, bool, bool]

DEFAULT_SECTIONS: list[Section] = [
    (
        "aanleiding",
        "Wat is er aan de hand (aanleiding)",
        "Wat is er gebeurd, waar en sinds wanneer? Welke partijen zijn betrokken?",
        True,
        True,
    ),
    (
        "weten",
        "Wat weten we en wat weten we niet",
        "Welke feiten staan vast? Wat is onzeker of onbekend, en wanneer weten we meer?",
        True,
        True,
    ),
    (
        "impact",
        "Impact op mensen, vitale processen, samenleving en bestuur",
        "Wie worden geraakt en hoe? Welke vitale processen staan onder druk? Welke maatschappelijke "
        "en bestuurlijke gevolgen zijn er, op korte en lange termijn?",
        True,
        True,
    ),
    (
        "voorwaarts",
        "Voorwaarts denken: pech- en gelukscenario",
        "Wat gebeurt er als we pech hebben, en als we geluk hebben, en op welke termijn (uren, "
        "dagen, weken)? Wat kunnen we nu doen om het pechpad te blokkeren en het gelukspad te "
        "versnellen?",
        False,
        False,
    ),
    (
        "uitgangspunten",
        "Strategische uitgangspunten (in volgorde van prioriteit)",
        "Bijvoorbeeld: mensen, dieren en natuur beschermen; vervolgdreigingen voorkomen; "
        "maatschappelijke onrust tegengaan; zo snel mogelijk terug naar normaal; informatiegestuurd "
        "werken; veiligheid van hulpverleners eerst; bij schaarste mens boven goed.",
        False,
        False,
    ),
    (
        "dilemmas",
        "Dilemma's",
        "Welke keuzes zijn er waarbij belangen of waarden botsen?",
        False,
        False,
    ),
    (
        "opties",
        "Handelingsopties; wat kan snel?",
        "Welke handelingsopties zijn er? Welke zijn snel uitvoerbaar?",
        False,
        False,
    ),
    ("advies", "Advies aan de burgemeester", "Wat adviseert u, en waarom?", True, False),
    (
        "communicatie",
        "Communicatie en kernboodschap",
        "Wat is de kernboodschap aan inwoners en betrokkenen? Wie communiceert wat, wanneer?",
        False,
        False,
    ),
]

# The CMT chair is fully mandated and takes the decisions (seed 003): the advice is to them.
DEFAULT_SECTIONS_CMT: list[Section] = [
    ("advies", "Advies aan de CMT-voorzitter", help_text, required, kernbeeld)
    if key == "advies"
    else (key, title, help_text, required, kernbeeld)
    for key, title, help_text, required, kernbeeld in DEFAULT_SECTIONS
]

DEFAULT_SECTIONS_FOR_TEAM: dict[str, list[Section]] = {
    TeamKind.GBT: DEFAULT_SECTIONS,
    TeamKind.CMT: DEFAULT_SECTIONS_CMT,
}
