"""Normal forms for exact search: IIN, phone number, person name.

Each returns the canonical text, or raises ValueError with a message meant for
the caseworker. They never log the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

_IIN_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_IIN_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_check_digit(first_eleven: str) -> int | None:
    """The 12th digit of an IIN, or None where the algorithm gives no valid digit."""
    digits = [int(c) for c in first_eleven]
    for weights in (_IIN_WEIGHTS_1, _IIN_WEIGHTS_2):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def iin_birth_date(iin: str) -> datetime.date | None:
    century = _CENTURY.get(iin[6])
    if century is None:
        return None
    try:
        return datetime.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def normalise_iin(value: str) -> str:
    iin = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{12}", iin):
        raise ValueError(_("An IIN has exactly 12 digits."))
    if iin_check_digit(iin[:11]) != int(iin[11]):
        raise ValueError(_("This IIN's check digit is wrong; please re-check the number."))
    if iin[6] in _CENTURY and iin_birth_date(iin) is None:
        raise ValueError(_("This IIN does not start with a real birth date."))
    return iin


def normalise_phone(value: str) -> str:
    """E.164. Kazakh numbers: 8 7xx…, +7 7xx… and 7xx… (10 digits) are the same number."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        pass
    elif raw.startswith("00"):
        digits = digits[2:]
    elif len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    elif len(digits) == 10 and digits[0] == "7":
        digits = "7" + digits
    if not 8 <= len(digits) <= 15 or digits[0] == "0":
        raise ValueError(_("Enter a phone number with its area code, e.g. +7 701 234 56 78."))
    if digits.startswith("77") and len(digits) != 11:
        raise ValueError(_("A Kazakh phone number has 10 digits after +7."))
    return "+" + digits


# Letters a Russian keyboard lacks are often typed as their nearest Russian
# letter; folding them lets "Сейтқали" find "Сейткали".
_FOLD = str.maketrans(
    {
        "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
        "і": "и", "ё": "е", "й": "и", "ъ": "", "ь": "",
    }
)  # fmt: skip


def normalise_name(value: str) -> str:
    """Unicode-normalised, case- and space-folded, word order ignored."""
    text = unicodedata.normalize("NFKC", value or "").casefold().translate(_FOLD)
    # Drop combining marks left by decomposed input, keep letters of every script.
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        raise ValueError(_("Enter a name."))
    return " ".join(sorted(words))


def name_words(value: str) -> list[str]:
    """The words of a name as ``normalise_name`` folds them, each once."""
    return sorted(set(normalise_name(value).split(" ")))


NORMALISERS = {"iin": normalise_iin, "phone": normalise_phone, "name": normalise_name}


def build_iin(birth_date: datetime.date, *, female: bool, serial: int) -> str:
    """A synthetic IIN with a valid check digit (demo data and tests only).

    ``serial`` picks among the numbers of that birth date; some serials have no
    valid check digit, so the next one that does is used.
    """
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + int(female)
    for candidate in range(serial, serial + 100):
        first_eleven = f"{birth_date:%y%m%d}{century_digit}{candidate % 10000:04d}"
        check = iin_check_digit(first_eleven)
        if check is not None:
            return f"{first_eleven}{check}"
    raise ValueError("no valid IIN near that serial")
