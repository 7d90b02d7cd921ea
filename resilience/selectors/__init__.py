from .programme import (
    CoverageRow,
    ProgrammeState,
    coverage_matrix,
    critical_processes,
    measure_history,
    measures_for_owner,
    measures_of,
    programme_state,
)
from .weighing import (
    RankRow,
    SensitivityRow,
    assessment_history,
    decision_current,
    decisions_of,
    framework_current,
    framework_version,
    framework_versions,
    ranking,
    scenarios_of,
    scores_current,
    sensitivity,
)

__all__ = [
    "CoverageRow",
    "ProgrammeState",
    "RankRow",
    "SensitivityRow",
    "assessment_history",
    "coverage_matrix",
    "critical_processes",
    "decision_current",
    "decisions_of",
    "framework_current",
    "framework_version",
    "framework_versions",
    "measure_history",
    "measures_for_owner",
    "measures_of",
    "programme_state",
    "ranking",
    "scenarios_of",
    "scores_current",
    "sensitivity",
]

# -- the map of the first 72 hours (map72) -----------------------------------------------------
from .map72 import map_data, map_text, paper_list  # noqa: E402

__all__ += ["map_data", "map_text", "paper_list"]

# The first 72 hours: registers
from .registers72 import (  # noqa: E402
    CountRow,
    GroupTable,
    districts_of,
    group_table,
    locations_of,
    point_history,
    points_of,
)

__all__ += [
    "CountRow",
    "GroupTable",
    "districts_of",
    "group_table",
    "locations_of",
    "point_history",
    "points_of",
]

# The first 72 hours in a crisis: what is affected, open requests, samenloop.
from .crisis72 import (  # noqa: E402
    AffectedSummary,
    Samenloop,
    affected_summary,
    affected_text,
    districts_for_marking,
    requests_open,
    samenloop_overview,
)

__all__ += [
    "AffectedSummary",
    "Samenloop",
    "affected_summary",
    "affected_text",
    "districts_for_marking",
    "requests_open",
    "samenloop_overview",
]

# The first 72 hours: scarce goods and their allocation rules.
from .scarce import (  # noqa: E402
    GoodOverview,
    GoodStock,
    VersionChange,
    goods_with_stock,
    rule_versions,
    rule_versions_in_force,
    rules_current,
    scarce_overview,
    version_changes,
)

__all__ += [
    "GoodOverview",
    "GoodStock",
    "VersionChange",
    "goods_with_stock",
    "rule_versions",
    "rule_versions_in_force",
    "rules_current",
    "scarce_overview",
    "version_changes",
]
