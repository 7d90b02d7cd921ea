"""The cold phase's charts as inline SVG: the same markup on the screen, on the projector and in
the PDF (WeasyPrint draws inline SVG). Every chart carries a <title> and <desc>, and every page
that shows one also shows its data as a table: the chart is never the only way to read it.

Colours are presentation attributes, not inline styles: the content security policy allows no
style attributes.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Measure
from .selectors import RankRow

CLASS_LETTERS = "ABCDE"

# Risk cell shading by impact class + likelihood class, calm enough for a projector.
_RISK_FILLS = ("#e8f3e8", "#f4f1d9", "#f9e3c8", "#f6cfc4", "#eebcb8")


def _risk_fill(impact: int, likelihood: int) -> str:
    return _RISK_FILLS[min(4, (impact + likelihood - 2) // 2)]


def _impact_class(row: RankRow) -> int:
    """The impact class row a scenario's weighted mean (as the table shows it) sits in: rounded
    half up, 2.50 is C; a mean below 1 (criteria scored 0, no impact) in class A's row."""
    assert row.impact is not None  # noqa: S101 - only placed rows are asked  # nosec B101
    return min(5, max(1, int(row.impact * 2 + 1) // 2))  # int() floors: the mean is never < 0


def _dot_places(count: int, size: int) -> list[tuple[float, float, float]]:
    """Centres and radius of ``count`` dots inside a square cell of ``size``: one line of up to
    three, more lines below when there are more; with more than nine the dots get smaller so
    they still fit without overlapping."""
    columns = min(count, 3)
    lines = -(-count // columns)
    if lines > 3:
        columns = 4
        while columns * columns < count:
            columns += 1
        lines = -(-count // columns)
    pitch = min(28.0, (size - 6) / max(columns, lines))
    radius = min(12.0, pitch / 2 - 1)
    places = []
    for index in range(count):
        line, column = divmod(index, columns)
        in_line = min(columns, count - line * columns)  # the last line may be shorter
        x = size / 2 + (column - (in_line - 1) / 2) * pitch
        y = size / 2 + (line - (lines - 1) / 2) * pitch
        places.append((x, y, radius))
    return places


def risk_diagram_svg(rows: Sequence[RankRow]) -> SafeString:
    """Impact (vertical) against likelihood (horizontal), classes A–E, as in a regional risk
    profile. Each ranked scenario is a numbered dot: the number is its rank in the table."""
    size, left, top, bottom = 88, 64, 16, 56
    width, height = left + 5 * size + 16, top + 5 * size + bottom
    parts: list[str] = []
    for impact in range(1, 6):
        for likelihood in range(1, 6):
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff"/>',
                    left + (likelihood - 1) * size,
                    top + (5 - impact) * size,
                    size,
                    size,
                    _risk_fill(impact, likelihood),
                )
            )
    for i, letter in enumerate(CLASS_LETTERS):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="15">{}</text>',
                left + i * size + size // 2,
                top + 5 * size + 22,
                letter,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="15">{}</text>',
                left - 10,
                top + (4 - i) * size + size // 2 + 5,
                letter,
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="15">{}</text>',
            left + 5 * size // 2,
            height - 8,
            _("Likelihood →"),
        )
    )
    parts.append(
        format_html(
            '<text x="16" y="{}" text-anchor="middle" font-size="15" '
            'transform="rotate(-90 16 {})">{}</text>',
            top + 5 * size // 2,
            top + 5 * size // 2,
            _("Impact →"),
        )
    )
    # Each dot in the cell of its classes; dots sharing a cell stand side by side, three to a
    # line, so none hides another.
    placed = [r for r in rows if r.rank is not None and r.impact is not None and r.likelihood]
    by_cell: dict[tuple[int, int], list[RankRow]] = defaultdict(list)
    for row in placed:
        assert row.likelihood is not None and row.impact is not None  # noqa: S101 - narrowed above  # nosec B101
        by_cell[(row.likelihood, _impact_class(row))].append(row)
    for (likelihood, impact), cell in by_cell.items():
        cell_left = left + (likelihood - 1) * size
        cell_top = top + (5 - impact) * size
        for row, (x, y, radius) in zip(cell, _dot_places(len(cell), size), strict=True):
            parts.append(
                format_html(
                    '<g><title>{}</title><circle cx="{}" cy="{}" r="{}" fill="#1f3a5f" '
                    'stroke="#ffffff" stroke-width="1.5"/>'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="bold" '
                    'fill="#ffffff">{}</text></g>',
                    f"{row.rank}. {row.scenario.title}",
                    f"{cell_left + x:.1f}",
                    f"{cell_top + y:.1f}",
                    f"{radius:.1f}",
                    f"{cell_left + x:.1f}",
                    f"{cell_top + y + radius * 0.37:.1f}",
                    f"{radius * 1.05:.1f}",
                    row.rank,
                )
            )
    listed = "; ".join(
        f"{r.rank}. {r.scenario.title}: impact {r.impact}, "
        f"{_('likelihood')} {CLASS_LETTERS[(r.likelihood or 1) - 1]}"
        for r in placed
    )
    return format_html(
        '<svg class="chart risk-diagram" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="risk-diagram-title risk-diagram-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif">'
        '<title id="risk-diagram-title">{}</title><desc id="risk-diagram-desc">{}</desc>{}</svg>',
        width,
        height,
        width,
        height,
        _("Risk diagram: impact against likelihood"),
        listed or _("No scenario is fully scored yet."),
        mark_safe("".join(parts)),  # noqa: S308 - every part is built with format_html  # nosec B308 B703
    )


