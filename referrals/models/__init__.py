from referrals.models.partner import Partner, PartnerKind
from referrals.models.referral import Referral

__all__ = ["Partner", "PartnerKind", "Referral"]
