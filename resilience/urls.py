"""The cold phase of an organisation, under /weerbaarheid/<organisation>/."""

from django.urls import path

from . import urls_crisis72, urls_map, urls_registers72, urls_scarce
from .views import exports, home, programme, registers, weighing

P = "weerbaarheid/<int:pk>/"

urlpatterns = [
    path(P, home.resilience_home, name="resilience_home"),
    # Threat scenarios and the afwegingskader
    path(P + "scenarios/", weighing.scenario_list, name="scenario_list"),
    path(P + "scenarios/nieuw/", weighing.scenario_create, name="scenario_create"),
    path(P + "scenarios/<int:scenario_pk>/", weighing.scenario_detail, name="scenario_detail"),
    path(
        P + "scenarios/<int:scenario_pk>/bewerken/",
        weighing.scenario_edit,
        name="scenario_edit",
    ),
    path(
        P + "scenarios/<int:scenario_pk>/archiveren/",
        weighing.scenario_archive,
        name="scenario_archive",
    ),
    path(
        P + "scenarios/<int:scenario_pk>/scores/",
        weighing.scenario_score,
        name="scenario_score",
    ),
    path(P + "afweging/", weighing.weighing_page, name="weighing_page"),
    path(P + "afweging/kader/", weighing.framework_edit, name="framework_edit"),
    path(
        P + "afweging/kader/<int:version>/",
        weighing.framework_version,
        name="framework_version",
    ),
    path(P + "afweging/besluit/", weighing.priority_decide, name="priority_decide"),
    path(
        P + "afweging/besluiten/<int:number>/",
        weighing.priority_decision,
        name="priority_decision",
    ),
    # The programmaplan
    path(P + "programma/", programme.programme_page, name="programme_page"),
    path(P + "programma/nieuw/", programme.measure_create, name="measure_create"),
    path(P + "programma/<int:measure_pk>/", programme.measure_detail, name="measure_detail"),
    path(
        P + "programma/<int:measure_pk>/bewerken/",
        programme.measure_edit,
        name="measure_edit",
    ),
    path(
        P + "programma/<int:measure_pk>/voortgang/",
        programme.measure_progress,
        name="measure_progress",
    ),
    path(
        P + "programma/<int:measure_pk>/versies/<int:revision>/",
        programme.measure_revision,
        name="measure_revision",
    ),
    # Registers: critical processes, partners, cold-phase roles
    path(P + "processen/", registers.process_list, name="process_list"),
    path(P + "processen/nieuw/", registers.process_create, name="process_create"),
    path(
        P + "processen/<int:process_pk>/bewerken/",
        registers.process_edit,
        name="process_edit",
    ),
    path(P + "partners/", registers.partner_list, name="partner_list"),
    path(P + "partners/nieuw/", registers.partner_create, name="partner_create"),
    path(
        P + "partners/<int:partner_pk>/bewerken/",
        registers.partner_edit,
        name="partner_edit",
    ),
    path(P + "rollen/", registers.role_list, name="resilience_roles"),
    path(P + "rollen/wijzigen/", registers.role_set, name="resilience_role_set"),
    # For the council and the spreadsheets
    path(P + "programmaplan.pdf", exports.programme_pdf, name="programme_pdf"),
    path(P + "afweging.pdf", exports.weighing_pdf, name="weighing_pdf"),
    path(P + "programmaplan.csv", exports.programme_csv, name="programme_csv"),
    path(P + "programmaplan.xlsx", exports.programme_xlsx, name="programme_xlsx"),
    path(P + "afweging.csv", exports.weighing_csv, name="weighing_csv"),
    path(P + "afweging.xlsx", exports.weighing_xlsx, name="weighing_xlsx"),
    path(P + "programma/importeren/", exports.measure_import, name="measure_import"),
]

# The first 72 hours: one module of routes per part.
urlpatterns += [
    *urls_registers72.urlpatterns,
    *urls_map.urlpatterns,
    *urls_scarce.urlpatterns,
    *urls_crisis72.urlpatterns,
]
