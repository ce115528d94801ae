import pytest

from tests.cases.factories import intake
from tests.referrals.factories import center_partner, consent, partner


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def center_b(personas):
    return center_partner(personas.other_center)


@pytest.fixture
def legal_aid():
    return partner("legal", name="Юридическая клиника «Адилет»")


@pytest.fixture
def center_consent(personas, case):
    """She agrees to a referral to another center, sharing identity and risk band only."""
    return consent(personas.caseworker, case, "referral_center", ["identity", "risk_band"])
