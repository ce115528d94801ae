"""One English "Active", said differently per thing it describes (issue 12, small things):
Russian and Kazakh inflect it by what is active, so each use has its own context."""

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from cases.models import Case
from protection_orders.models import ProtectionOrder
from referrals.choices import PartnerStatus

# (label, Russian, Kazakh): the words the translators chose, asserted exactly.
WORDS = {
    "case status": ("В работе", "Жұмыста"),
    "order status": ("Действует", "Күшінде"),
    "staff status": ("Работает", "Жұмыс істейді"),
    "partner status": ("Работает", "Жұмыс істейді"),
    "token status": ("Действителен", "Жарамды"),
}


@pytest.mark.parametrize("context", WORDS)
def test_active_has_its_own_russian_and_kazakh_word_per_context(context):
    russian, kazakh = WORDS[context]
    with translation.override("ru"):
        assert pgettext(context, "Active") == russian
    with translation.override("kk"):
        assert pgettext(context, "Active") == kazakh


def test_choice_labels_use_their_context():
    with translation.override("ru"):
        labels = {
            "case": str(Case.Status.ACTIVE.label),
            "order": str(ProtectionOrder.Status.ACTIVE.label),
            "partner": str(PartnerStatus.ACTIVE.label),
        }
    assert labels == {"case": "В работе", "order": "Действует", "partner": "Работает"}


def test_an_active_case_and_an_active_order_read_differently_in_russian():
    with translation.override("ru"):
        assert str(Case.Status.ACTIVE.label) != str(ProtectionOrder.Status.ACTIVE.label)
    with translation.override("en"):
        assert str(Case.Status.ACTIVE.label) == str(ProtectionOrder.Status.ACTIVE.label)
