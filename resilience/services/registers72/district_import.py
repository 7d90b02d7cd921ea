"""The import of districts from a file: a CSV of codes and names, or a GeoJSON of outlines.
Every row is checked first; one rejected row and nothing is imported."""

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation
from crisisroom.services import audit_record

from ...models import District
from ..first72 import crises_touch
from ._common import in_netherlands
from .districts import district_code_errors, district_level_of
from .places import clusters_rename

# A file a browser, a laptop and the database carry easily.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_VERTICES = 50_000


@dataclass
class DistrictRow:
    """One district read from an import file, with what is wrong with it."""

    row: int  # the line of a CSV, the feature's number (from 1) in GeoJSON
    code: str
    name: str
    level: str = ""
    outline: dict | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class DistrictImportReport:
    filename: str
    rows: list[DistrictRow]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    imported: bool = False

    @property
    def rejected(self) -> list[DistrictRow]:
        return [r for r in self.rows if r.errors]

    @property
    def valid(self) -> list[DistrictRow]:
        return [r for r in self.rows if not r.errors]


def districts_import(
    *, organisation: Organisation, actor: User, filename: str, content: bytes
) -> DistrictImportReport:
    """Districts from a CSV (code;name;level) or a GeoJSON FeatureCollection of outlines.

    A file that cannot be read at all raises ValidationError. Otherwise every row is checked;
    when one is rejected nothing is imported and the report says why for each. When all are
    valid, existing codes get the new name (and outline), new codes are created, all at once.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    lowered = filename.lower()
    if lowered.endswith(".csv"):
        rows = _csv_rows(content)
    elif lowered.endswith((".json", ".geojson")):
        rows = _geojson_rows(content)
    else:
        raise ValidationError(_("Choose a CSV file (.csv) or a GeoJSON file (.geojson or .json)."))
    if not rows:
        raise ValidationError(_("The file holds no districts."))
    _rows_check(rows)
    report = DistrictImportReport(filename=filename, rows=rows)
    if report.rejected:
        return report
    with transaction.atomic():
        existing = {
            d.code: d
            for d in District.objects.select_for_update().filter(
                organisation=organisation, code__in=[r.code for r in rows]
            )
        }
        new: list[District] = []
        changed: list[District] = []
        for row in rows:
            district = existing.get(row.code)
            if district is None:
                new.append(
                    District(
                        organisation=organisation,
                        code=row.code,
                        name=row.name,
                        level=row.level,
                        outline=row.outline,
                    )
                )
                continue
            outline = row.outline if row.outline is not None else district.outline
            if (district.name, district.level, district.outline) == (row.name, row.level, outline):
                report.unchanged += 1
                continue
            district.name, district.level, district.outline = row.name, row.level, outline
            changed.append(district)
        try:
            District.objects.bulk_create(new, batch_size=500)
        except IntegrityError:
            # Someone else added one of these codes a moment ago.
            raise ValidationError(
                _("Another import added some of these districts just now. Import the file again.")
            ) from None
        District.objects.bulk_update(changed, ["name", "level", "outline"], batch_size=500)
        clusters_rename(districts=changed)
        report.created, report.updated, report.imported = len(new), len(changed), True
        audit_record(
            action=AuditEvent.Action.DISTRICTS_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={
                "import": filename[:200],
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        crises_touch(organisation=organisation)
    return report


_CODE_KEYS = ("code", "statcode", "buurtcode", "wijkcode")
_NAME_KEYS = ("naam", "name", "statnaam", "buurtnaam", "wijknaam")
_LEVEL_KEYS = ("level", "niveau")


def _csv_rows(content: bytes) -> list[DistrictRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save the CSV as “CSV UTF-8” and choose it again.")
        ) from None
    if "\x00" in text:
        raise ValidationError(_("This is not a CSV file."))
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    header = [cell.strip().lower().lstrip("\ufeff") for cell in records[0]]
    code_at, name_at, level_at = 0, 1, 2
    first = 1
    if any(h in _CODE_KEYS for h in header):
        code_at = next(i for i, h in enumerate(header) if h in _CODE_KEYS)
        name_at = next((i for i, h in enumerate(header) if h in _NAME_KEYS), -1)
        level_at = next((i for i, h in enumerate(header) if h in _LEVEL_KEYS), -1)
        if name_at < 0:
            raise ValidationError(_("The CSV has no column with the name (naam or name)."))
    else:
        first = 0  # no header: code, name, level by position
    rows = []
    for number, record in enumerate(records[first:], start=first + 1):
        cells = [c.strip() for c in record]

        def cell(at: int, cells: list[str] = cells) -> str:
            return cells[at] if 0 <= at < len(cells) else ""

        level = cell(level_at).lower()
        row = DistrictRow(row=number, code=cell(code_at).upper(), name=cell(name_at))
        if level and level not in District.Level.values:
            row.errors.append(_("The level is “wijk” or “buurt”, or empty."))
        else:
            row.level = level
        rows.append(row)
    return rows


def _geojson_rows(content: bytes) -> list[DistrictRow]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(
            _("The file is not valid GeoJSON: it cannot be read as JSON text.")
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(
            _("The file is not a GeoJSON FeatureCollection: export the layer as GeoJSON.")
        )
    crs = json.dumps(data.get("crs") or "")
    if "28992" in crs:
        raise ValidationError(_rd_message())
    features = data.get("features")
    if not isinstance(features, list):
        raise ValidationError(_("The FeatureCollection has no list of features."))
    positions = [
        _positions((f or {}).get("geometry") if isinstance(f, dict) else None) for f in features
    ]
    if sum(len(p) for p in positions) > MAX_IMPORT_VERTICES:
        raise ValidationError(
            _(
                "The file has more than %(max)s points in its outlines. Simplify the outlines "
                "(for example in QGIS: Vector › Geometry Tools › Simplify) and export again."
            )
            % {"max": f"{MAX_IMPORT_VERTICES:,}".replace(",", ".")}
        )
    if any(_looks_like_rd(p) for p in positions):
        raise ValidationError(_rd_message())
    rows = []
    for number, feature in enumerate(features, start=1):
        rows.append(_feature_row(number, feature))
    return rows


def _rd_message() -> str:
    return _(
        "The coordinates look like RD New (EPSG:28992), in metres. Export the file in WGS84 "
        "(EPSG:4326) and choose it again."
    )


def _positions(geometry: Any) -> list[Any]:
    """Every position of a (Multi)Polygon, without checking its shape; [] for anything else."""
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        polygons = [coordinates]
    elif geometry.get("type") == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return []
    found = []
    for polygon in polygons:
        if isinstance(polygon, list):
            for ring in polygon:
                if isinstance(ring, list):
                    found.extend(ring)
    return found


def _looks_like_rd(positions: list[Any]) -> bool:
    for p in positions[:50]:
        if (
            isinstance(p, list)
            and len(p) >= 2
            and all(_is_number(v) for v in p[:2])
            and 0 <= p[0] <= 300_000
            and 280_000 <= p[1] <= 630_000
        ):
            return True
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _first(properties: dict, keys: tuple[str, ...]) -> str:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _feature_row(number: int, feature: Any) -> DistrictRow:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return DistrictRow(row=number, code="", name="", errors=[_("This is not a Feature.")])
    found = feature.get("properties")
    properties: dict = found if isinstance(found, dict) else {}
    row = DistrictRow(
        row=number,
        code=_first(properties, _CODE_KEYS).upper(),
        name=_first(properties, _NAME_KEYS),
    )
    level = _first(properties, _LEVEL_KEYS).lower()
    if level in District.Level.values:
        row.level = level
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        row.errors.append(
            _("The geometry is %(kind)s: only Polygon and MultiPolygon outline a district.")
            % {"kind": str(kind)[:40] if kind else _("empty")}
        )
        return row
    kind = geometry["type"]
    problem = _outline_problem(geometry)
    if problem:
        row.errors.append(problem)
    else:
        row.outline = {"type": kind, "coordinates": geometry["coordinates"]}
    return row


def _outline_problem(geometry: dict) -> str:
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return _("The outline has no coordinates.")
    swapped = outside = False
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return _("The outline has no coordinates.")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return _("A ring of the outline has fewer than 4 points.")
            for p in ring:
                if not (isinstance(p, list) and len(p) in (2, 3) and all(_is_number(v) for v in p)):
                    return _("The outline holds a point that is not a pair of numbers.")
                lon, lat = p[0], p[1]
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    return _(
                        "The outline has coordinates outside WGS84 (longitude -180 to 180, "
                        "latitude -90 to 90). Export the file in WGS84 (EPSG:4326)."
                    )
                if not in_netherlands(lat, lon):
                    if in_netherlands(lon, lat):
                        swapped = True
                    else:
                        outside = True
            if ring[0] != ring[-1]:
                return _("A ring of the outline is not closed: its last point is not its first.")
    if swapped:
        return _(
            "Longitude and latitude seem to be swapped: GeoJSON gives the longitude first "
            "(about 3.2 to 7.4 in the Netherlands), then the latitude."
        )
    if outside:
        return _("The outline lies (partly) outside the Netherlands. Check the coordinates.")
    return ""


def _rows_check(rows: list[DistrictRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.code or not row.errors:
            row.errors.extend(district_code_errors(row.code, row.level))
        if not row.level and not row.errors:
            row.level = district_level_of(row.code)
        if not row.name:
            row.errors.append(_("The name is missing."))
        elif len(row.name) > 120 or "\x00" in row.name:
            row.errors.append(_("The name is longer than 120 characters."))
        if row.code:
            if row.code in seen:
                row.errors.append(
                    _("The code %(code)s is also in row %(row)s of the file.")
                    % {"code": row.code, "row": seen[row.code]}
                )
            else:
                seen[row.code] = row.row
