"""Numbers as each language writes them (1 234 and 25,3 in ru/kk; 1,234 and 25.3 in en)."""

from __future__ import annotations

from django.utils import formats, translation


def number(value: float | int, language: str, decimals: int | None = None) -> str:
    # Django's kk locale has no separators; Kazakh writes numbers as Russian does.
    with translation.override("ru" if language == "kk" else language):
        if decimals is None:
            decimals = 0 if float(value).is_integer() else 1
        return formats.number_format(round(value, decimals), decimals, force_grouping=True)
