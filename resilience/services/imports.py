"""Measures from a spreadsheet: every row checked with the rules of ``measure_create`` before
any is saved, then the chosen rows saved together or not at all.

The rows come from ``resilience.spreadsheets.read_rows``: cells under the Dutch column names of
the exported programme plan.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation, OrganisationMember, Partner
from crisisroom.services import audit_record

from ..models import Measure, MeasurePhase, MeasureStatus, MeasureTheme, ThreatScenario
from ..spreadsheets import Cell
from .programme import MeasureInput, measure_apply, measure_check_belongs, measure_create_many

# The same file imported again by the same person within this time is the first import repeated
# (a double click, a reload that posts again), not a second batch of the same measures.
REPEATED_IMPORT = timedelta(minutes=10)

# The column a model field is read from, to say where an error is.
FIELD_COLUMNS = {
    "title": "titel",
    "description": "omschrijving",
    "theme": "thema",
    "phase": "fase",
    "owner": "eigenaar",
    "owner_function": "functie eigenaar",
    "owner_partner": "partner eigenaar",
    "means": "middelen",
    "budget": "budget",
    "starts_on": "start",
    "due_on": "deadline",
    "status": "status",
}


@dataclass
class ImportRow:
    row: int  # as the spreadsheet program numbers it
    title: str
    data: MeasureInput | None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ImportCheck:
    rows: list[ImportRow]

    @property
    def valid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.is_valid]

    @property
    def rejected(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.is_valid]


def measure_validate(*, organisation: Organisation, data: MeasureInput) -> None:
    """Raise the ValidationError ``measure_create`` would raise for ``data``, saving nothing:
    the same checks on who and what belongs to the organisation, and the model's own."""
    measure_check_belongs(organisation, data)
    measure = Measure(organisation=organisation, number=1)
    measure_apply(measure, data)
    # The number is given at saving time, under a lock; the rest is checked as saved.
    # The constraints (dates in order, budget not negative) are checked above and by the
    # fields' validators, without a query per row; the database enforces them again on saving.
    measure.full_clean(exclude=["number"], validate_unique=False, validate_constraints=False)
    # A model does not enforce a text field's length; the measure form does.
    for name in ("description", "means"):
        limit = getattr(Measure._meta.get_field(name), "max_length", None)
        if limit is not None:
            try:
                MaxLengthValidator(limit)(getattr(measure, name))
            except ValidationError as error:
                raise ValidationError({name: error.messages}) from None


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).lower()


def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choice by its code, its Dutch label or its English one."""
    names: dict[str, str] = {}
    for value, label in choices.choices:
        names[_key(value)] = value
        for language in ("en", "nl"):
            with translation.override(language):
                names[_key(str(label))] = value
    return names


class _Lookups:
    """The organisation's people, partners and scenarios by the names a sheet uses, read once."""

    def __init__(self, organisation: Organisation) -> None:
        self.themes = _choice_names(MeasureTheme)
        self.phases = _choice_names(MeasurePhase)
        self.statuses = _choice_names(MeasureStatus)
        self.usernames: dict[str, User] = {}
        self.full_names: dict[str, User | None] = {}  # None: two people share the name
        members = OrganisationMember.objects.filter(organisation=organisation).select_related(
            "user"
        )
        for member in members:
            user = member.user
            self.usernames[user.username.lower()] = user
            full = _key(user.get_full_name())
            if full:
                self.full_names[full] = None if full in self.full_names else user
        self.partners = {_key(p.name): p for p in Partner.objects.filter(organisation=organisation)}
        self.scenarios = {
            _key(s.title): s
            for s in ThreatScenario.objects.filter(organisation=organisation, is_archived=False)
        }


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def _names(value: Cell) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in re.split(r"[;\n]", _text(value)) if n.strip()))


_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][0-9:.]*)?")


def _date(value: Cell, column: str, errors: list[str]) -> date | None:
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        if match := _DUTCH_DATE.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    errors.append(
        _("%(column)s: “%(value)s” is not a date; write it as dd-mm-yyyy.")
        % {"column": column, "value": text}
    )
    return None


_DUTCH_AMOUNT = re.compile(r"-?(\d+|\d{1,3}(\.\d{3})+),\d+")


def _amount(value: Cell, errors: list[str]) -> Decimal | None:
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = _text(value).replace("€", "").replace("EUR", "").replace(" ", "").replace("\xa0", "")
    if not text:
        return None
    number: str | None = text
    if "," in text:
        # Dutch: 1.234,56. A dot anywhere but between thousands ("1.2.3,4") makes it no
        # amount: refused with a message rather than guessed.
        number = text.replace(".", "").replace(",", ".") if _DUTCH_AMOUNT.fullmatch(text) else None
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # Dutch thousands: 12.500
        number = text.replace(".", "")
    try:
        amount = Decimal(number) if number is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        errors.append(
            _("budget: “%(value)s” is not an amount in euros, such as 12500 or 1.250,50.")
            % {"value": _text(value)}
        )
        return None
    return amount


def _choice(
    value: Cell, names: Mapping[str, str], column: str, errors: list[str], default: str = ""
) -> str:
    text = _text(value)
    if not text:
        if not default:
            errors.append(_("%(column)s: empty, and it is required.") % {"column": column})
        return default
    found = names.get(_key(text))
    if found is None:
        errors.append(
            _("%(column)s: “%(value)s” is not one of the choices.")
            % {"column": column, "value": text}
        )
        return default
    return found


