"""CSV, XLSX and PDF of one published report carry the same numbers, "<5" where suppressed,
every Kazakh letter, and nothing that identifies a person."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from typing import cast

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from crisis_ops.reports.exports.render import render_report
from crisis_ops.reports.exports.table import export_table
from tests.reports.exports.factories import GRID, published, published_numbers

KAZAKH = "әғқңөұүһі"
FINER_THAN_MONTH = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")


def _csv_lines(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def _table_block(lines: list[list[str]], header_first: str) -> list[list[str]]:
    start = next(i for i, line in enumerate(lines) if line and line[0] == header_first)
    end = next(i for i in range(start, len(lines)) if not lines[i])
    return lines[start:end]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_csv_starts_with_a_byte_order_mark_and_splits_on_the_locales_list_separator():
    for language, delimiter in (("kk", ";"), ("ru", ";"), ("en", ",")):
        data = render_report(published(language), "csv")

        assert data.startswith("\ufeff".encode())
        lines = _csv_lines(data, delimiter)
        block = _table_block(lines, "Ай")
        assert block == export_table(published(language)).body_lines()
        assert all(len(line) == 5 for line in block)


def test_csv_xlsx_and_pdf_publish_the_same_numbers_with_the_suppressed_as_lt5():
    report = published()
    expected = sorted(published_numbers(report))
    assert expected.count("<5") == 1 and expected.count("—") == 2

    block = _table_block(_csv_lines(render_report(report, "csv"), ";"), "Ай")
    from_csv = sorted(text for line in block[1:] for text in line[1:])

    sheet = load_workbook(io.BytesIO(render_report(report, "xlsx"))).worksheets[0]
    rows = list(sheet.iter_rows(min_row=5, max_row=8, min_col=2, max_col=5, values_only=True))
    from_xlsx = sorted(str(v) for row in rows for v in row)
    assert all(isinstance(v, int) or v in ("<5", "—") for row in rows for v in row)

    pdf_lines = _pdf_text(render_report(report, "pdf")).splitlines()

    assert from_csv == expected
    assert from_xlsx == expected
    # Every line of the table, header to totals, reads back from the PDF as one line.
    for line in export_table(report).body_lines():
        assert " ".join(line) in pdf_lines, line
    for row, values in zip(report.cells, GRID, strict=True):
        for published_cell, true_value in zip(row, values, strict=True):
            if published_cell.value is None:
                assert published_cell.display == ("<5" if true_value < 5 else "—")


def test_the_suppressed_true_values_appear_in_no_file():
    report = published()
    hidden = [GRID[0][1], GRID[0][2], sum(GRID[0])]  # 3, 14 and the row total 40
    csv_text = render_report(report, "csv").decode("utf-8-sig")
    pdf_table = _pdf_text(render_report(report, "pdf"))
    book = load_workbook(io.BytesIO(render_report(report, "xlsx")))
    xlsx_values = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}

    first_row = _table_block(_csv_lines(csv_text.encode(), ";"), "Ай")[1]
    assert first_row == ["Қаңтар 2026", "23", "<5", "—", "—"]
    for value in hidden:
        assert value not in xlsx_values
    assert "40" not in pdf_table.split("Қаңтар 2026")[1].splitlines()[0]


def test_the_xlsx_chart_is_native_and_shows_a_gap_not_a_zero_where_suppressed():
    data = render_report(published(), "xlsx")

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        chart_xml = archive.read(charts[0]).decode()
    assert len(charts) == 1
    assert "<lineChart>" in chart_xml  # months: a line chart
    assert '<dispBlanksAs val="gap" />' in chart_xml
    chart_data = load_workbook(io.BytesIO(data)).worksheets[1]
    january = next(chart_data.iter_rows(min_row=2, max_row=2, values_only=True))
    assert january == ("Қаңтар 2026", 23, None, None)


def test_a_one_way_report_gets_a_bar_chart_when_rows_are_not_time():
    report = published(two_way=False)
    rows = type(report.rows)("region", "Өңір", ("a", "b", "c"), ("Алматы", "Астана", "Шымкент"))
    report = dataclasses.replace(report, rows=rows)

    with zipfile.ZipFile(io.BytesIO(render_report(report, "xlsx"))) as archive:
        chart_xml = archive.read("xl/charts/chart1.xml").decode()

    assert "<barChart>" in chart_xml


def test_pdf_text_keeps_every_kazakh_letter_and_embeds_a_font_that_has_them():
    data = render_report(published(), "pdf")

    text = _pdf_text(data)
    for letter in KAZAKH:
        assert letter in text, letter
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = cast(DictionaryObject, page["/Resources"])
        for font in cast(DictionaryObject, resources["/Font"]).values():
            fonts.add(str(cast(DictionaryObject, font)["/BaseFont"]))
    assert fonts and all("DejaVu" in f or "Noto" in f for f in fonts), fonts


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_files_are_in_the_reports_language_and_say_how_many_cases_were_left_out(language):
    expected = {"kk": "7 іс", "ru": "7 случаев", "en": "7 cases"}[language]
    total = {"kk": "Барлығы", "ru": "Итого", "en": "Total"}[language]

    csv_text = render_report(published(language), "csv").decode("utf-8-sig")
    pdf_text = _pdf_text(render_report(published(language), "pdf"))

    for text in (csv_text, pdf_text):
        assert expected in text
        assert total in text


def test_no_file_carries_a_date_finer_than_the_month():
    report = published(paragraph="")
    for fmt in ("csv", "pdf"):
        data = render_report(report, fmt)
        text = data.decode("utf-8-sig") if fmt == "csv" else _pdf_text(data)
        assert not FINER_THAN_MONTH.search(text), FINER_THAN_MONTH.search(text)
    book = load_workbook(io.BytesIO(render_report(report, "xlsx")))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert not any(FINER_THAN_MONTH.search(c) for c in cells)


def test_text_that_looks_like_a_formula_stays_text_in_csv_and_xlsx():
    report = published()
    rows = dataclasses.replace(report.rows, labels=("=HYPERLINK(1)", "+4", "@x"))
    report = dataclasses.replace(report, rows=rows)

    lines = _csv_lines(render_report(report, "csv"), ";")
    sheet = load_workbook(io.BytesIO(render_report(report, "xlsx"))).worksheets[0]

    labels = [line[0] for line in lines if line and line[0][:2] in ("'=", "'+", "'@")]
    assert labels[:3] == ["'=HYPERLINK(1)", "'+4", "'@x"]
    assert sheet["A5"].value == "=HYPERLINK(1)" and sheet["A5"].data_type == "s"
