"""make bench-cases: a caseworker's case list over encrypted data, against the same over plain.

Seeds 100,000 cases across 20 organisations (5,000 each, one survivor per case) twice
with the same ids and values: into cases.Survivor/cases.Case, encrypted, and into their
plain twins (tests.encryption_app PlainSurvivor/PlainCase). Then measures, in one run,
through Django's test client against PostgreSQL, signed in as one caseworker:
- case_list_p95_ms: GET of the first page of the case list (cases:case_list), against
  case_list_plain_p95_ms: the same page served from the plain twins (bench/cases_plain.py);
- case_list_ratio: the first over the second, the cost of encryption on the page;
- case_list_queries: queries the page makes, the same at page sizes 10 and 50;
- phone_search_p95_ms: the list searched by a survivor's phone number (blind index).
Every survivor's values are sealed with her own data key (per-survivor envelope keys, in
the key store database beside it); survivors_under_own_key counts them.

Run: python -m bench.cases [--smoke]. Results: bench/results/cases.json.
"""

from __future__ import annotations

import datetime
import random
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import common

FULL = {"organisations": 20, "cases_per_org": 5_000, "requests": 500, "searches": 200}
SMOKE = {"organisations": 2, "cases_per_org": 60, "requests": 5, "searches": 3}
CHUNK = 10_000
WARM_UP = 10

_FIRST_NAMES = (
    "Айгерим", "Гульнара", "Динара", "Жанар", "Асель", "Мадина", "Айжан", "Сауле", "Карлыгаш",
    "Балжан", "Анара", "Гаухар", "Жулдыз", "Ботагоз", "Назира", "Айнур", "Елена", "Ольга",
    "Наталья", "Татьяна", "Светлана", "Ирина", "Анна", "Мария", "Юлия", "Екатерина", "Ксения",
    "Дарья", "Алина", "Виктория", "Лаура", "Камила", "Айдана", "Томирис", "Меруерт", "Әсем",
)  # fmt: skip
_SURNAMES = (
    "Ахметова", "Сейтқали", "Нурланова", "Жумабаева", "Касымова", "Сагинтаева", "Омарова",
    "Бекова", "Тұрсынова", "Абдрахманова", "Искакова", "Мухамедиева", "Садыкова", "Есенова",
    "Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Соколова",
    "Михайлова", "Новикова", "Федорова", "Ким", "Пак", "Цой", "Шевченко", "Бондаренко",
)  # fmt: skip
_PATRONYMICS = (
    "Серікқызы", "Ерланқызы", "Болатовна", "Маратовна", "Сергеевна", "Александровна",
    "Нурлановна", "Ивановна",
)  # fmt: skip
_STREETS = (
    "Абая", "Достык", "Толе би", "Жибек жолы", "Сатпаева", "Кабанбай батыра", "Республики",
    "Мира", "Ленина", "Гагарина", "Сейфуллина", "Момышұлы",
)  # fmt: skip
_SAFE_CONTACTS = (
    "",
    "",
    "Звонить только сестре, после 18:00.",
    "Писать в WhatsApp, не звонить: телефон проверяет муж.",
    "Через соседку (кв. 14), назвать себя из поликлиники.",
    "Только по рабочему телефону, 9:00–13:00.",
)
_OPERATORS = ("00", "01", "02", "05", "07", "08", "47", "71", "75", "76", "77", "78")


# --- seeding --------------------------------------------------------------------------------


