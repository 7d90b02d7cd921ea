"""Crisisroom's default strategic attention card and task cards per team kind, labelled as
defaults.

A GBT's are from the public practice in DOMAIN.md (the mayor's four roles, a regional crisis
plan's uitgangspunten); a CMT's from the public task card of the CMT chair (seed 003) and
nothing else: its BOBOC points and its challenges and points of attention, no mayor. The list of
strategic families is an organisation's own: it ships empty, never invented.

The card's lists: agenda, phases {phase: [...]}, roles (a GBT: the mayor's roles), challenges
(a CMT: "Uitdagingen & aandachtspunten"), uitgangspunten, families. A card saved before
``challenges`` existed simply has none. ``DEFAULT_CARD`` and ``DEFAULT_TASKS`` are the GBT's
(migration 0006 imports them by those names).
"""

from typing import Any

from crisisroom.roles import TeamKind

DEFAULT_CARD: dict[str, Any] = {
    "agenda": [
        "Opening, aanwezigheid en vergaderklok",
        "Kernbeeld: voortbouwen op de strategische analyse",
        "Oordeelsvorming: knelpunten, dilemma's, opties",
        "Besluitvorming: besluiten met argumenten",
        "Opdrachten en communicatie",
        "Controle van openstaande opdrachten",
        "Volgend overleg en sluiting",
    ],
    "phases": {
        "beeldvorming": [
            "Wat is er aan de hand, wat weten we wel en niet, wat kan er gebeuren?",
            "Groep gelijk trekken; situatie classificeren; afstemmen met de logger.",
            "Voorwaarts denken: wat als we pech hebben, wat als we geluk hebben?",
        ],
        "oordeelsvorming": [
            "Knelpunten, impact en gevolgen op korte en lange termijn.",
            "Dilemma's, opties en de waarden die op het spel staan.",
            "Wat kunnen we nu doen om het pechpad te blokkeren en het gelukspad te versnellen?",
            "Discussie samenvatten en duidelijk afronden.",
        ],
        "besluitvorming": [
            "Besluit formuleren en vastleggen mét argumenten.",
            "Strategie en prioriteiten bepalen; bevoegdheden van anderen in beeld.",
        ],
        "opdracht": [
            "Besluiten omzetten in opdrachten met actiehouder en deadline.",
            "Samen met de logger het logboek nalopen.",
        ],
        "controle": [
            "Worden de opdrachten uitgevoerd? Bijstellen waar nodig.",
            "Toezeggingen aan getroffenen vastgelegd?",
        ],
    },
    "roles": [
        "Beslisser: heldere besluiten, vastgelegd met argumenten",
        "Burgervader: solidariteit met slachtoffers, toezeggingen vastleggen",
        "Boegbeeld: gezicht en stem van de aanpak",
        "Bestuurder: vervanging geregeld, ontwikkelingen voor zijn",
    ],
    "challenges": [],
    "uitgangspunten": [
        "Mensen, dieren en natuur beschermen",
        "Vervolgdreigingen voorkomen",
        "Maatschappelijke onrust tegengaan",
        "Zo snel mogelijk terug naar normaal",
        "Informatiegestuurd werken",
        "Veiligheid van hulpverleners eerst",
        "Bij schaarste: mens boven goed",
    ],
    "families": [],
}

