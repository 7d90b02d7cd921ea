"""The strategic analysis: the ROL writes and hands over, the mayor reads, shares and prints."""

import re
import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crisisroom import roles
from crisisroom.access import organisation_for_admin
from crisisroom.forms import attach_validation_error
from crisisroom.http import AuthenticatedRequest
from crisisroom.responses import confidential_pdf_response
from crisisroom.text import display_name

from . import selectors, services
from .access import AnalysisAccess, analysis_for_user
from .forms import CardsForm, SectionFormSet, ShareForm
from .models import Analysis, AnalysisRead, AnalysisShare


def _sections_from(request: AuthenticatedRequest) -> dict:
    prefix = "section-"
    return {k[len(prefix) :]: v for k, v in request.POST.items() if k.startswith(prefix)}


def _base_revision(request: AuthenticatedRequest) -> int:
    try:
        return int(request.POST.get("base_revision", ""))
    except ValueError:
        raise ValidationError(_("The form is incomplete; reload the page.")) from None


EDITOR_ID = re.compile(r"[0-9a-f]{1,40}")


@dataclass
class Screen:
    """What the editor posted: its text per section, what each was based on, and which screen
    (one page load) it is. A conflict's choice ("keep mine" / "take the newer one") made
    without JavaScript arrives as ``resolve`` and moves that section's base to the newer text."""

    sections: dict
    bases: dict[str, services.SectionBase]
    editor: str

    @classmethod
    def posted(cls, request: AuthenticatedRequest) -> "Screen":
        sections = _sections_from(request)
        bases = {}
        for name, value in request.POST.items():
            if name.startswith("base-") and (base := services.SectionBase.parse(str(value))):
                bases[name[len("base-") :]] = base
        choice, _sep, rest = request.POST.get("resolve", "").partition(":")
        key, _sep, token = rest.partition(":")
        newer = services.SectionBase.parse(token)
        if choice in ("mine", "newer") and newer is not None and key in sections:
            bases[key] = newer
            if choice == "newer":
                del sections[key]  # leave the saved text as it is
        editor = request.POST.get("editor", "")
        return cls(
            sections=sections,
            bases=bases,
            editor=editor if EDITOR_ID.fullmatch(editor) else "",
        )


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@require_GET
@login_required
def analysis_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = analysis_for_user(request, pk)
    crisis, analysis = access.crisis, access.analysis
    can_write = roles.WRITE_ANALYSIS in access.perms and crisis.is_active
    context = _version_context(analysis, request.GET.get("versie"))
    version = context["version"]
    if version is not None:
        services.analysis_record_read(
            version=version, user=request.user, kind=AnalysisRead.Kind.VIEW
        )
    return render(
        request,
        "formats/analysis.html",
        {
            "access": access,
            "crisis": crisis,
            "shared_reader": not access.is_member,
            "analysis": analysis,
            **context,
            "versions": selectors.versions_of(analysis=analysis) if analysis else [],
            "can_write": can_write,
            "can_share": roles.SHARE_ANALYSIS in access.perms,
            "editor": _editor(access) if can_write else None,
            "draft_format": analysis.format
            if analysis
            else selectors.format_current(organisation=crisis.organisation),
            "editor_id": secrets.token_hex(8),
            "base_revision": analysis.draft_revision if analysis else 0,
            "bases": _bases_on_screen(access, analysis, None),
        },
    )


def _version_context(analysis, wanted: str | None) -> dict:
    """The version to show (a requested one, else the latest) and its sections."""
    version = None
    if analysis is not None:
        version = (
            selectors.version_by_number(analysis=analysis, number=_number(wanted))
            if wanted
            else selectors.version_latest(analysis=analysis)
        )
        if wanted and version is None:
            raise Http404
    return {
        "version": version,
        "version_sections": selectors.sections_with_text(version=version) if version else [],
    }


