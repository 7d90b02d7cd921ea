"""The demo's regional exercise scenario, after the hybrid threat of seed 004: a long power
outage, a DDoS attack that takes down the municipal systems, and rumours about the drinking
water on social media. Everything in it is invented; every name is fictional.

Learning objectives are the pilots' own points (seed 000): the team goes through image and
judgement together, decides with arguments, builds on the ROL's analysis instead of starting
again, and the technical chair leads the process so the mayor can keep to the substance.
"""

from crisisroom.roles import Role

TITLE = "Langdurige stroomuitval met DDoS-aanval en drinkwatergeruchten"

BACKGROUND = (
    "Sinds vannacht 03:40 is de stroom uitgevallen in een groot deel van de regio. De "
    "netbeheerder spreekt van schade aan een hoogspanningsstation en verwacht herstel niet "
    "binnen 48 uur. Sinds 07:15 liggen bovendien alle gemeentelijke systemen plat door een "
    "DDoS-aanval: geen uitkeringen, geen burgerzaken, de website en het klantcontactcentrum "
    "zijn onbereikbaar. Op sociale media gaat rond dat het kraanwater besmet is; supermarkten "
    "melden dat flessenwater uitverkocht raakt. De ROL heeft de burgemeester om 08:30 een "
    "eerste strategische analyse gegeven; het GBT komt om 09:00 bijeen."
)

# By section key of the default format of the strategic analysis (formats/defaults.py).
ANALYSIS = {
    "aanleiding": "Grootschalige stroomuitval sinds 03:40 (schade hoogspanningsstation) en sinds "
    "07:15 een DDoS-aanval op de gemeentelijke systemen. Netbeheerder, drinkwaterbedrijf, "
    "politie, brandweer en GHOR zijn betrokken; GRIP 4 afgekondigd door de voorzitter "
    "veiligheidsregio.",
    "weten": "Weten: circa 80% van de huishoudens zonder stroom; mobiel netwerk valt deels uit "
    "als noodstroom van zendmasten opraakt; gemeentelijke dienstverlening ligt stil.\n"
    "Weten niet: wie achter de DDoS-aanval zit en of er een verband is met de stroomuitval; of "
    "het drinkwater werkelijk risico loopt; hoe lang zorginstellingen op noodstroom kunnen "
    "draaien.",
    "impact": "Mensen: kwetsbare inwoners thuis (zuurstof, thuisdialyse) zonder stroom; "
    "ouderen zonder verwarming. Vitale processen: telecom, betalingsverkeer, drinkwater onder "
    "druk. Samenleving: onrust door geruchten, hamsteren. Bestuur: gemeente onbereikbaar via "
    "de gewone kanalen.",
    "voorwaarts": "Pech: herstel duurt een week, noodstroom raakt op, onrust slaat om in "
    "plunderingen. Geluk: stroom binnen twee dagen terug, gerucht snel ontkracht. Nu doen: "
    "noodsteunpunten openen, brandstof voor noodstroom verdelen, feitelijke informatie via "
    "radio en papier.",
    "advies": "Open vandaag de noodsteunpunten, ontkracht samen met het drinkwaterbedrijf het "
    "gerucht over het kraanwater, en besluit over de verdeling van brandstof voor noodstroom "
    "volgens de vooraf vastgestelde toedelingsregels.",
}

OBJECTIVES = [
    "Beeldvorming en oordeelsvorming samen doorlopen",
    "Besluiten met argumenten",
    "Voortbouwen op de strategische analyse van de ROL in plaats van opnieuw beginnen",
    "De technisch voorzitter leidt het proces; de burgemeester richt zich op de inhoud",
]