def staff_for(count: int) -> list[tuple[Any, Any]]:
    """(organisation, caseworker) pairs: a center per region, a caseworker with a second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.models import Membership, Organisation, Region
    from crisis_ops.organisations.roles import Role

    regions = list(Region.objects.order_by("code"))
    staff = []
    for i in range(count):
        organisation, _ = Organisation.objects.get_or_create(
            name=f"Bench crisis center {i + 1:02d}",
            defaults={"kind": Organisation.Kind.NGO, "region": regions[i % len(regions)]},
        )
        user, _ = User.objects.get_or_create(
            username=f"bench-caseworker-{i + 1:02d}", defaults={"language": "ru"}
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": Role.CASEWORKER}
        )
        TOTPDevice.objects.get_or_create(
            user=user, name="authenticator", defaults={"confirmed": True}
        )
        staff.append((organisation, user))
    return staff


def _age_band(birth: datetime.date, today: datetime.date) -> str:
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    for upper, band in ((17, "0-17"), (24, "18-24"), (34, "25-34"), (44, "35-44"), (59, "45-59")):
        if age <= upper:
            return band
    return "60+"


def phone_for(n: int) -> str:
    """A unique Kazakh mobile number in E.164, as the intake stores it, for every n."""
    return f"+77{_OPERATORS[n % len(_OPERATORS)]}{n:07d}"


def case_row(
    n: int, staff: list[tuple[Any, Any]], today: datetime.date
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Survivor and case n, by field name, in database terms (foreign keys as ids)."""
    from bench.encryption import iin_for
    from crisis_ops.encryption.normalise import iin_birth_date

    rng = random.Random(n)  # noqa: S311 - synthetic data, reproducible per row
    organisation, caseworker = staff[n % len(staff)]
    iin = iin_for(n)
    birth = iin_birth_date(iin)
    assert birth is not None
    opened = today - datetime.timedelta(days=rng.randrange(3 * 365))
    created = datetime.datetime.combine(
        opened,
        datetime.time(8 + rng.randrange(11), rng.randrange(60), rng.randrange(60)),
        datetime.UTC,
    )
    name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
    if rng.random() < 0.4:
        name += " " + rng.choice(_PATRONYMICS)
    survivor = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "created_at": created,
        "updated_at": created,
        "organisation": organisation.pk,
        "code": f"S-B{n:07d}",
        "full_name": name,
        "iin": iin if rng.random() < 0.92 else None,
        "birth_date": birth,
        "phone": phone_for(n),
        "address": f"{organisation.region.name_ru}, ул. {rng.choice(_STREETS)} "
        f"{rng.randrange(1, 250)}, кв. {rng.randrange(1, 120)}",
        "safe_contact": rng.choice(_SAFE_CONTACTS),
        "age_band": _age_band(birth, today),
        "sex": "female" if rng.random() < 0.95 else "male",
        "region": organisation.region_id,
        "disability": rng.choices(("none", "physical", "sensory", "unknown"), (88, 5, 3, 4))[0],
    }
    status = rng.choices(("open", "active", "closed"), (25, 40, 35))[0]
    closed = status == "closed"
    case = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "created_at": created,
        "updated_at": created,
        "organisation": organisation.pk,
        "survivor": survivor["id"],
        "reference": f"C-B{n:07d}",
        "assigned_to": caseworker.pk if rng.random() < 0.9 else None,
        "status": status,
        "closed_reason": rng.choice(("resolved", "referred", "lost_contact", "declined"))
        if closed
        else "",
        "closed_at": created + datetime.timedelta(days=rng.randrange(1, 200)) if closed else None,
        "source": rng.choices(
            ("self", "police_102", "hotline_150", "relative", "medical", "other"),
            (30, 30, 20, 10, 7, 3),
        )[0],
        "opened_on": opened,
        "never_disclose_location": rng.random() < 0.1,
        "no_contact_by_phone": rng.random() < 0.08,
        "is_restricted": rng.random() < 0.03,
        "risk_band": rng.choices(("", "standard", "medium", "high"), (10, 45, 30, 15))[0],
    }
    return survivor, case


