"""Scarce goods and services: the goods with their stocks, and the allocation rules decided for
them in the cold phase, each rule with its versions (a new decision is a new version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest

from .. import selectors, services
from ..access import ResilienceAccess, resilience_for_user
from ..forms.scarce import RuleCreateForm, RuleVersionForm, ScarceGoodForm, StockForm
from ..models import AllocationRule, AllocationRuleVersion, ScarceGood, Stock


def rule_writer_for_user(request: AuthenticatedRequest, pk: int) -> ResilienceAccess:
    """The cold phase of organisation ``pk`` for someone who records allocation rules: the
    adviser (AOV) records what the college decided, the mayor (or the college) may record it
    too. Others who read the cold phase get 403, outsiders 404."""
    access = resilience_for_user(request, pk)
    if not (access.can_maintain or access.can_decide):
        raise PermissionDenied(
            _("Only the crisis adviser (AOV) and the administration record allocation rules.")
        )
    return access


def _goods_url(organisation_pk: int, good: ScarceGood | None = None) -> str:
    url = reverse("scarce_goods", args=[organisation_pk])
    return f"{url}#good-{good.pk}" if good is not None else url


def _base(access: ResilienceAccess, **context: object) -> dict[str, object]:
    return {
        "access": access,
        "organisation": access.organisation,
        "can_record_rules": access.can_maintain or access.can_decide,
        **context,
    }


# -- the page -----------------------------------------------------------------------------------


@require_GET
@login_required
def scarce_goods(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    return render(
        request,
        "resilience/first72/scarce/goods.html",
        _base(access, goods=selectors.scarce_overview(organisation=access.organisation)),
    )


# -- goods ----------------------------------------------------------------------------------------


def _good_form(
    request: AuthenticatedRequest, access: ResilienceAccess, good: ScarceGood | None
) -> HttpResponse:
    saved_name = good.name if good is not None else ""
    if request.method == "POST":
        form = ScarceGoodForm(request.POST)
    else:
        form = ScarceGoodForm(initial=ScarceGoodForm.initial_of(good) if good else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.good_save(
                organisation=access.organisation,
                actor=request.user,
                good=good,
                **form.cleaned_data,
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return redirect(_goods_url(access.organisation.pk, saved))
    return render(
        request,
        "resilience/first72/scarce/good_form.html",
        _base(access, form=form, good=good, saved_name=saved_name),
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def scarce_good_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    return _good_form(request, access, None)


@require_http_methods(["GET", "POST"])
@login_required
def scarce_good_edit(request: AuthenticatedRequest, pk: int, good_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    good = get_object_or_404(ScarceGood, pk=good_pk, organisation=access.organisation)
    return _good_form(request, access, good)


# -- stocks ---------------------------------------------------------------------------------------


def _stock_form(
    request: AuthenticatedRequest, access: ResilienceAccess, good: ScarceGood, stock: Stock | None
) -> HttpResponse:
    organisation = access.organisation
    if request.method == "POST":
        form = StockForm(request.POST, organisation=organisation, stock=stock)
    else:
        form = StockForm(
            organisation=organisation,
            stock=stock,
            initial=StockForm.initial_of(stock) if stock else None,
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.stock_save(good=good, actor=request.user, stock=stock, **form.cleaned_data)
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("Stock of “%(name)s” saved.") % {"name": good.name})
            return redirect(_goods_url(organisation.pk, good))
    return render(
        request,
        "resilience/first72/scarce/stock_form.html",
        _base(access, form=form, good=good, stock=stock),
        status=422 if request.method == "POST" else 200,
    )


def _stock(access: ResilienceAccess, stock_pk: int) -> Stock:
    return get_object_or_404(
        Stock.objects.select_related("good", "point"),
        pk=stock_pk,
        good__organisation=access.organisation,
    )


@require_http_methods(["GET", "POST"])
@login_required
def scarce_stock_create(request: AuthenticatedRequest, pk: int, good_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    good = get_object_or_404(ScarceGood, pk=good_pk, organisation=access.organisation)
    return _stock_form(request, access, good, None)


@require_http_methods(["GET", "POST"])
@login_required
def scarce_stock_edit(request: AuthenticatedRequest, pk: int, stock_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    stock = _stock(access, stock_pk)
    return _stock_form(request, access, stock.good, stock)


@require_POST
@login_required
def scarce_stock_remove(request: AuthenticatedRequest, pk: int, stock_pk: int) -> HttpResponse:
    access = resilience_for_user(request, pk, "maintain")
    stock = Stock.objects.filter(pk=stock_pk, good__organisation=access.organisation).first()
    if stock is None:
        # Removed already (a second click): say so rather than fail.
        messages.info(request, _("That stock row was removed already."))
        return redirect(_goods_url(access.organisation.pk))
    good = stock.good
    services.stock_remove(stock=stock, actor=request.user)
    messages.success(
        request,
        _("Stock at “%(place)s” removed from “%(name)s”.")
        % {"place": stock.place, "name": good.name},
    )
    return redirect(_goods_url(access.organisation.pk, good))


# -- allocation rules -----------------------------------------------------------------------------


def _rule(access: ResilienceAccess, number: int) -> AllocationRule:
    return get_object_or_404(
        AllocationRule.objects.select_related("good"),
        organisation=access.organisation,
        number=number,
    )


@require_http_methods(["GET", "POST"])
@login_required
def allocation_rule_create(request: AuthenticatedRequest, pk: int, good_pk: int) -> HttpResponse:
    access = rule_writer_for_user(request, pk)
    good = get_object_or_404(ScarceGood, pk=good_pk, organisation=access.organisation)
    form = RuleCreateForm(request.POST or None, good=good)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.rule_create(
                organisation=access.organisation,
                actor=request.user,
                good=good,
                title=form.cleaned_data["title"],
                data=form.version_input(),
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(request, _("%(code)s recorded, version 1.") % {"code": rule.code})
            return redirect("allocation_rule", pk=pk, number=rule.number)
    return render(
        request,
        "resilience/first72/scarce/rule_form.html",
        _base(
            access,
            form=form,
            good=good,
            rule=None,
            current=None,
            norm_default=services.norm_default_for(good.kind),
        ),
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def allocation_rule(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = resilience_for_user(request, pk)
    rule = _rule(access, number)
    versions = selectors.rule_versions(rule=rule)
    history = [
        (
            version,
            selectors.version_changes(
                version=version, previous=versions[i + 1] if i + 1 < len(versions) else None
            ),
        )
        for i, version in enumerate(versions)
    ]
    return render(
        request,
        "resilience/first72/scarce/rule.html",
        _base(
            access,
            rule=rule,
            current=versions[0] if versions else None,
            history=history,
        ),
    )


def _decide_page(
    request: AuthenticatedRequest,
    access: ResilienceAccess,
    rule: AllocationRule,
    form: RuleVersionForm,
    *,
    current: AllocationRuleVersion | None,
    newer: AllocationRuleVersion | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "resilience/first72/scarce/rule_form.html",
        _base(
            access,
            form=form,
            good=rule.good,
            rule=rule,
            current=current,
            newer=newer,
            norm_default=services.norm_default_for(rule.good.kind),
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def allocation_rule_decide(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = rule_writer_for_user(request, pk)
    rule = _rule(access, number)
    current = rule.versions.order_by("-version").first()
    if not rule.is_active:
        messages.error(
            request,
            _("%(code)s is no longer in force: create a new rule if one is needed.")
            % {"code": rule.code},
        )
        return redirect("allocation_rule", pk=pk, number=number)
    if request.method == "GET":
        initial = RuleVersionForm.initial_of(current) if current else None
        return _decide_page(
            request, access, rule, RuleVersionForm(initial=initial), current=current
        )
    form = RuleVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.rule_decide(
                rule=rule,
                actor=request.user,
                data=form.version_input(),
                based_on_version=form.cleaned_data["based_on"] or 0,
            )
        except ValidationError as error:
            if getattr(error, "code", None) != "stale":
                attach_validation_error(form, error)
                return _decide_page(request, access, rule, form, current=current, status=422)
            # Keep what was typed, now based on the newer version shown beside it, so a second
            # submit (after comparing) records it.
            newer = rule.versions.select_related("recorded_by").order_by("-version").first()
            typed = request.POST.copy()
            typed["based_on"] = str(newer.version if newer else 0)
            form = RuleVersionForm(typed)
            form.is_valid()
            form.add_error(None, error)
            return _decide_page(request, access, rule, form, current=newer, newer=newer, status=409)
        messages.success(
            request,
            _("%(code)s: version %(version)s recorded.")
            % {"code": rule.code, "version": version.version},
        )
        return redirect("allocation_rule", pk=pk, number=number)
    return _decide_page(request, access, rule, form, current=current, status=422)


@require_POST
@login_required
def allocation_rule_retire(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = rule_writer_for_user(request, pk)
    rule = services.rule_retire(rule=_rule(access, number), actor=request.user)
    messages.success(
        request,
        _("%(code)s is no longer in force. It stays readable, with every version.")
        % {"code": rule.code},
    )
    return redirect("allocation_rule", pk=pk, number=number)


@require_GET
@login_required
def allocation_rule_version(
    request: AuthenticatedRequest, pk: int, number: int, version: int
) -> HttpResponse:
    access = resilience_for_user(request, pk)
    rule = _rule(access, number)
    shown = get_object_or_404(rule.versions.select_related("recorded_by"), version=version)
    previous = rule.versions.filter(version__lt=version).order_by("-version").first()
    newest = rule.versions.order_by("-version").values_list("version", flat=True).first()
    return render(
        request,
        "resilience/first72/scarce/rule_version.html",
        _base(
            access,
            rule=rule,
            version=shown,
            previous=previous,
            is_current=shown.version == newest,
            changes=selectors.version_changes(version=shown, previous=previous),
        ),
    )
