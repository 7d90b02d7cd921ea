"""Exercises: an organisation's area under /oefenen/<organisation>/, an exercise's screens
under /crises/<crisis>/oefening/. One module of routes per part."""

from . import urls_evaluation, urls_library, urls_publishing, urls_run

urlpatterns = [
    *urls_library.urlpatterns,
    *urls_run.urlpatterns,
    *urls_publishing.urlpatterns,
    *urls_evaluation.urlpatterns,
]
