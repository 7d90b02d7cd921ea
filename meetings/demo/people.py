"""The demo's people: who can log in, who sits on which seat, and the standing rosters.

Everyone is invented: Gemeente Zuiderveen and Waterbedrijf Rivierenland do not exist. People
without a login are seats at the table (the heads of police, fire and GHOR come from other
organisations and are not given an account in the demo) or deputies known by name.
"""

from crisisroom.roles import Role

DEMO_PASSWORD = "crisisroom"  # noqa: S105 - the documented demo password  # nosec B105

MUNICIPALITY = "Gemeente Zuiderveen"
COMPANY = "Waterbedrijf Rivierenland N.V."

# The GBT's seats for advisers: the function tells the seats of one role apart.
SECRETARY = "Gemeentesecretaris"
AOV = "Adviseur crisisbeheersing (AOV)"
COMMUNICATION = "Communicatieadviseur"
INFORMATION = "Informatiemanager"
POLICE = "Politie (districtschef)"
FIRE = "Brandweer (algemeen commandant)"
GHOR = "GHOR (directeur publieke gezondheid)"

# username, first name, last name, can log in
PEOPLE = [
    ("voorzitter", "Marieke", "de Vries", True),
    ("burgemeester", "Jan Willem", "Bosman", True),
    ("rol", "Ahmed", "El Amrani", True),
    ("logger", "Sanne", "Jansen", True),
    ("adviseur", "Pieter", "van Dijk", True),
    ("aov", "Ingrid", "Wolters", True),
    ("informatiemanager", "Noor", "Hendriks", True),
    ("plaatsvervanger", "Bram", "Visser", True),
    ("lezer", "Yvonne", "de Graaf", True),
    ("cmt-voorzitter", "Linda", "Hoekstra", True),
    ("cmt-logger", "Tom", "Verbeek", True),
    ("berichtenmanager", "Fatima", "Yilmaz", True),
    ("buitenstaander", "Erik", "de Boer", True),
    ("beheerder", "Henk", "Mulder", True),
    # Seats and deputies without a demo login: known by name.
    ("i.kramer", "Ilse", "Kramer", False),
    ("r.vermeulen", "Rob", "Vermeulen", False),
    ("m.bakker", "Mark", "Bakker", False),
    ("e.dekker", "Esther", "Dekker", False),
    ("k.smit", "Karin", "Smit", False),
    ("j.peters", "Joost", "Peters", False),
]

# organisation, username, function, administrator
ORGANISATION_MEMBERS = [
    (MUNICIPALITY, "voorzitter", "Technisch voorzitter beleidsteam", False),
    (MUNICIPALITY, "burgemeester", "Burgemeester", False),
    (MUNICIPALITY, "rol", "Regionaal operationeel leider, Veiligheidsregio", False),
    (MUNICIPALITY, "logger", "Verslaglegger", False),
    (MUNICIPALITY, "adviseur", SECRETARY, False),
    (MUNICIPALITY, "aov", AOV, False),
    (MUNICIPALITY, "informatiemanager", "Informatiemanager beleidsteam", False),
    (MUNICIPALITY, "i.kramer", COMMUNICATION, False),
    (MUNICIPALITY, "plaatsvervanger", COMMUNICATION, False),
    (MUNICIPALITY, "r.vermeulen", "Districtschef politie", False),
    (MUNICIPALITY, "m.bakker", "Algemeen commandant brandweer", False),
    (MUNICIPALITY, "e.dekker", "Directeur publieke gezondheid (GHOR)", False),
    (MUNICIPALITY, "lezer", "Wethouder economische zaken", False),
    (MUNICIPALITY, "k.smit", "Loco-burgemeester", False),
    (MUNICIPALITY, "j.peters", "Verslaglegger", False),
    (MUNICIPALITY, "beheerder", "Functioneel beheerder", True),
    (COMPANY, "cmt-voorzitter", "Directeur operatie", False),
    (COMPANY, "cmt-logger", "Logger", False),
    (COMPANY, "berichtenmanager", "Berichtenmanager", False),
    (COMPANY, "buitenstaander", "Externe IT-specialist", False),
    (COMPANY, "beheerder", "Functioneel beheerder", True),
]

# organisation, role, function, username, rank (1 is called first, 2 and up are deputies)
ROSTER = [
    (MUNICIPALITY, Role.TECHNICAL_CHAIR, "", "voorzitter", 1),
    (MUNICIPALITY, Role.MAYOR, "", "burgemeester", 1),
    (MUNICIPALITY, Role.MAYOR, "", "k.smit", 2),
    (MUNICIPALITY, Role.ROL, "", "rol", 1),
    (MUNICIPALITY, Role.LOGGER, "", "logger", 1),
    (MUNICIPALITY, Role.LOGGER, "", "j.peters", 2),
    (MUNICIPALITY, Role.ADVISER, SECRETARY, "adviseur", 1),
    (MUNICIPALITY, Role.ADVISER, AOV, "aov", 1),
    (MUNICIPALITY, Role.ADVISER, COMMUNICATION, "i.kramer", 1),
    (MUNICIPALITY, Role.ADVISER, COMMUNICATION, "plaatsvervanger", 2),
    (MUNICIPALITY, Role.ADVISER, INFORMATION, "informatiemanager", 1),
    (MUNICIPALITY, Role.ADVISER, POLICE, "r.vermeulen", 1),
    (MUNICIPALITY, Role.ADVISER, FIRE, "m.bakker", 1),
    (MUNICIPALITY, Role.ADVISER, GHOR, "e.dekker", 1),
    (COMPANY, Role.CMT_CHAIR, "", "cmt-voorzitter", 1),
    (COMPANY, Role.LOGGER, "", "cmt-logger", 1),
    (COMPANY, Role.MESSAGE_MANAGER, "", "berichtenmanager", 1),
    (COMPANY, Role.ADVISER, "Externe IT-specialist", "buitenstaander", 1),
]

# The first communicatieadviseur is on leave when the fire breaks out: the GBT is staffed with
# her deputy, as the roster says.
GBT_UNAVAILABLE = ["i.kramer"]

# What the command prints after loading; the README's "Demo users" table says the same.
LOGINS = [
    ("voorzitter", "technisch voorzitter — GBT De Hoven"),
    ("burgemeester", "burgemeester — GBT De Hoven"),
    ("rol", "regionaal operationeel leider — GBT De Hoven"),
    ("logger", "logger — GBT De Hoven"),
    ("adviseur", "adviseur (gemeentesecretaris) — GBT De Hoven"),
    ("aov", "adviseur crisisbeheersing — GBT De Hoven"),
    ("informatiemanager", "informatiemanager — GBT De Hoven"),
    ("plaatsvervanger", "communicatieadviseur, plaatsvervanger (rang 2) — GBT De Hoven"),
    ("lezer", "wethouder, buiten het team — alleen de gedeelde strategische analyse"),
    ("cmt-voorzitter", "CMT-voorzitter — CMT-oefening Waterbedrijf"),
    ("cmt-logger", "logger — CMT-oefening Waterbedrijf"),
    ("berichtenmanager", "berichtenmanager — CMT-oefening Waterbedrijf"),
    ("buitenstaander", "adviseur — alleen de CMT-oefening Waterbedrijf"),
    ("beheerder", "beheerder van beide organisaties (/admin/)"),
]