# number, minutes after the start (or None), phase trigger, channel, from, for (role),
# summary, text the players see, note for EXCON only, expected response
INJECTS = [
    (
        1,
        0,
        "",
        "rol",
        "ROL Veiligheidsregio",
        Role.MAYOR,
        "Strategische analyse overgedragen",
        "De ROL meldt dat de strategische analyse is overgedragen en vraagt of de burgemeester "
        "vragen heeft voor het GBT begint.",
        "Start van de oefening: kijk of het GBT de analyse als vertrekpunt neemt (leerdoel 3).",
        "Kernbeeld gebaseerd op de overgedragen analyse.",
    ),
    (
        2,
        10,
        "",
        "telefoon",
        "Directeur zorgcentrum De Linde",
        Role.MAYOR,
        "Noodstroom zorgcentrum houdt nog 6 uur",
        "Het aggregaat van zorgcentrum De Linde heeft brandstof voor ongeveer zes uur. Er wonen "
        "84 bewoners, van wie 12 bedlegerig.",
        "Zet druk op de brandstofverdeling; toedelingsregel bestaat in de koude fase.",
        "Besluit over brandstof volgens de toedelingsregel, met argumenten.",
    ),
    (
        3,
        15,
        "",
        "sociale media",
        "@zorgenoverwater",
        Role.TECHNICAL_CHAIR,
        "Gerucht: kraanwater besmet",
        "Bericht met 4.000 keer gedeeld: 'Het kraanwater is vergiftigd door hackers, niet "
        "drinken!' Supermarkten melden dat flessenwater uitverkocht raakt.",
        "Het gerucht is onjuist: het drinkwaterbedrijf levert normaal. Kijk of het team eerst "
        "feiten verifieert.",
        "Verificatie bij het drinkwaterbedrijf, daarna één duidelijke boodschap.",
    ),
    (
        4,
        None,
        "oordeelsvorming",
        "ketenpartner",
        "Drinkwaterbedrijf",
        Role.ADVISER,
        "Drinkwaterbedrijf: water is veilig, druk daalt",
        "Het drinkwaterbedrijf bevestigt dat het water veilig is, maar de druk daalt in hoger "
        "gelegen wijken omdat pompstations op noodstroom draaien.",
        "Nuance op het gerucht: water veilig, maar levering onder druk.",
        "Communicatie aanpassen: veilig, maar zuinig gebruiken.",
    ),
    (
        5,
        25,
        "",
        "pers",
        "Regionale omroep",
        Role.MAYOR,
        "Pers wil live interview over het water",
        "De regionale omroep wil over 20 minuten live met de burgemeester over het drinkwater en "
        "de onbereikbare gemeente.",
        "Test woordvoering en timing: eerst besluit, dan pers.",
        "Afspraak over woordvoering na het besluit, kernboodschap klaar.",
    ),
    (
        6,
        30,
        "",
        "e-mail",
        "CISO gemeente",
        Role.TECHNICAL_CHAIR,
        "DDoS houdt aan; losgeldeis ontvangen",
        "De CISO meldt dat de DDoS-aanval aanhoudt en dat er een e-mail is binnengekomen met een "
        "losgeldeis om de aanval te stoppen.",
        "Dilemma: niet betalen is rijksbeleid; kijk of het team dit als dilemma benoemt.",
        "Dilemma benoemd; aangifte en NCSC betrokken; geen betaling.",
    ),
    (
        7,
        None,
        "besluitvorming",
        "telefoon",
        "Wijkagent Oost",
        Role.MAYOR,
        "Onrust bij supermarkt",
        "Bij een supermarkt in Oost ontstaat duwen en trekken om de laatste flessen water. De "
        "wijkagent vraagt om extra inzet.",
        "Escalatie tijdens besluitvorming: houdt de voorzitter de fase vast?",
        "Opdracht aan politie; geen ad-hocbesluit buiten de fase.",
    ),
    (
        8,
        45,
        "",
        "ketenpartner",
        "Netbeheerder",
        Role.ROL,
        "Herstel duurt minstens 72 uur",
        "De netbeheerder verwacht dat het herstel minstens 72 uur duurt; rolling blackouts "
        "daarna zijn mogelijk.",
        "Voorwaarts denken: pechscenario wordt werkelijkheid.",
        "Kernbeeld bijgesteld; noodsteunpunten voor langere duur.",
    ),
    (
        9,
        55,
        "",
        "sociale media",
        "Inwonerspanel",
        Role.ADVISER,
        "Inwoners weten niet waar ze terechtkunnen",
        "Veel reacties: 'Waar kan ik mijn telefoon opladen? Waar krijg ik informatie nu de "
        "gemeente offline is?'",
        "Kijk of noodsteunpunten en communicatie zonder internet worden ingezet.",
        "Noodsteunpunten bekendmaken via radio, flyers en wijkteams.",
    ),
    (
        10,
        None,
        "opdracht",
        "telefoon",
        "Thuiszorgorganisatie",
        Role.TECHNICAL_CHAIR,
        "Thuiszorg kan cliënten niet bereiken",
        "De thuiszorg kan 40 cliënten met zuurstof of thuisdialyse niet bellen; hun lijsten "
        "staan in een systeem dat door de stroomuitval onbereikbaar is.",
        "Geen register van personen in de gemeente: de thuiszorg heeft de lijsten. Kijk of het "
        "team dat scheidt.",
        "Opdracht met eigenaar en deadline aan de zorgpartners.",
    ),
    (
        11,
        80,
        "",
        "rol",
        "ROL Veiligheidsregio",
        Role.MAYOR,
        "Buurgemeente vraagt om aggregaten",
        "De ROL meldt dat een buurgemeente twee van uw aggregaten vraagt voor een ziekenhuis.",
        "Samenloop: schaarste tussen gemeenten; besluit met argumenten.",
        "Afweging volgens toedelingsregel; besluit vastgelegd met redenen.",
    ),
    (
        12,
        None,
        "controle",
        "e-mail",
        "Griffie",
        Role.MAYOR,
        "Raad vraagt om informatie",
        "De griffier vraagt namens de fractievoorzitters om een eerste schriftelijke update "
        "vandaag nog.",
        "Sluit af met controle: zijn besluiten en opdrachten helder genoeg voor de raad?",
        "Opdracht raadsinformatie met eigenaar en tijdstip.",
    ),
]
