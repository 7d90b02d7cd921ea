from .run import (
    addressee_of,
    exercise_clock_start,
    exercise_create,
    exercise_end,
    inject_release,
    injects_due,
    injects_release_due,
    observation_record,
    phases_reached,
    version_freeze,
)

__all__ = [
    "addressee_of",
    "exercise_clock_start",
    "exercise_create",
    "exercise_end",
    "inject_release",
    "injects_due",
    "injects_release_due",
    "observation_record",
    "phases_reached",
    "version_freeze",
]

# -- publishing: a region publishes, its members adopt (exercises/services/publishing.py) --------
from .publishing import publication_adopt, publication_create, publication_of  # noqa: E402

__all__ += ["publication_adopt", "publication_create", "publication_of"]

# -- control (helper "run") ---------------------------------------------------------------------
from .control import exercises_running, exercises_tick  # noqa: E402

__all__ += ["exercises_running", "exercises_tick"]

# -- evaluation: feedback, ratings, leerpunten, close (exercises/services/evaluation.py) --------
from .evaluation import (  # noqa: E402
    evaluation_close,
    feedback_give,
    lesson_record,
    rating_set,
    ratings_set,
)

__all__ += ["evaluation_close", "feedback_give", "lesson_record", "rating_set", "ratings_set"]

# -- library: scenarios, versions, injects (exercises/services/library.py) ----------------------
from .library import (  # noqa: E402
    InjectInput,
    VersionInput,
    inject_delete,
    inject_save,
    scenario_create,
    version_new,
    version_update,
)

__all__ += [
    "InjectInput",
    "VersionInput",
    "inject_delete",
    "inject_save",
    "scenario_create",
    "version_new",
    "version_update",
]
