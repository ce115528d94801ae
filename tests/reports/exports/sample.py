"""A published report as the reports core hands it over: months by region, some suppressed."""

from __future__ import annotations

import datetime

from crisis_ops.reports.exports.standin import BaselineLine, PublishedCell, PublishedReport

MONTHS_KK = ("Қаңтар 2026", "Ақпан 2026", "Наурыз 2026")
REGIONS_KK = ("Алматы қ.", "Астана қ.", "Шымкент қ.")
# True values; the published grid below hides the first small one and one complement.
GRID = ((23, 3, 14), (31, 17, 12), (28, 19, 9))
SUPPRESSED = {(0, 1), (0, 2)}  # "<5" and the complementary cell in the same row
ROW_SUPPRESSED = {0}  # the row total would give the pair away with the other rows' help


def cell(value: int | None) -> PublishedCell:
    return PublishedCell(value, "<5" if value is None else str(value))


def published(
    language: str = "kk", *, two_way: bool = True, paragraph: str | None = None
) -> PublishedReport:
    cells = tuple(
        tuple(
            cell(None if (r, c) in SUPPRESSED else v)
            for c, v in enumerate(row if two_way else row[:1])
        )
        for r, row in enumerate(GRID)
    )
    row_totals = tuple(
        cell(None if r in ROW_SUPPRESSED else sum(row)) for r, row in enumerate(GRID)
    )
    column_totals = tuple(cell(sum(row[c] for row in GRID)) for c in range(3))
    grand = sum(map(sum, GRID)) if two_way else sum(row[0] for row in GRID)
    return PublishedReport(
        figure="incidents",
        figure_label="Оқиғалар" if language == "kk" else "Incidents",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        period_label="Қаңтар – наурыз 2026",
        row_dimension="month",
        row_dimension_label="Ай",
        row_labels=MONTHS_KK,
        column_dimension="region" if two_way else None,
        column_dimension_label="Өңір" if two_way else "",
        column_labels=REGIONS_KK if two_way else (),
        cells=cells,
        row_totals=row_totals if two_way else (),
        column_totals=column_totals if two_way else (),
        grand_total=cell(grand),
        excluded_for_consent=7,
        paragraph=paragraph
        if paragraph is not None
        else "2026 жылғы наурызда орталықтар 56 өтініш қабылдады, бұл алдыңғы үш айдың "
        "орташасынан (52) 8 %-ға көп. Әйелдер, қыздар, ұлдар: ә ғ қ ң ө ұ ү һ і.",
        language=language,
        baseline=(BaselineLine("Наурыз 2026", cell(56), "52", "+8 %", "49", "артық"),),
    )


def published_numbers(report: PublishedReport) -> list[str]:
    """Every number and "<5" the report publishes, cell by cell, totals included."""
    out = [c.display for row in report.cells for c in row]
    out += [c.display for c in (*report.row_totals, *report.column_totals, report.grand_total)]
    return out