def seed(sizes: dict[str, int]) -> dict[str, Any]:
    """Fill both copies to the wanted size (resuming where a run stopped) and analyse them."""
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from cases.models import Case, Survivor
    from crisis_ops.encryption import data_keys
    from crisis_ops.encryption.cache import reset_key_cache
    from tests.encryption_app.models import PlainCase, PlainSurvivor

    start = time.perf_counter()
    staff = staff_for(sizes["organisations"])
    organisations = [organisation for organisation, _ in staff]
    total = sizes["organisations"] * sizes["cases_per_org"]
    have = Case.objects.filter(organisation__in=organisations).count()
    plain_have = PlainCase.objects.filter(organisation__in=organisations).count()
    assert have == plain_have, f"{have} encrypted cases but {plain_have} plain: reseed"
    today = timezone.localdate()
    tables = [common.CopyTable(m) for m in (Survivor, Case, PlainSurvivor, PlainCase)]
    # Each survivor's values are sealed with her own data key: a chunk's keys are made in
    # one key-store transaction and kept unwrapped while the chunk is written.
    with override_settings(ENCRYPTION_KEY_CACHE_SIZE=4 * CHUNK):
        reset_key_cache()
        for chunk_start in range(have, total, CHUNK):
            rows = [
                case_row(n, staff, today)
                for n in range(chunk_start, min(total, chunk_start + CHUNK))
            ]
            data_keys.ensure_survivor_keys({survivor["id"] for survivor, _ in rows})
            for survivor, case in rows:
                for table, values in zip(tables, (survivor, case, survivor, case), strict=True):
                    table.add(values)
            # Both copies of a chunk land together, so a stopped run resumes with them in step.
            with transaction.atomic(), connection.cursor() as cursor:
                for table in tables:
                    table.copy(cursor)
            print(
                f"  seeded {min(total, chunk_start + CHUNK):,} / {total:,} cases", file=sys.stderr
            )
    reset_key_cache()  # measure with the serving processes' cache size
    _move_older_seed_to_survivor_keys()
    seeded = total - have if total > have else 0
    if seeded:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table.model._meta.db_table}")
    return {
        "cases": Case.objects.filter(organisation__in=organisations).count(),
        "seeded_now": seeded,
        "seed_s": round(time.perf_counter() - start, 1),
        "staff": staff,
    }


