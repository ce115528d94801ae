"""A published report as the reports core hands it over: months by region, some suppressed."""

from __future__ import annotations

from crisis_ops.reports.result import Axis, BaselineEntry, Cell, PublishedReport

MONTHS = ("2026-01", "2026-02", "2026-03")
MONTHS_KK = ("Қаңтар 2026", "Ақпан 2026", "Наурыз 2026")
REGIONS_KK = ("Алматы қ.", "Астана қ.", "Шымкент қ.")
# True values; the published grid hides the small one ("<5"), its complement ("—") and the
# row total that would give the pair away.
GRID = ((23, 3, 14), (31, 17, 12), (28, 19, 9))
PRIMARY, COMPLEMENTARY = {(0, 1)}, {(0, 2)}
ROW_SUPPRESSED = {0}


def cell(value: int | None, display: str | None = None) -> Cell:
    if value is None:
        return Cell(None, display or "<5", suppressed=True)
    return Cell(value, str(value))


def _grid_cell(r: int, c: int, value: int) -> Cell:
    if (r, c) in PRIMARY:
        return cell(None, "<5")
    if (r, c) in COMPLEMENTARY:
        return cell(None, "—")
    return cell(value)


def published(
    language: str = "kk", *, two_way: bool = True, paragraph: str | None = None
) -> PublishedReport:
    rows = Axis("month", "Ай", MONTHS, MONTHS_KK)
    if two_way:
        columns: Axis | None = Axis("region", "Өңір", ("a", "b", "c"), REGIONS_KK)
        cells = tuple(
            tuple(_grid_cell(r, c, v) for c, v in enumerate(row)) for r, row in enumerate(GRID)
        )
        row_totals = tuple(
            cell(None, "—") if r in ROW_SUPPRESSED else cell(sum(row)) for r, row in enumerate(GRID)
        )
        column_totals = tuple(cell(sum(row[c] for row in GRID)) for c in range(3))
        grand = sum(map(sum, GRID))
    else:
        columns, column_totals = None, ()
        cells = tuple((cell(row[0]),) for row in GRID)
        row_totals = tuple(cell(row[0]) for row in GRID)
        grand = sum(row[0] for row in GRID)
    return PublishedReport(
        figure_key="incidents",
        figure_label="Оқиғалар" if language == "kk" else "Incidents",
        unit="count",
        period_start="2026-01",
        period_end="2026-03",
        granularity="month",
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=cell(grand),
        excluded_for_consent=7,
        baseline=(
            BaselineEntry("2026-03", 56, 52.0, 4.0, 7.7, 49, 7.0, 14.3, "up", "артық"),
            BaselineEntry("2026-02", None, None, None, None, None, None, None, "", ""),
        ),
        paragraph=paragraph
        if paragraph is not None
        else "2026 жылғы наурызда орталықтар 56 өтініш қабылдады, бұл алдыңғы үш айдың "
        "орташасынан (52) 8 %-ға көп. Әйелдер, қыздар, ұлдар: ә ғ қ ң ө ұ ү һ і.",
        language=language,
        generated_at="2026-04",
    )


def published_numbers(report: PublishedReport) -> list[str]:
    """Every number and suppression mark the report publishes, cell by cell, totals included."""
    out = [c.display for row in report.cells for c in row]
    out += [c.display for c in (*report.row_totals, *report.column_totals, report.grand_total)]
    return out
