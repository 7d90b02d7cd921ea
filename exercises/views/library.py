"""The scenario library of an organisation's exercise area: the list, a scenario with its
versions and injects, and the forms that write a draft version, its injects and the next
version. Everything here is the exercise control's side: its readers see the EXCON notes."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from ..access import (
    ExerciseOrgAccess,
    ScenarioAccess,
    organisation_for_exercises,
    scenario_for_user,
)
from ..forms.library import InjectForm, NewVersionForm, VersionForm
from ..models import Inject, ScenarioVersion
from ..selectors.library import (
    analysis_sections,
    inject_when,
    injects_in_order,
    library_from_region,
    library_own,
    version_history,
    version_latest,
    versions_readable,
)
from ..services import library as services


def _is_frozen_error(error: ValidationError) -> bool:
    return getattr(error, "code", None) == "frozen"


def _scenario_url(access: ScenarioAccess, version: ScenarioVersion | None = None) -> str:
    url = reverse("scenario_page", args=[access.organisation.pk, access.scenario.pk])
    if version is not None:
        url += "?" + urlencode({"versie": version.number})
    return url


def _latest(access: ScenarioAccess) -> ScenarioVersion:
    version = version_latest(scenario=access.scenario)
    if version is None:  # pragma: no cover - every scenario is created with version 1
        raise Http404(_("No such scenario."))
    return version


# -- the library --------------------------------------------------------------------------------


@require_GET
@login_required
def exercise_library(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    access = organisation_for_exercises(request, org_pk, "read")
    organisation = access.organisation
    return render(
        request,
        "exercises/library/library.html",
        {
            "access": access,
            "organisation": organisation,
            "own": library_own(organisation=organisation),
            "from_region": library_from_region(organisation=organisation),
            "has_region": organisation.region_id is not None and not organisation.is_region,
        },
    )


# -- a scenario ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InjectRow:
    inject: Inject
    when: str


@require_GET
@login_required
def scenario_page(request: AuthenticatedRequest, org_pk: int, scenario_pk: int) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "read")
    versions = versions_readable(access=access).select_related("created_by")
    asked = request.GET.get("versie", "").strip()
    if asked:
        if not (asked.isascii() and asked.isdigit()) or len(asked) > 6:
            raise Http404(_("No such version."))
        version = versions.filter(number=int(asked)).first()
    else:
        version = versions.order_by("-number").first()
    if version is None:
        raise Http404(_("No such version."))
    # The newest version this reader may open: of a region's scenario, the newest published.
    latest = versions.order_by("-number").first() or version
    sections = [
        s
        for s in analysis_sections(
            organisation=access.scenario.organisation, analysis=version.analysis
        )
        if s.text
    ]
    return render(
        request,
        "exercises/library/scenario.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scenario": access.scenario,
            "version": version,
            "latest": latest,
            "is_latest": version.pk == latest.pk,
            "objectives": list(version.objectives.order_by("order", "pk")),
            "sections": sections,
            "injects": [
                InjectRow(inject=i, when=inject_when(i)) for i in injects_in_order(version=version)
            ],
            "history": version_history(access=access),
            "new_version_form": NewVersionForm() if access.can_edit else None,
        },
    )


def _new_version_page(
    request: AuthenticatedRequest,
    access: ScenarioAccess,
    *,
    form: NewVersionForm | None = None,
    refused: bool = False,
    status: int = 200,
) -> HttpResponse:
    """A frozen version cannot change: the page says so and offers the next version."""
    latest = _latest(access)
    return render(
        request,
        "exercises/library/new_version.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scenario": access.scenario,
            "latest": latest,
            "form": form or NewVersionForm(),
            "refused": refused,
        },
        status=status,
    )


# -- writing a scenario's version ---------------------------------------------------------------


def _version_form_page(
    request: AuthenticatedRequest,
    access: ExerciseOrgAccess,
    form: VersionForm,
    *,
    version: ScenarioVersion | None = None,
    status: int = 200,
) -> HttpResponse:
    """The form of a new scenario (no ``version``) or of its draft ``version``."""
    return render(
        request,
        "exercises/library/version_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "version": version,
            "scenario": version.scenario if version is not None else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def scenario_new(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    access = organisation_for_exercises(request, org_pk, "prepare")
    organisation = access.organisation
    sections = analysis_sections(organisation=organisation)
    if request.method == "GET":
        return _version_form_page(request, access, VersionForm(sections=sections))
    form = VersionForm(request.POST, sections=sections)
    if form.is_valid():
        try:
            scenario = services.scenario_create(
                organisation=organisation, actor=request.user, data=form.version_input()
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(
                request,
                _("Scenario made as version 1, a draft. Add its injects below."),
            )
            return redirect("scenario_page", org_pk=organisation.pk, scenario_pk=scenario.pk)
    return _version_form_page(request, access, form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def scenario_change(request: AuthenticatedRequest, org_pk: int, scenario_pk: int) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "prepare")
    latest = _latest(access)
    if latest.is_frozen:
        return _new_version_page(
            request,
            access,
            refused=request.method == "POST",
            status=409 if request.method == "POST" else 200,
        )
    sections = analysis_sections(
        organisation=access.scenario.organisation, analysis=latest.analysis
    )
    with_note = latest.number > 1
    if request.method == "GET":
        form = VersionForm(
            sections=sections, with_note=with_note, initial=VersionForm.initial_of(latest)
        )
        return _version_form_page(request, access, form, version=latest)
    form = VersionForm(request.POST, sections=sections, with_note=with_note)
    if form.is_valid():
        try:
            services.version_update(version=latest, actor=request.user, data=form.version_input())
        except ValidationError as error:
            if _is_frozen_error(error):
                return _new_version_page(request, access, refused=True, status=409)
            attach_validation_error(form, error)
        else:
            flash.success(request, _("Version %(number)d saved.") % {"number": latest.number})
            return redirect(_scenario_url(access, latest))
    return _version_form_page(request, access, form, version=latest, status=422)


@require_POST
@login_required
def scenario_new_version(
    request: AuthenticatedRequest, org_pk: int, scenario_pk: int
) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "prepare")
    form = NewVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.version_new(
                scenario=access.scenario, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            flash.success(
                request,
                _("Version %(number)d is a draft: change what you need, then run or publish it.")
                % {"number": version.number},
            )
            return redirect("scenario_change", org_pk=org_pk, scenario_pk=scenario_pk)
    return _new_version_page(request, access, form=form, status=422)


# -- injects ------------------------------------------------------------------------------------


def _inject_of(access: ScenarioAccess, inject_pk: int) -> Inject:
    inject = (
        Inject.objects.select_related("version")
        .filter(pk=inject_pk, version__scenario=access.scenario)
        .first()
    )
    if inject is None:
        raise Http404(_("No such inject."))
    return inject


def _inject_form_page(
    request: AuthenticatedRequest,
    access: ScenarioAccess,
    form: InjectForm,
    *,
    version: ScenarioVersion,
    inject: Inject | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "exercises/library/inject_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scenario": access.scenario,
            "version": version,
            "inject": inject,
            "form": form,
        },
        status=status,
    )


def _save_inject(
    request: AuthenticatedRequest,
    access: ScenarioAccess,
    *,
    version: ScenarioVersion,
    inject: Inject | None = None,
) -> HttpResponse:
    if version.is_frozen:
        return _new_version_page(
            request,
            access,
            refused=request.method == "POST",
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "GET":
        initial = InjectForm.initial_of(inject) if inject is not None else None
        form = InjectForm(team_kind=version.team_kind, initial=initial)
        return _inject_form_page(request, access, form, version=version, inject=inject)
    form = InjectForm(request.POST, team_kind=version.team_kind)
    if form.is_valid():
        try:
            saved = services.inject_save(
                version=version, actor=request.user, data=form.inject_input(), inject=inject
            )
        except ValidationError as error:
            if _is_frozen_error(error):
                return _new_version_page(request, access, refused=True, status=409)
            attach_validation_error(form, error)
        else:
            flash.success(request, _("Inject %(number)d saved.") % {"number": saved.number})
            return redirect(_scenario_url(access, version) + f"#inject-{saved.pk}")
    return _inject_form_page(request, access, form, version=version, inject=inject, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def inject_new(request: AuthenticatedRequest, org_pk: int, scenario_pk: int) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "prepare")
    return _save_inject(request, access, version=_latest(access))


@require_http_methods(["GET", "POST"])
@login_required
def inject_edit(
    request: AuthenticatedRequest, org_pk: int, scenario_pk: int, inject_pk: int
) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "prepare")
    inject = _inject_of(access, inject_pk)
    return _save_inject(request, access, version=inject.version, inject=inject)


@require_POST
@login_required
def inject_delete(
    request: AuthenticatedRequest, org_pk: int, scenario_pk: int, inject_pk: int
) -> HttpResponse:
    access = scenario_for_user(request, org_pk, scenario_pk, "prepare")
    if not Inject.objects.filter(pk=inject_pk, version__scenario=access.scenario).exists():
        # Removed a moment ago (a double click): say so and show the scenario. (Any id not of
        # this scenario gets the same answer: nothing tells whether it exists elsewhere.)
        flash.info(request, _("That inject was already removed."))
        return redirect(_scenario_url(access))
    inject = _inject_of(access, inject_pk)
    if inject.version.is_frozen:
        return _new_version_page(request, access, refused=True, status=409)
    try:
        services.inject_delete(inject=inject, actor=request.user)
    except ValidationError as error:
        if _is_frozen_error(error):
            return _new_version_page(request, access, refused=True, status=409)
        raise
    flash.success(
        request,
        _("Inject %(number)d removed; the injects after it moved up one number.")
        % {"number": inject.number},
    )
    return redirect(_scenario_url(access, inject.version) + "#injects")