def survivors_by_format() -> dict[str, int]:
    """Survivors whose name is sealed with her own key (format 2) or a keyring key (1)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT get_byte(full_name, 0), count(*) FROM cases_survivor GROUP BY 1 ORDER BY 1"
        )
        counts = dict(cursor.fetchall())
    return {
        "survivors_under_own_key": counts.get(2, 0),
        "survivors_under_keyring_key": counts.get(1, 0),
    }


def _move_older_seed_to_survivor_keys() -> None:
    """A database seeded before per-survivor keys is moved onto them once (resumable)."""
    if not survivors_by_format()["survivors_under_keyring_key"]:
        return
    from crisis_ops.encryption import rotation

    def progress(label: str, done: int, total: int) -> None:
        if done % 10_000 < 1000 or done == total:
            print(f"  moving {label} to per-survivor keys: {done:,} / {total:,}", file=sys.stderr)

    rotation.move_to_survivor_keys(batch_size=1000, progress=progress)


# --- measuring ------------------------------------------------------------------------------

_ROWS = re.compile(r'<ul class="case-rows">.*?</ul>', re.S)


@contextmanager
def _page_size(size: int) -> Iterator[None]:
    from cases import views

    saved = views.PAGE_SIZE
    views.PAGE_SIZE = size
    try:
        yield
    finally:
        views.PAGE_SIZE = saved


def measure_list(client: Any, requests: int) -> dict[str, Any]:
    from django.urls import reverse

    from bench.common import percentile

    real = common.getter(client, reverse("cases:case_list"))
    plain = common.getter(client, reverse("bench_plain_case_list"))
    # The same page: the same rows, names, badges and links, in the same order.
    real_rows = _ROWS.findall(real().content.decode())
    assert real_rows, "the case list shows no cases"
    assert real_rows == _ROWS.findall(plain().content.decode()), "plain page lists other rows"
    rows = real_rows[0].count('<li class="case-row">')

    counts = {}
    for size in (10, 50):
        with _page_size(size):
            counts[size] = (common.count_queries(real), common.count_queries(plain))
    assert counts[10] == counts[50], f"queries grow with the page: {counts}"
    assert counts[50][0] == counts[50][1], f"plain page makes other queries: {counts}"

    for _ in range(WARM_UP):
        real(), plain()
    samples = common.interleaved_samples({"enc": real, "plain": plain}, requests)
    p95 = {name: percentile(values, 95) for name, values in samples.items()}
    return {
        "case_list_rows": rows,
        "case_list_p50_ms": round(percentile(samples["enc"], 50), 2),
        "case_list_p95_ms": round(p95["enc"], 2),
        "case_list_plain_p50_ms": round(percentile(samples["plain"], 50), 2),
        "case_list_plain_p95_ms": round(p95["plain"], 2),
        "case_list_ratio": round(p95["enc"] / p95["plain"], 3),
        # Medians move less with the machine's other work than the tails do.
        "case_list_p50_ratio": round(
            percentile(samples["enc"], 50) / percentile(samples["plain"], 50), 3
        ),
        "case_list_queries": counts[50][0],
        "case_list_queries_by_page_size": {"10": counts[10][0], "50": counts[50][0]},
        "case_list_plain_queries": counts[50][1],
    }


def _poster(client: Any, url: str, data: dict[str, str]) -> Any:
    def post() -> Any:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (url, response.status_code)
        return response

    return post


def measure_phone_search(client: Any, organisation: Any, searches: int) -> dict[str, Any]:
    from django.urls import reverse

    from bench.common import percentile
    from cases.models import Case

    visible = list(
        Case.objects.filter(organisation=organisation, is_restricted=False)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    rng = random.Random(11)  # noqa: S311 - picks cases to search for, not a secret
    wanted = [rng.choice(visible) for _ in range(searches)]
    real_url, plain_url = reverse("cases:case_list"), reverse("bench_plain_case_list")
    found = 0
    samples: dict[str, list[float]] = {"enc": [], "plain": []}
    queries = set()
    for i, reference in enumerate(wanted):
        # The search box posts what was typed (never in a URL); htmx asks for the results.
        params = {"q": phone_for(int(reference.removeprefix("C-B")))}
        real, plain = _poster(client, real_url, params), _poster(client, plain_url, params)
        if i == 0:
            for _ in range(WARM_UP):
                real(), plain()
            queries = {common.count_queries(real), common.count_queries(plain)}
        for name, values in common.interleaved_samples({"enc": real, "plain": plain}, 1).items():
            samples[name] += values
        rows = _ROWS.findall(real().content.decode())
        found += bool(rows) and reference in rows[0]
    p95 = {name: percentile(values, 95) for name, values in samples.items()}
    assert len(queries) == 1, f"plain search makes other queries: {queries}"
    return {
        "phone_search_p50_ms": round(percentile(samples["enc"], 50), 2),
        "phone_search_p95_ms": round(p95["enc"], 2),
        "phone_search_plain_p95_ms": round(p95["plain"], 2),
        "phone_search_ratio": round(p95["enc"] / p95["plain"], 3),
        "phone_search_queries": queries.pop(),
        "phone_search_found": f"{found}/{len(wanted)}",
    }


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, Any]:
    from django.test import override_settings

    from bench.common import write_results

    seeded = seed(sizes)
    organisation, caseworker = seeded.pop("staff")[0]
    results: dict[str, Any] = {"sizes": sizes, **seeded, **survivors_by_format()}
    # The plain page is routed here only, never in the site's own URLconf.
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = common.signed_in_client(caseworker)
        results.update(measure_list(client, sizes["requests"]))
        results.update(measure_phone_search(client, organisation, sizes["searches"]))
    results["targets"] = {
        "case_list_ratio_at_most": 1.25,
        "case_list_p95_ms_below": 150,
        "case_list_queries": "the same at page sizes 10 and 50",
    }
    write_results("cases", results, output)
    return results


def main() -> None:
    common.main(
        __doc__, database="crisis_ops_bench_cases", run=run, full=FULL, smoke=SMOKE, pages=True
    )


if __name__ == "__main__":
    main()
