"""Crisisroom's default strategic attention card and task cards, labelled as defaults.

From the public practice in DOMAIN.md and the CMT chair's task card (seed 003). The list of
strategic families is an organisation's own: it ships empty, never invented.
"""

DEFAULT_CARD = {
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

DEFAULT_TASKS = {
    "cmt_voorzitter": [
        "Besluit met de crisiscoördinator of het crisisteam bijeen moet komen of dat informeren volstaat.",
        "Roept het crisisteam bijeen of laat dit doen.",
        "Richt de crisisruimte in of laat dit doen, en controleert de middelen.",
        "Controleert wie er aanwezig is; delegeert de taken van ontbrekende leden tot de vervanger er is.",
        "Bepaalt welke kennis en ondersteuning aan het crisisteam moet worden toegevoegd.",
        "Instrueert de ondersteunende leden (logger, berichtenmanager).",
        "Spreekt een vergadercyclus af en maakt werkafspraken.",
        "Zit de overleggen voor en geeft leiding aan integrale veiligheid en continuïteit.",
        "Stemt op strategisch niveau af met interne en externe ketenpartners.",
        "Gebruikt de BOBOC-structuur en stemt af met de logger.",
        "Legt eigen activiteiten vast in het individueel logboek.",
        "Informeert stakeholdergroepen op strategisch en tactisch niveau.",
    ],
    "technisch_voorzitter": [
        "Controleert wie er aanwezig is; regelt vervanging en delegatie van taken.",
        "Spreekt de vergaderklok af: volgend overleg, duur, wanneer input binnen moet zijn.",
        "Instrueert de logger.",
        "Opent met het kernbeeld uit de strategische analyse.",
        "Leidt het overleg langs de BOBOC-fasen en bewaakt de tijd.",
        "Houdt reflectiemomenten.",
        "Loopt met de logger de besluitenlijst na.",
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
        "Loopt met de voorzitter de besluitenlijst na.",
        "Neemt op papier vastgelegde regels later over in het logboek.",
    ],
    "berichtenmanager": [
        "Ontvangt en registreert inkomende berichten.",
        "Brengt wat ertoe doet bij de voorzitter.",
        "Verzendt uitgaande berichten na akkoord.",
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
