"""Forms of the registers of the first 72 hours. They only read what was typed; the services
check it (coordinates, clusters, CBS codes, counts) and their messages land on the fields."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import model_choice_field
from crisisroom.models import Crisis, Organisation, Partner
from crisisroom.selectors import crises_for_user

from ..models import (
    CLUSTER_KINDS,
    Dependency,
    District,
    EmergencyPoint,
    PointService,
    PointStatus,
    VulnerableGroup,
    VulnerableLocation,
)
from ..services.registers72 import MAX_IMPORT_BYTES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CoordinateField(forms.FloatField):
    """Decimal degrees as typed in Dutch or English: 52,0907 and 52.0907 are the same."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]  # stubs: int
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _coordinate(label: "StrOrPromise", example: str) -> CoordinateField:
    return CoordinateField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("In decimal degrees (WGS84), for example %(example)s.") % {"example": example},
        error_messages={"invalid": _("Give a number in decimal degrees, such as 52.0907.")},
    )


class _RegisterForm(forms.ModelForm):
    """A model form that only reads the fields: the service validates and saves, so the model's
    own (generic) checks do not run before the service's clear ones."""

    def _post_clean(self) -> None:
        pass


def _district_field(form: forms.BaseForm, organisation: Organisation) -> None:
    field = model_choice_field(form, "district")
    field.queryset = District.objects.filter(organisation=organisation).defer("outline")
    field.empty_label = _("— no district —")


class PointForm(_RegisterForm):
    latitude = _coordinate(_("Latitude"), "52.0907")
    longitude = _coordinate(_("Longitude"), "5.1214")
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=PointService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EmergencyPoint
        fields = [
            "name",
            "kind",
            "address",
            "latitude",
            "longitude",
            "district",
            "capacity",
            "services",
            "power_hours",
            "water_hours",
            "comms_hours",
            "key_holder",
            "staff",
            "opening_procedure",
            "is_active",
        ]
        widgets = {
            "capacity": forms.NumberInput(attrs={"min": 0}),
            "power_hours": forms.NumberInput(attrs={"min": 0}),
            "water_hours": forms.NumberInput(attrs={"min": 0}),
            "comms_hours": forms.NumberInput(attrs={"min": 0}),
            "staff": forms.Textarea(attrs={"rows": 3}),
            "opening_procedure": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "staff": _("Functions or organisations, for example volunteers of the village hall."),
            "is_active": _("A point no longer in use leaves the lists and the map."),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _district_field(self, organisation)
        self.fields["capacity"].required = True
        # A noodsteunpunt is always on the map.
        for name, message in (
            ("latitude", _("Give the latitude, for example 52.0907.")),
            ("longitude", _("Give the longitude, for example 5.1214.")),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        if self.instance.pk is None:
            del self.fields["is_active"]
        elif not self.is_bound:
            self.initial["services"] = list(self.instance.services)


class PointStatusForm(forms.Form):
    """The status from the register. The crisis to record it in is offered only when the user
    is a member of an open crisis of the organisation: crisis information is for its members."""

    status = forms.ChoiceField(
        label=_("New status"), choices=PointStatus.choices, widget=forms.RadioSelect
    )
    crisis = forms.ModelChoiceField(
        label=_("In the crisis"),
        queryset=Crisis.objects.none(),
        required=False,
        empty_label=_("— not in a crisis —"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organisation: Organisation, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        crises = crises_for_user(user=user).filter(
            organisation=organisation, status=Crisis.Status.ACTIVE
        )
        if crises.exists():
            model_choice_field(self, "crisis").queryset = crises
        else:
            del self.fields["crisis"]


class LocationForm(_RegisterForm):
    latitude = _coordinate(_("Latitude"), "52.0907")
    longitude = _coordinate(_("Longitude"), "5.1214")
    dependencies = forms.MultipleChoiceField(
        label=_("Depends on"),
        choices=Dependency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VulnerableLocation
        fields = [
            "kind",
            "name",
            "district",
            "address",
            "latitude",
            "longitude",
            "people",
            "dependencies",
            "partner",
            "notes",
            "is_active",
        ]
        widgets = {
            "people": forms.NumberInput(attrs={"min": 0}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _(
                "Home dialysis and oxygen at home are counted clusters: a district and a number, "
                "never an address."
            ),
            "name": _(
                "Not for a cluster: its name is made from the kind and the district, for "
                "example “Home dialysis — Oosterpark”."
            ),
            "address": _("Not for a cluster of people at home."),
            "district": _("Required for a cluster of people at home."),
            "notes": _(
                "About the place, never about a person: no names, addresses or other details "
                "of persons. Leave empty for a cluster."
            ),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _district_field(self, organisation)
        self.fields["name"].error_messages["required"] = _("Give the location a name.")
        partners = Partner.objects.filter(organisation=organisation)
        current = self.instance.partner_id
        field = model_choice_field(self, "partner")
        field.queryset = (
            partners.filter(is_active=True) | partners.filter(pk=current)
            if current
            else partners.filter(is_active=True)
        ).order_by("name")
        field.empty_label = _("— no partner —")
        if self.instance.pk is None:
            del self.fields["is_active"]
        elif not self.is_bound:
            self.initial["dependencies"] = list(self.instance.dependencies)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") in CLUSTER_KINDS:
            # A cluster's name is made by the service from its kind and district: whatever
            # was typed (or left empty) is ignored.
            self.errors.pop("name", None)
            cleaned["name"] = ""
        return cleaned


class GroupForm(_RegisterForm):
    class Meta:
        model = VulnerableGroup
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": _("For example: people over 75 living alone, or people who depend on care."),
            "description": _(
                "How the group is defined and counted. Describe the group, never a person."
            ),
        }


class GroupCountForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=VulnerableGroup.objects.none())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    count = forms.IntegerField(
        label=_("Number of people"),
        min_value=0,
        widget=forms.NumberInput(attrs={"min": 0}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Where the number comes from, for example CBS 2024 or GGD-monitor."),
    )
    as_of = forms.DateField(
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the number applies to; not in the future."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "group").queryset = VulnerableGroup.objects.filter(
            organisation=organisation
        )
        model_choice_field(self, "district").queryset = District.objects.filter(
            organisation=organisation
        ).defer("outline")
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())


class DistrictForm(_RegisterForm):
    class Meta:
        model = District
        fields = ["code", "name", "level"]
        help_texts = {"level": _("Empty: follows from the code.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].required = False


class DistrictImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .geojson)"),
        help_text=_(
            "At most 10 MB and 50,000 points of outline. A CSV has the columns code;name;level "
            "(level may be left out). A GeoJSON FeatureCollection of Polygons or MultiPolygons "
            "in WGS84 (EPSG:4326) names each district in its properties."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.geojson,.json"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".geojson", ".json")):
            raise ValidationError(
                _("Choose a CSV file (.csv) or a GeoJSON file (.geojson or .json).")
            )
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload
