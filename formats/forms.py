from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crisisroom.boboc import PHASE_ORDER
from crisisroom.forms import PersonChoiceField, model_choice_field
from crisisroom.models import Crisis
from crisisroom.roles import ROLES_FOR_TEAM, Role

from .teams import is_cmt, team_kind_for


class ShareForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=get_user_model().objects.none())

    def __init__(self, *args, crisis: Crisis, **kwargs):
        super().__init__(*args, **kwargs)
        # People of the organisation who are not in the crisis team.
        model_choice_field(self, "user").queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, organisation_memberships__organisation=crisis.organisation
            )
            .exclude(crisis_memberships__crisis=crisis, crisis_memberships__ended_at__isnull=True)
            .distinct()
            .order_by("last_name", "first_name")
        )


class SectionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    help_text = forms.CharField(
        label=_("Guiding questions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    in_kernbeeld = forms.BooleanField(label=_("Into the core picture"), required=False)


SectionFormSet = forms.formset_factory(
    SectionForm, extra=2, can_delete=True, can_order=True, max_num=40, validate_max=True
)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class CardsForm(forms.Form):
    """The card and task cards as one line per item, one text box per list."""

    note = forms.CharField(
        label=_("What changed (for the version history)"), max_length=300, required=False
    )

    def __init__(self, *args, card_set, **kwargs):
        super().__init__(*args, **kwargs)
        card, tasks = card_set.card, card_set.tasks
        box = forms.Textarea(attrs={"rows": 5})
        # A CMT has no mayor: its chair's card has challenges and points of attention instead
        # (and a list of roles only if the organisation wrote one).
        if is_cmt(card_set.organisation):
            lists = [
                ("agenda", _("Agenda")),
                ("challenges", _("Challenges and points of attention")),
            ]
            if card.get("roles"):
                lists.append(("roles", _("Roles")))
        else:
            lists = [
                ("agenda", _("Agenda")),
                ("roles", _("The mayor's roles")),
                ("challenges", _("Challenges and points of attention")),
            ]
        lists += [
            ("uitgangspunten", _("Strategic uitgangspunten")),
            ("families", _("Strategic families (your organisation's own list)")),
        ]
        for name, label in lists:
            self.fields[f"card_{name}"] = forms.CharField(
                label=label,
                required=name == "agenda",
                widget=box,
                initial="\n".join(card.get(name, [])),
            )
        for phase in PHASE_ORDER:
            self.fields[f"phase_{phase}"] = forms.CharField(
                label=_("Points in %(phase)s") % {"phase": phase.capitalize()},
                required=False,
                widget=box,
                initial="\n".join(card.get("phases", {}).get(phase, [])),
            )
        # The roles of the organisation's team, and any other role the cards already hold.
        team_roles = ROLES_FOR_TEAM[team_kind_for(card_set.organisation)]
        for role, label in Role.choices:
            if role not in team_roles and not tasks.get(role):
                continue
            self.fields[f"tasks_{role}"] = forms.CharField(
                label=_("Task card: %(role)s") % {"role": label},
                required=False,
                widget=box,
                initial="\n".join(tasks.get(role, [])),
            )

    def card(self) -> dict:
        data = self.cleaned_data
        card: dict[str, Any] = {
            name: _lines(data.get(f"card_{name}", ""))
            for name in ("agenda", "roles", "challenges", "uitgangspunten", "families")
        }
        card["phases"] = {phase: _lines(data.get(f"phase_{phase}", "")) for phase in PHASE_ORDER}
        return card

    def tasks(self) -> dict:
        return {role: _lines(self.cleaned_data.get(f"tasks_{role}", "")) for role in Role.values}