def _person(value: Cell, lookups: _Lookups, errors: list[str]) -> User | None:
    text = _text(value)
    if not text:
        return None
    user = lookups.usernames.get(text.lower())
    if user is not None:
        return user
    key = _key(text)
    if key in lookups.full_names and lookups.full_names[key] is None:
        errors.append(
            _("eigenaar: two people of the organisation are called “%(value)s”; use the username.")
            % {"value": text}
        )
        return None
    user = lookups.full_names.get(key)
    if user is None:
        errors.append(
            _("eigenaar: nobody of the organisation has the username or name “%(value)s”.")
            % {"value": text}
        )
    return user


def _partner(name: str, column: str, lookups: _Lookups, errors: list[str]) -> Partner | None:
    partner = lookups.partners.get(_key(name))
    if partner is None:
        errors.append(
            _("%(column)s: no partner of the organisation is called “%(value)s”.")
            % {"column": column, "value": name}
        )
    return partner


def _row(cells: Mapping[str, Cell], lookups: _Lookups) -> tuple[MeasureInput, list[str]]:
    errors: list[str] = []
    texts = {
        key: _text(cells.get(key))
        for key in ("titel", "omschrijving", "functie eigenaar", "middelen")
    }
    if any("\x00" in text for text in texts.values()):
        errors.append(_("A cell holds a NUL character, which cannot be stored."))
    if not texts["titel"]:
        errors.append(_("%(column)s: empty, and it is required.") % {"column": "titel"})
    theme = _choice(cells.get("thema"), lookups.themes, "thema", errors)
    phase = _choice(cells.get("fase"), lookups.phases, "fase", errors)
    status = _choice(
        cells.get("status"), lookups.statuses, "status", errors, default=MeasureStatus.GEPLAND
    )
    owner = _person(cells.get("eigenaar"), lookups, errors)
    owner_partner_name = _text(cells.get("partner eigenaar"))
    owner_partner = (
        _partner(owner_partner_name, "partner eigenaar", lookups, errors)
        if owner_partner_name
        else None
    )
    partners = [
        p
        for name in _names(cells.get("partners"))
        if (p := _partner(name, "partners", lookups, errors)) is not None
    ]
    scenarios = []
    for title in _names(cells.get("scenario's")):
        scenario = lookups.scenarios.get(_key(title))
        if scenario is None:
            errors.append(
                _("scenario's: no current threat scenario is called “%(value)s”.")
                % {"value": title}
            )
        else:
            scenarios.append(scenario)
    data = MeasureInput(
        title=texts["titel"],
        description=texts["omschrijving"],
        theme=theme,
        phase=phase,
        owner=owner,
        owner_function=texts["functie eigenaar"],
        owner_partner=owner_partner,
        means=texts["middelen"],
        budget=_amount(cells.get("budget"), errors),
        starts_on=_date(cells.get("start"), "start", errors),
        due_on=_date(cells.get("deadline"), "deadline", errors),
        status=status,
        scenarios=scenarios,
        partners=partners,
    )
    return data, errors


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, field_errors in error.message_dict.items():
        column = FIELD_COLUMNS.get(name)
        for message in field_errors:
            if name == NON_FIELD_ERRORS or column is None:
                messages.append(message)
            else:
                messages.append(f"{column}: {message}")
    return messages


def measures_check(
    *, organisation: Organisation, rows: Sequence[tuple[int, Mapping[str, Cell]]]
) -> ImportCheck:
    """What each row of a sheet would become, and, per row, everything wrong with it: the
    names it uses and every rule ``measure_create`` applies. Saves nothing."""
    lookups = _Lookups(organisation)
    checked = []
    for number, cells in rows:
        data, errors = _row(cells, lookups)
        if not errors:
            try:
                measure_validate(organisation=organisation, data=data)
            except ValidationError as error:
                errors = _messages(error)
        checked.append(
            ImportRow(row=number, title=data.title, data=None if errors else data, errors=errors)
        )
    return ImportCheck(rows=checked)


def measures_import(
    *,
    organisation: Organisation,
    actor: User,
    measures: Sequence[MeasureInput],
    filename: str,
    rejected: int = 0,
    digest: str = "",
) -> list[Measure]:
    """Create ``measures`` as new measures of the programme, all or none, and audit the import
    once. ``rejected`` says how many rows of the file were left out, for the audit trail;
    ``digest`` (the SHA-256 of the file) refuses the same file from the same person twice in a
    row (code "repeated")."""
    if not measures:
        raise ValidationError(_("The file has no measures to import."))
    with transaction.atomic():
        # Under the organisation's lock, so two submits of one file cannot both pass the check.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        if digest:
            _refuse_repeated(organisation=organisation, actor=actor, digest=digest)
        created = measure_create_many(organisation=organisation, actor=actor, items=measures)
        audit_record(
            action=AuditEvent.Action.MEASURES_IMPORTED,
            organisation=organisation,
            actor=actor,
            detail={
                "count": len(created),
                "rejected": rejected,
                "file": filename[:200],
                "sha256": digest,
                "numbers": [created[0].number, created[-1].number],
            },
        )
    return created


def _refuse_repeated(*, organisation: Organisation, actor: User, digest: str) -> None:
    earlier = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.MEASURES_IMPORTED,
            organisation=organisation,
            actor=actor,
            at__gte=timezone.now() - REPEATED_IMPORT,
            detail__sha256=digest,
        )
        .order_by("-at")
        .first()
    )
    if earlier is None:
        return
    numbers = earlier.detail.get("numbers") or [0, 0]
    raise ValidationError(
        _(
            "This file has just been imported (%(first)s to %(last)s). It is not imported a "
            "second time: the measures are in the programme plan."
        )
        % {"first": f"M{numbers[0]}", "last": f"M{numbers[-1]}"},
        code="repeated",
    )