def _editor(access: AnalysisAccess, texts: dict | None = None) -> list[tuple]:
    """The sections to write in and their text. Before the first save there is no analysis
    yet: the editor then shows the organisation's current format, empty (a read writes nothing)."""
    analysis = access.analysis
    if analysis is None:
        fmt = selectors.format_current(organisation=access.crisis.organisation)
        draft = texts or {}
    else:
        fmt = analysis.format
        draft = analysis.draft if texts is None else texts
    return [(s, draft.get(s.key, "")) for s in fmt.sections.all()]


def _bases_on_screen(
    access: AnalysisAccess, analysis, screen: Screen | None, base_revision: int = 0
) -> list[tuple]:
    """The base of every section for the screen after this answer: the current one where the
    screen's text equals the saved text, else the one it posted (nothing of it was saved)."""
    fmt = analysis.format if analysis else None
    if fmt is None:
        fmt = selectors.format_current(organisation=access.crisis.organisation)
    bases = []
    for section in fmt.sections.all():
        key = section.key
        current = (
            services.section_base(analysis, key)
            if analysis is not None
            else services.SectionBase(revision=0, digest=services.section_digest(""))
        )
        posted = screen.sections.get(key) if screen else None
        saved = analysis.draft.get(key, "") if analysis is not None else ""
        if posted is None or services.same_text(posted, saved) or screen is None:
            bases.append((key, current.token))
        else:
            fallback = services.SectionBase(revision=base_revision, digest="")
            bases.append((key, screen.bases.get(key, fallback).token))
    return bases


@require_POST
@login_required
def analysis_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Autosave (htmx, every pause in typing) and the plain Save button."""
    access = analysis_for_user(request, pk, roles.WRITE_ANALYSIS)
    analysis = access.analysis or services.analysis_get_or_start(crisis=access.crisis)
    screen = Screen.posted(request)
    try:
        result = _save_what_is_on_screen(request, analysis, screen)
    except services.DraftConflict as conflict:
        return _draft_status(
            request, access, conflict.analysis, screen, conflict=conflict, status=409
        )
    except ValidationError as error:
        return _draft_status(request, access, analysis, screen, error=error, status=422)
    if request.htmx:
        return _draft_status(request, access, result.analysis, screen, result=result)
    messages.success(request, _("Draft saved."))
    return redirect("analysis_page", pk=pk)


def _save_what_is_on_screen(
    request: AuthenticatedRequest, analysis, screen: Screen
) -> services.DraftSave:
    """The sections as posted, merged with what others saved since the screen's bases."""
    return services.analysis_merge_draft(
        analysis=analysis,
        actor=request.user,
        sections=screen.sections,
        base_revision=_base_revision(request),
        bases=screen.bases,
        editor=screen.editor,
    )


def _newer_on_screen(analysis, keys: list[str]) -> list[dict]:
    """Sections someone else saved newer text in that this screen had not touched: the
    browser puts the text in (if still untouched there) with its base."""
    if not keys:
        return []
    titles = dict(analysis.format.sections.values_list("key", "title"))
    return [
        {
            "key": key,
            "title": titles.get(key, key),
            "text": analysis.draft.get(key, ""),
            "base": services.section_base(analysis, key).token,
        }
        for key in keys
    ]


def _draft_status(
    request,
    access,
    analysis,
    screen: Screen,
    *,
    result: services.DraftSave | None = None,
    conflict=None,
    error=None,
    status=200,
    saved_not_handed_over=False,
) -> HttpResponse:
    # After a conflict the editor keeps the revision its text was based on, so every further
    # autosave is refused too until the user has chosen which text to keep.
    base = _base_revision_or_none(request) if conflict else analysis.draft_revision
    newer = _newer_on_screen(analysis, result.newer if result else [])
    context = {
        "analysis": analysis,
        "conflict": conflict,
        "error": error,
        "access": access,
        "crisis": access.crisis,
        "base_revision": base,
        "bases": _bases_on_screen(access, analysis, screen, _base_revision_or_none(request) or 0),
        "newer": newer,
        "saved_not_handed_over": saved_not_handed_over,
        "unsaved": bool(conflict or (error and not saved_not_handed_over)),
    }
    if request.htmx:
        return render(request, "formats/analysis.html#draft-status", context, status=status)
    # Without JavaScript: the whole page again, with the user's own text kept in the editor
    # (and, where someone else saved newer text this screen had not touched, that text).
    texts = {**analysis.draft, **screen.sections}
    texts.update({item["key"]: item["text"] for item in newer})
    return render(
        request,
        "formats/analysis.html",
        {
            **context,
            "can_write": True,
            "can_share": roles.SHARE_ANALYSIS in access.perms,
            "editor": _editor(access, texts),
            "draft_format": analysis.format,
            "editor_id": screen.editor or secrets.token_hex(8),
            "versions": selectors.versions_of(analysis=analysis),
            **_version_context(analysis, None),
        },
        status=status,
    )


def _base_revision_or_none(request):
    try:
        return _base_revision(request)
    except ValidationError:
        return None


