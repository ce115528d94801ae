"""What the protection-order tests share: the police order type, recording an order, URLs."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from protection_orders import services
from protection_orders.models import OrderType

ALMATY = ZoneInfo("Asia/Almaty")
READERS = ("caseworker", "caseworker_same_center", "supervisor")
OUTSIDERS = ("caseworker_other_center", "shelter_manager", "coordinator", "org_admin")


def police_type():
    return OrderType.objects.get(code="police-protection")


def record_order(actor, case, issued_on=None, **extra):
    return services.order_create(
        actor=actor,
        case=case,
        order_type=police_type(),
        number=extra.pop("number", "ЗП-0142"),
        issuing_unit="УП Алмалинского района",
        issued_on=issued_on or timezone.localdate(),
        **extra,
    )


def detail(order):
    return reverse("protection_orders:order_detail", args=[order.id])


def action(name, order):
    return reverse(f"protection_orders:{name}", args=[order.id])


def three_days_old_order(personas, case):
    return record_order(
        personas.caseworker,
        case,
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        conditions="Не приближаться ближе 100 м",
    )
