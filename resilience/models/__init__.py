from .programme import (
    CriticalProcess,
    Measure,
    MeasurePhase,
    MeasureRevision,
    MeasureStatus,
    MeasureTheme,
    ProgressNote,
)
from .roles import ResilienceRole
from .weighing import (
    LIKELIHOOD,
    Assessment,
    Criterion,
    DecisionItem,
    Framework,
    ImpactClass,
    LikelihoodClass,
    PriorityDecision,
    RiskTheme,
    ThreatScenario,
)

__all__ = [
    "LIKELIHOOD",
    "Assessment",
    "Criterion",
    "CriticalProcess",
    "DecisionItem",
    "Framework",
    "ImpactClass",
    "LikelihoodClass",
    "Measure",
    "MeasurePhase",
    "MeasureRevision",
    "MeasureStatus",
    "MeasureTheme",
    "PriorityDecision",
    "ProgressNote",
    "ResilienceRole",
    "RiskTheme",
    "ThreatScenario",
]