DEFAULT_TASKS: dict[str, list[str]] = {
    "technisch_voorzitter": [
        "Controleert wie er aanwezig is; regelt vervanging en delegatie van taken.",
        "Spreekt de vergadercyclus af: volgend overleg, duur, wanneer de inbreng binnen moet zijn.",
        "Instrueert de logger.",
        "Opent met het kernbeeld uit de strategische analyse.",
        "Leidt het overleg langs de BOBOC-fasen en bewaakt de tijd.",
        "Houdt reflectiemomenten.",
        "Loopt met de logger de besluiten- en actielijst na.",
    ],
    "burgemeester": [
        "Laat zich vooraf door de ROL informeren over de strategische analyse.",
        "Bepaalt wie er verder aan tafel hoort.",
        "Neemt besluiten en laat ze vastleggen met argumenten.",
        "Regelt vervanging (loco-burgemeester).",
        "Deelt de analyse binnen de gemeente waar nodig.",
        "Houdt de vier rollen in beeld: beslisser, burgervader, boegbeeld, bestuurder.",
    ],
    "rol": [
        "Vult voor het overleg de strategische analyse in.",
        "Draagt de analyse mondeling over aan de burgemeester.",
        "Werkt de analyse bij als het beeld verandert.",
        "Brengt het operationele beeld in bij de beeldvorming.",
    ],
    "logger": [
        "Stemt met de voorzitter af hoe er wordt vastgelegd.",
        "Legt beeld, knelpunten, besluiten (met argumenten) en opdrachten vast.",
        "Legt bij elke opdracht een actiehouder en deadline vast.",
        "Loopt met de voorzitter de besluiten- en actielijst na.",
        "Neemt op papier vastgelegde regels later over in het logboek.",
    ],
    "adviseur": [
        "Leest de strategische analyse voor het overleg.",
        "Brengt informatie uit het eigen vakgebied in bij de beeldvorming.",
        "Brengt opties en dilemma's in bij de oordeelsvorming.",
        "Legt eigen acties vast in het individueel logboek.",
    ],
    "waarnemer": [
        "Volgt het overleg zonder in te grijpen.",
        "Noteert leerpunten voor de evaluatie.",
    ],
}


# -- CMT: the public task card of the CMT chair (seed 003) ------------------------------------

DEFAULT_CARD_CMT: dict[str, Any] = {
    # Seed 003, item 10: "Maak hierbij gebruik van de BOBOC structuur."
    "agenda": [
        "Beeldvorming",
        "Oordeelsvorming",
        "Besluitvorming",
        "Opdracht",
        "Controle",
    ],
    # Seed 003, item 10: the chair's points per BOBOC phase, in the card's own words.
    "phases": {
        "beeldvorming": [
            "Doelstelling aangeven",
            "Groep gelijk trekken",
            "Motiveren tot geven van informatie",
            "Inventariseren & classificeren van de situatie",
            "Afstemming met de logger",
        ],
        "oordeelsvorming": [
            "Inventariseren van knelpunten",
            "Inschatten van de impact en consequenties op korte en lange termijn",
            "Discussie samenvatten en duidelijk afronden",
            "Aandacht voor emotie, relationele en zakelijke aspecten",
            "Afstemming met de logger",
        ],
        "besluitvorming": [
            "Formuleren van het besluit",
            "Strategie bepalen",
            "Prioriteiten stellen",
            "Is eindverantwoordelijk voor de besluitvorming op tactisch en strategisch niveau",
            "Afstemming met de logger",
        ],
        "opdracht": [
            "Geeft na overleg in het CMT op basis van de genomen besluiten opdrachten aan de "
            "leden van het CMT",
            "Loopt met de logger het logboek na",
        ],
        "controle": [
            "Monitor & check de uitvoering van opdrachten (nalopen logboek)",
            "Indien nodig de opdrachten bijstellen",
        ],
    },
    # A CMT has no mayor: no mayor's roles.
    "roles": [],
    # Seed 003, "Uitdagingen & aandachtspunten", in place of the mayor's roles.
    "challenges": [
        "Loslaten: operationele beslissingen moeten op het operationeel niveau blijven (werkveld).",
        "Vertrouwen: vertrouwen te stellen in de uitvoering door de crisiscoördinator met het "
        "werkveld, en niet zelf direct contact zoeken met het werkveld.",
        "Brugfunctie: een brugfunctie naar de ketenpartners kunnen vervullen en de wederzijdse "
        "belangen onderkennen. Liaison tactisch/strategisch.",
        "Organisatorisch versus bestuurlijk: de voorzitter weet om te gaan met het spanningsveld "
        "tussen het organisatorisch belang en politiek-bestuurlijk belang.",
        "Beeldvorming: de voorzitter moet in staat zijn de juiste informatie te vergaren en op basis "
        "daarvan een duidelijk beeld krijgen van de consequenties en de verwachte duur.",
        "Scenario denken: de verwachte situatie bespreken en voorbereid zijn hierop. "
        "Maatregelen voor korte en lange termijn vaststellen.",
        "Sterk voorzitterschap: de voorzitter moet in staat zijn de vergaderingen effectief voor te "
        "zitten en binnen beperkte tijd tactische/strategische beslissingen te nemen. Denk "
        "hierbij aan reflectiemomenten.",
    ],
    # Seed 003 names no uitgangspunten; the regional crisis plan's are a municipality's.
    "uitgangspunten": [],
    "families": [],
}