@require_POST
@login_required
def analysis_hand_over(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Save what is on screen, then freeze it as the next version."""
    access = analysis_for_user(request, pk, roles.WRITE_ANALYSIS)
    analysis = access.analysis or services.analysis_get_or_start(crisis=access.crisis)
    screen = Screen.posted(request)
    try:
        result = _save_what_is_on_screen(request, analysis, screen)
    except services.DraftConflict as conflict:
        return _draft_status(
            request, access, conflict.analysis, screen, conflict=conflict, status=409
        )
    except ValidationError as error:
        return _draft_status(request, access, analysis, screen, error=error, status=422)
    analysis = result.analysis
    try:
        if result.newer:
            # Never freeze text this author has not seen on their screen.
            titles = "; ".join(item["title"] for item in _newer_on_screen(analysis, result.newer))
            raise ValidationError(
                _(
                    "Newer text was saved meanwhile in: %(sections)s. It is on your screen now: "
                    "read it, then hand over again."
                )
                % {"sections": titles}
            )
        # Hand over exactly the revision just saved: if anyone saved in between, refuse.
        version = services.analysis_hand_over(
            analysis=analysis, actor=request.user, base_revision=analysis.draft_revision
        )
    except services.DraftConflict as conflict:
        return _draft_status(
            request, access, conflict.analysis, screen, conflict=conflict, status=409
        )
    except ValidationError as error:
        return _draft_status(
            request,
            access,
            analysis,
            screen,
            result=result,
            error=error,
            status=422,
            saved_not_handed_over=True,
        )
    messages.success(request, _("Version %(n)d handed over.") % {"n": version.number})
    return redirect("analysis_page", pk=pk)


@require_GET
@login_required
def analysis_pdf(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    access = analysis_for_user(request, pk)
    if access.analysis is None:
        raise Http404
    version = selectors.version_by_number(analysis=access.analysis, number=number)
    if version is None:
        raise Http404
    pdf = services.analysis_pdf(version=version)
    services.analysis_record_read(version=version, user=request.user, kind=AnalysisRead.Kind.PDF)
    return confidential_pdf_response(
        pdf, f"strategische-analyse-{access.crisis.pk}-v{version.number}.pdf"
    )


@require_GET
@login_required
def analysis_diff(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = analysis_for_user(request, pk)
    if access.analysis is None:
        raise Http404
    old = selectors.version_by_number(
        analysis=access.analysis, number=_number(request.GET.get("van"))
    )
    new = selectors.version_by_number(
        analysis=access.analysis, number=_number(request.GET.get("naar"))
    )
    if old is None or new is None:
        raise Http404
    for version in {old, new}:  # reading a comparison is reading both versions
        services.analysis_record_read(
            version=version, user=request.user, kind=AnalysisRead.Kind.VIEW
        )
    return render(
        request,
        "formats/analysis_diff.html",
        {
            "access": access,
            "crisis": access.crisis,
            "shared_reader": not access.is_member,
            "old": old,
            "new": new,
            "rows": selectors.versions_diff(old=old, new=new),
        },
    )


@require_GET
@login_required
def analysis_sharing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = analysis_for_user(request, pk, roles.SHARE_ANALYSIS)
    return _sharing_page(request, access, access.analysis, ShareForm(crisis=access.crisis))


def _sharing_page(
    request: AuthenticatedRequest,
    access: AnalysisAccess,
    analysis: Analysis | None,
    form: ShareForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "formats/analysis_sharing.html",
        {
            "access": access,
            "crisis": access.crisis,
            "analysis": analysis,
            "form": form,
            "shares": selectors.shares_all(analysis=analysis) if analysis else [],
            "reads": selectors.reads_of(analysis=analysis) if analysis else [],
        },
        status=status,
    )


@require_POST
@login_required
def analysis_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = analysis_for_user(request, pk, roles.SHARE_ANALYSIS)
    analysis = access.analysis or services.analysis_get_or_start(crisis=access.crisis)
    form = ShareForm(request.POST, crisis=access.crisis)
    if form.is_valid():
        try:
            share = services.analysis_share(
                analysis=analysis, user=form.cleaned_data["user"], actor=request.user
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Shared with %(name)s.") % {"name": display_name(share.user)},
            )
            return redirect("analysis_sharing", pk=pk)
    return _sharing_page(request, access, analysis, form, status=422)


@require_POST
@login_required
def analysis_share_revoke(request: AuthenticatedRequest, pk: int, share_pk: int) -> HttpResponse:
    access = analysis_for_user(request, pk, roles.SHARE_ANALYSIS)
    share = AnalysisShare.objects.filter(pk=share_pk, analysis__crisis=access.crisis).first()
    if share is None:
        raise Http404
    services.analysis_share_revoke(share=share, actor=request.user)
    messages.success(request, _("Sharing revoked."))
    return redirect("analysis_sharing", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def format_edit(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    """Organisation administrators revise the analysis format; each save is a new version."""
    organisation = organisation_for_admin(request, org_pk)
    current = selectors.format_current(organisation=organisation)
    initial = [
        {
            "key": s.key,
            "title": s.title,
            "help_text": s.help_text,
            "required": s.required,
            "in_kernbeeld": s.in_kernbeeld,
            "ORDER": i + 1,
        }
        for i, s in enumerate(current.sections.all())
    ]
    formset = SectionFormSet(request.POST or None, initial=initial, prefix="sections")
    note = request.POST.get("note", "")
    if request.method == "POST" and formset.is_valid():
        sections = [
            form.cleaned_data
            for form in formset.ordered_forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            fmt = services.format_revise(
                organisation=organisation, actor=request.user, sections=sections, note=note
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Format version %(v)d saved. Existing analyses keep their version.")
                % {"v": fmt.version},
            )
            return redirect("format_edit", org_pk=org_pk)
    return render(
        request,
        "formats/format_edit.html",
        {
            "organisation": organisation,
            "current": current,
            "formset": formset,
            "note": note,
            "history": organisation.analysis_formats.select_related("created_by"),
        },
        status=422 if request.method == "POST" else 200,
    )


# -- card editor ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def cards_edit(request: AuthenticatedRequest, org_pk: int) -> HttpResponse:
    """Administrators edit the attention card and task cards; each save is a new version."""
    organisation = organisation_for_admin(request, org_pk)
    current = selectors.cards_current(organisation=organisation)
    form = CardsForm(request.POST or None, card_set=current)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.cards_revise(
                organisation=organisation,
                actor=request.user,
                card=form.card(),
                tasks=form.tasks(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Cards version %(v)d saved. Meetings keep the version they used.")
                % {"v": new.version},
            )
            return redirect("cards_edit", org_pk=org_pk)
    return render(
        request,
        "formats/cards_edit.html",
        {"organisation": organisation, "current": current, "form": form},
        status=422 if request.method == "POST" else 200,
    )
