"""Exercises on a person's home page ("Mijn crises"): the exercise areas of the organisations
they lead exercises for or administer. Registered with the core in ExercisesConfig.ready()."""

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from crisisroom.models import Organisation


def exercises_home_panel(request: HttpRequest) -> SafeString:
    """Nothing for someone who neither leads exercises nor administers an organisation."""
    user = request.user
    if not user.is_authenticated:
        return SafeString("")
    organisations = list(
        Organisation.objects.filter(
            Q(members__user=user, members__is_exercise_leader=True)
            | Q(members__user=user, members__is_administrator=True)
        )
        .select_related("region")
        .distinct()
        .order_by("name")
    )
    if not organisations:
        return SafeString("")
    return render_to_string(
        "exercises/_home_panel.html", {"organisations": organisations}, request=request
    )
