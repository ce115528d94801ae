"""CSV that Excel on Windows opens correctly, Cyrillic and Kazakh letters included.

- UTF-8 with a byte-order mark: without it Excel reads the file as the ANSI code page
  (cp1251) and Kazakh letters, which cp1251 lacks, turn into question marks.
- The delimiter follows the report's language, because Excel splits a CSV on the list
  separator of the Windows locale: ';' in the Russian and Kazakh locales (whose decimal
  separator is the comma), ',' in the English one. A "sep=" first line would force it, but
  Excel then ignores the byte-order mark, so it is not used.
- Suppressed cells are the text "<5", never a number; notes and the paragraph follow the
  table after an empty line, so the table itself stays a clean block to paste.
"""

from __future__ import annotations

import csv
import io

from crisis_ops.core.spreadsheets import spreadsheet_cell
from crisis_ops.reports.exports.table import ExportTable

BOM = "\ufeff"
DELIMITERS = {"ru": ";", "kk": ";", "en": ","}


def delimiter_for(language: str) -> str:
    return DELIMITERS.get(language, ";")


def render_csv(table: ExportTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter_for(table.language), lineterminator="\r\n")
    lines: list[list[str]] = [[table.title, table.period], [], *table.body_lines()]
    if table.baseline:
        lines += [[], list(table.baseline_header), *map(list, table.baseline)]
    lines += [[], *([note] for note in table.notes)]
    if table.paragraph:
        lines.append([table.paragraph])
    # "+4 (+7 %)" would open as a formula: every text cell goes through the one guard.
    writer.writerows([spreadsheet_cell(text) for text in line] for line in lines)
    return (BOM + buffer.getvalue()).encode("utf-8")
