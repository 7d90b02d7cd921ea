"""Writes of the registers of the first 72 hours: districts (by CBS code, with an import of
outlines), vulnerable groups and their counts per district, vulnerable locations and
noodsteunpunten.

Data minimisation (AVG): a vulnerable group is only ever a number per district with its source
and date; a cluster of people at home (home dialysis, oxygen) is a number in a district, never an
address or a point on the map.
"""

from ._common import coordinates_check
from .district_import import (
    MAX_IMPORT_BYTES,
    DistrictImportReport,
    DistrictRow,
    districts_import,
)
from .districts import district_code_errors, district_level_of, district_save
from .places import cluster_name, group_count_set, group_save, location_save
from .points import point_retire, point_save

__all__ = [
    "MAX_IMPORT_BYTES",
    "DistrictImportReport",
    "DistrictRow",
    "cluster_name",
    "coordinates_check",
    "district_code_errors",
    "district_level_of",
    "district_save",
    "districts_import",
    "group_count_set",
    "group_save",
    "location_save",
    "point_retire",
    "point_save",
]
