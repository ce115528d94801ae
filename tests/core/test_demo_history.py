"""seed_demo's two years of history: every month of every center has figures to report."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.demo_history import HISTORY_MONTHS, _History, month_starts
from cases.models import Case, Consent, Incident
from crisis_ops.organisations.models import Organisation
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation
from referrals.models import Referral
from shelters.models import Occupancy, TurnAway
from tests.conftest import KEYSTORE_ALIAS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (about 10 s), inside a transaction rolled back at its end."""
    from django.conf import settings
    from django.db import transaction

    # Both databases: survivors' data keys go to the key store, which commits them at once
    # unless a transaction holds it too; left behind, they broke every later key count.
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        transaction.atomic(using=KEYSTORE_ALIAS),
    ):
        debug, settings.DEBUG = settings.DEBUG, True
        call_command("seed_demo", verbosity=0)
        settings.DEBUG = debug
        yield
        transaction.set_rollback(True, using=KEYSTORE_ALIAS)
        transaction.set_rollback(True)


def test_every_center_has_incidents_in_every_one_of_the_24_months(seeded):
    today = timezone.localdate()
    counts = {}
    for row in (
        Incident.objects.filter(case__reference__startswith="CH-")
        .annotate(month=TruncMonth("occurred_on"))
        .values("case__organisation", "month")
        .annotate(n=Count("id"))
    ):
        counts[(row["case__organisation"], row["month"])] = row["n"]
    months = list(month_starts(today))[:-1]  # this month has only begun
    assert len(months) == HISTORY_MONTHS - 1
    for organisation in Organisation.objects.all():
        monthly = [counts.get((organisation.pk, first), 0) for first in months]
        # Enough that a month's count by center is published, not suppressed as "<5".
        assert min(monthly) >= 5, (organisation.name, monthly)


def test_history_varies_across_every_category_a_report_breaks_down(seeded):
    incidents = Incident.objects.filter(case__reference__startswith="CH-")
    assert incidents.values("gbvims_class").distinct().count() == 6
    assert incidents.values("relationship").distinct().count() == 7
    types = {t for row in incidents.values_list("violence_types", flat=True) for t in row}
    assert types == {"physical", "psychological", "sexual", "economic"}
    cases = Case.objects.filter(reference__startswith="CH-")
    assert cases.values("source").distinct().count() == 6
    assert cases.values("survivor__age_band").distinct().count() == 6
    # Repeat victimisation: some survivors have a second incident.
    assert cases.annotate(n=Count("incidents")).filter(n__gt=1).count() > 50
    # Some cases gave no consent to statistics: the report says how many it left out.
    without = cases.exclude(consents__scope="statistics").count()
    assert 0 < without < cases.count() * 0.15


def test_orders_checks_and_violations_are_all_in_the_past(seeded):
    today = timezone.localdate()
    history = ProtectionOrder.objects.filter(number__contains="-H")
    assert history.count() > 300
    assert not history.filter(expires_on__gte=today).exists()
    assert set(history.values_list("status", flat=True)) == {"expired"}
    checks = PoliceCheck.objects.filter(order__in=history)
    assert checks.count() > history.count() * 2  # most checks done, some missed
    assert checks.count() < history.count() * 4  # 4 are due in a 30-day order
    assert Violation.objects.filter(order__in=history).exists()


def test_history_stays_never_share_a_bed_and_all_ended_before_todays_stays(seeded):
    # Today's demo stays may be of history cases too: history stays are the ended ones.
    stays = Occupancy.objects.filter(
        case__reference__startswith="CH-", ended_at__isnull=False
    ).order_by("bed", "admitted_on")
    assert stays.count() > 100
    previous: dict[object, Occupancy] = {}
    for stay in stays:
        before = previous.get(stay.bed_id)
        assert before is None or before.ended_at.date() < stay.admitted_on
        previous[stay.bed_id] = stay
    current = Occupancy.objects.filter(ended_at__isnull=True, kind="stay")
    first_current = min(current.values_list("admitted_on", flat=True))
    assert max(s.ended_at.date() for s in stays) < first_current
    assert TurnAway.objects.filter(reason="no_bed").count() > 20


def test_history_referrals_are_answered_and_grant_nothing_today(seeded):
    history = Referral.objects.filter(reference__startswith="RH-")
    assert history.count() > 300
    assert set(history.values_list("status", flat=True)) == {"completed", "declined", "cancelled"}
    assert history.values("partner__kind").distinct().count() == 6
    for referral in history.select_related("consent", "partner__kind")[:50]:
        assert referral.consent.scope == referral.partner.kind.consent_scope
        assert referral.sent_at <= (referral.answered_at or referral.cancelled_at)


def test_history_is_the_same_on_every_run(seeded):
    organisation = Organisation.objects.order_by("name").first()
    today = datetime.date(2026, 3, 15)

    def draw():
        rows = _History(random.Random("same"), organisation, None, 0, today)
        for first in month_starts(today):
            rows.month(first, 20)
        return [(c.opened_on, c.source, c.risk_band) for c in rows.cases], [
            (i.occurred_on, i.gbvims_class, i.relationship) for i in rows.incidents
        ]

    assert draw() == draw()
    assert Consent.objects.filter(case__reference__startswith="CH-").exists()