def _months(start: date, end: date, at_most: int = 24) -> list[date]:
    """Month starts between two days, thinned to at most ``at_most`` ticks: a plan typed with
    a due date in the year 9999 still gets a readable axis."""
    months_apart = (end.year - start.year) * 12 + end.month - start.month
    step = max(1, months_apart // at_most + 1)
    months = []
    index = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    while index <= last:
        months.append(date(index // 12, index % 12 + 1, 1))
        index += step
    return months


def _span(days: list[date]) -> tuple[date, date]:
    """The chart's first and last day: a week's margin either side, within the calendar."""
    margin = timedelta(days=7)
    first, last = min(days), max(days)
    first = first - margin if first > date.min + margin else date.min
    last = last + margin if last < date.max - margin else date.max
    return first, last


def timeline_svg(measures: Sequence[Measure], *, today: date) -> SafeString:
    """A bar per measure from its start to its due date, a line for today. Overdue bars are
    hatched red and say so in their label; measures without dates are left out (the table
    lists them)."""
    dated = [m for m in measures if m.due_on is not None]
    if not dated:
        return SafeString("")
    starts: list[date] = [today]
    ends: list[date] = [today]
    for m in dated:
        assert m.due_on is not None  # noqa: S101 - dated above  # nosec B101
        starts.append(m.starts_on or m.due_on)
        ends.append(m.due_on)
    first, last = _span([*starts, *ends])
    span = max((last - first).days, 1)
    label_width, chart_width, row, top = 330, 620, 22, 34
    width = label_width + chart_width + 16
    height = top + row * len(dated) + 12

    def x_of(day: date) -> float:
        return label_width + chart_width * (day - first).days / span

    parts: list[str] = []
    for month in _months(first, last, at_most=8):
        if month < first:
            continue
        parts.append(
            format_html(
                '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#d0d4da"/>'
                '<text x="{x}" y="16" font-size="12" text-anchor="middle">{}</text>',
                top - 8,
                height - 6,
                month.strftime("%m-%Y"),
                x=f"{x_of(month):.1f}",
            )
        )
    for index, measure in enumerate(dated):
        y = top + index * row
        overdue = measure.is_overdue(today)
        start = measure.starts_on or measure.due_on
        assert start is not None and measure.due_on is not None  # noqa: S101 - dated above  # nosec B101
        x1, x2 = x_of(start), x_of(measure.due_on)
        label = f"{measure.code} {measure.title}"
        if len(label) > 44:
            label = label[:43] + "…"
        fill = {
            "gereed": "#3b7a57",
            "gestopt": "#9aa1a9",
            "loopt": "#1f5f99",
            "gepland": "#7fa7cf",
        }.get(measure.status, "#7fa7cf")
        bar_width = max(x2 - x1, 4)
        # "Overdue" in words beside the bar (left of it when the bar ends near the right edge),
        # not only in red.
        late = ""
        if overdue:
            after = x1 + bar_width + 6
            late = format_html(
                '<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#a4161a"{}>{}</text>',
                f"{after if after < width - 90 else x1 - 6:.1f}",
                y + 13,
                format_html(' text-anchor="{}"', "end") if after >= width - 90 else "",
                pgettext("measure", "overdue"),
            )
        parts.append(
            format_html(
                '<g><title>{}</title><text x="{}" y="{}" font-size="12"{}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"{}/>{}</g>',
                f"{measure.code} {measure.title}: {measure.get_status_display()}",
                4,
                y + 13,
                format_html(' fill="{}" font-weight="bold"', "#a4161a") if overdue else "",
                label,
                f"{x1:.1f}",
                y + 3,
                f"{bar_width:.1f}",
                row - 8,
                "#a4161a" if overdue else fill,
                format_html(' stroke="{}" stroke-dasharray="4 2"', "#000000") if overdue else "",
                late,
            )
        )
    parts.append(
        format_html(
            '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#a4161a" stroke-width="2"/>'
            '<text x="{x}" y="{}" font-size="12" text-anchor="middle" fill="#a4161a">{}</text>',
            top - 8,
            height - 4,
            28,
            _("today"),
            x=f"{x_of(today):.1f}",
        )
    )
    overdue_count = sum(1 for m in dated if m.is_overdue(today))
    return format_html(
        '<svg class="chart timeline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg" '
        'font-family="DejaVu Sans, sans-serif"><title id="timeline-title">{}</title>'
        '<desc id="timeline-desc">{}</desc>{}</svg>',
        width,
        height,
        width,
        height,
        _("Timeline of the measures"),
        _("%(count)s measures with a due date, %(overdue)s of them overdue.")
        % {"count": len(dated), "overdue": overdue_count},
        mark_safe("".join(parts)),  # noqa: S308 - every part is built with format_html  # nosec B308 B703
    )


def theme_timeline_svg(measures: Sequence[Measure], *, today: date) -> SafeString:
    """The programme's timeline by theme, for paper: per theme one bar from the first start to
    the last due date of its open measures, a tick at every due date (red and counted in words
    when overdue). A council reads the shape of the programme; the list beside it has every
    measure's dates."""
    open_dated = [m for m in measures if m.due_on is not None and m.status in ("gepland", "loopt")]
    if not open_dated:
        return SafeString("")
    themes: dict[str, list[Measure]] = defaultdict(list)
    for m in open_dated:
        themes[m.theme].append(m)
    labels = {m.theme: m.get_theme_display() for m in open_dated}
    starts: list[date] = [today]
    ends: list[date] = [today]
    for m in open_dated:
        assert m.due_on is not None  # noqa: S101 - open_dated has due dates  # nosec B101
        starts.append(m.starts_on or m.due_on)
        ends.append(m.due_on)
    first, last = _span([*starts, *ends])
    span = max((last - first).days, 1)
    # A theme's name on one line, its counts on the next: long Dutch theme names fit.
    label_width, chart_width, row, top = 280, 640, 38, 34
    width = label_width + chart_width + 16
    height = top + row * len(themes) + 12

    def x_of(day: date) -> float:
        return label_width + chart_width * (day - first).days / span

    parts: list[str] = []
    for month in _months(first, last, at_most=8):
        if month < first:
            continue
        parts.append(
            format_html(
                '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#d0d4da"/>'
                '<text x="{x}" y="16" font-size="12" text-anchor="middle">{}</text>',
                top - 8,
                height - 6,
                month.strftime("%m-%Y"),
                x=f"{x_of(month):.1f}",
            )
        )
    ordered = sorted(themes.items(), key=lambda item: str(labels[item[0]]))
    for index, (theme, own) in enumerate(ordered):
        y = top + index * row
        late = sum(1 for m in own if m.is_overdue(today))
        dues = [m.due_on for m in own if m.due_on is not None]
        begin = min([*(m.starts_on for m in own if m.starts_on is not None), *dues])
        end = max(dues)
        summary = _("%(count)s open") % {"count": len(own)}
        if late:
            summary += ", " + _("%(count)s overdue") % {"count": late}
        ticks = "".join(
            format_html(
                '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{}" stroke-width="2"/>',
                y + 2,
                y + row - 10,
                "#a4161a" if m.is_overdue(today) else "#0b2545",
                x=f"{x_of(due):.1f}",
            )
            for m in own
            if (due := m.due_on) is not None
        )
        parts.append(
            format_html(
                '<g><text x="4" y="{}" font-size="12" font-weight="bold">{}</text>'
                '<text x="4" y="{}" font-size="11"{}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#7fa7cf"/>{}</g>',
                y + 13,
                labels[theme],
                y + 27,
                format_html(' fill="{}" font-weight="bold"', "#a4161a") if late else "",
                summary,
                f"{x_of(begin):.1f}",
                y + 6,
                f"{max(x_of(end) - x_of(begin), 4):.1f}",
                row - 18,
                mark_safe(ticks),  # noqa: S308 - built with format_html  # nosec B308 B703
            )
        )
    parts.append(
        format_html(
            '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#a4161a" stroke-width="2"/>'
            '<text x="{x}" y="{}" font-size="12" text-anchor="middle" fill="#a4161a">{}</text>',
            top - 8,
            height - 4,
            28,
            _("today"),
            x=f"{x_of(today):.1f}",
        )
    )
    return format_html(
        '<svg class="chart timeline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="theme-timeline-title" xmlns="http://www.w3.org/2000/svg" '
        'font-family="DejaVu Sans, sans-serif"><title id="theme-timeline-title">{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        _("Timeline of the open measures by theme"),
        mark_safe("".join(parts)),  # noqa: S308 - every part is built with format_html  # nosec B308 B703
    )