DEFAULT_TASKS_CMT: dict[str, list[str]] = {
    # Seed 003, tasks 1-11 (the card numbers two tasks 10).
    "cmt_voorzitter": [
        "Besluit in overleg met de crisiscoördinator (centraal of lokaal) of het crisisteam "
        "bijeen moet komen of dat het informeren voldoende is.",
        "Roept het crisisteam bijeen of laat dit doen.",
        "Richt de crisisruimte in of laat dit doen, en controleert op aanwezige middelen.",
        "Controleert of de gewenste/nodige functionarissen aanwezig zijn. Zo nee, delegeert de "
        "taken van de ontbrekende leden totdat de vervanging aanwezig is.",
        "Bepaalt of en welke kennis en ondersteuning aan het crisisteam moet worden toegevoegd.",
        "Instrueert de ondersteunende leden (logger, berichtenmanager).",
        "Spreekt binnen het CMT een vergadercyclus af en maakt werkafspraken.",
        "Geeft in formele zin leiding aan de uitvoering van integrale veiligheid en business "
        "continuïteit en zit de overleggen van het Crisis Management Team voor.",
        "Stemt af en bereikt overeenstemming op strategisch niveau met interne en externe "
        "ketenpartners; onderkent en begrijpt politiek-bestuurlijke processen en besluitvorming "
        "die van invloed zijn.",
        "Maakt gebruik van de BOBOC-structuur (zie de aandachtskaart) en stemt per fase af met "
        "de logger.",
        "Legt eigen activiteiten vast in het individueel logboek.",
        "Informeert stakeholdergroepen op strategisch/tactisch niveau.",
    ],
    # What the chair's card says of the logger: instructs and directs them, aligns with them in
    # every phase, walks through the log with them.
    "logger": [
        "Wordt door de CMT-voorzitter geïnstrueerd en aangestuurd.",
        "Houdt het logboek van het CMT bij.",
        "Stemt in beeldvorming, oordeelsvorming en besluitvorming af met de CMT-voorzitter.",
        "Loopt met de CMT-voorzitter het logboek na.",
        "Legt eigen activiteiten vast in het individueel logboek.",
    ],
    # What the chair's card says of the berichtenmanager: instructs and directs them; the chair
    # informs the stakeholder groups.
    "berichtenmanager": [
        "Wordt door de CMT-voorzitter geïnstrueerd en aangestuurd.",
        "Registreert inkomende en uitgaande berichten.",
        "Brengt wat ertoe doet bij de CMT-voorzitter.",
        "Ondersteunt de CMT-voorzitter bij het informeren van stakeholdergroepen.",
        "Legt eigen activiteiten vast in het individueel logboek.",
    ],
    # The generic cards every team shares.
    "adviseur": list(DEFAULT_TASKS["adviseur"]),
    "waarnemer": list(DEFAULT_TASKS["waarnemer"]),
}

DEFAULT_CARD_FOR_TEAM: dict[str, dict[str, Any]] = {
    TeamKind.GBT: DEFAULT_CARD,
    TeamKind.CMT: DEFAULT_CARD_CMT,
}
DEFAULT_TASKS_FOR_TEAM: dict[str, dict[str, list[str]]] = {
    TeamKind.GBT: DEFAULT_TASKS,
    TeamKind.CMT: DEFAULT_TASKS_CMT,
}
