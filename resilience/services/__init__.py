from .defaults import organisation_seed_resilience
from .programme import (
    MeasureInput,
    critical_process_save,
    measure_create,
    measure_create_many,
    measure_progress_record,
    measure_snapshot,
    measure_update,
    partner_save,
    resilience_role_set,
)
from .weighing import (
    CriterionInput,
    assessment_record,
    framework_revise,
    priority_decide,
    scenario_archive,
    scenario_save,
)

__all__ = [
    "CriterionInput",
    "MeasureInput",
    "assessment_record",
    "critical_process_save",
    "framework_revise",
    "measure_create",
    "measure_create_many",
    "measure_progress_record",
    "measure_snapshot",
    "measure_update",
    "organisation_seed_resilience",
    "partner_save",
    "priority_decide",
    "resilience_role_set",
    "scenario_archive",
    "scenario_save",
]

# Measures from a spreadsheet.
from .imports import (  # noqa: E402
    ImportCheck,
    ImportRow,
    measure_validate,
    measures_check,
    measures_import,
)

__all__ += ["ImportCheck", "ImportRow", "measure_validate", "measures_check", "measures_import"]

# The first 72 hours: shared by the registers and the crisis.
from .first72 import crises_touch, point_status_set  # noqa: E402

__all__ += ["crises_touch", "point_status_set"]

# The first 72 hours: registers
from .registers72 import (  # noqa: E402
    DistrictImportReport,
    DistrictRow,
    coordinates_check,
    district_save,
    districts_import,
    group_count_set,
    group_save,
    location_save,
    point_retire,
    point_save,
)

__all__ += [
    "DistrictImportReport",
    "DistrictRow",
    "coordinates_check",
    "district_save",
    "districts_import",
    "group_count_set",
    "group_save",
    "location_save",
    "point_retire",
    "point_save",
]

# The first 72 hours in a crisis: affected area, requests, allocation decisions.
from .crisis72 import (  # noqa: E402
    AreaChange,
    affected_area_change,
    affected_into_analysis,
    allocation_decide,
    allocation_refuse,
    allocation_request_record,
)

__all__ += [
    "AreaChange",
    "affected_area_change",
    "affected_into_analysis",
    "allocation_decide",
    "allocation_refuse",
    "allocation_request_record",
]

# The first 72 hours: scarce goods, stocks and allocation rules.
from .scarce import (  # noqa: E402
    DRINKING_WATER_NORM,
    NormDefault,
    RuleVersionInput,
    good_save,
    norm_default_for,
    rule_create,
    rule_decide,
    rule_retire,
    stock_remove,
    stock_save,
)

__all__ += [
    "DRINKING_WATER_NORM",
    "NormDefault",
    "RuleVersionInput",
    "good_save",
    "norm_default_for",
    "rule_create",
    "rule_decide",
    "rule_retire",
    "stock_remove",
    "stock_save",
]
