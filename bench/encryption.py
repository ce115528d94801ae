"""make bench-encryption: the cost of field encryption against its baselines.

Measures, in one run:
- field_roundtrip_per_s: our field's encrypt+decrypt of a 200-byte value, against
  raw_aesgcm_roundtrip_per_s: bare AESGCM (fresh nonce, same AAD size) on the same value;
- orm_load_ratio: loading 10,000 rows and reading their five encrypted fields, over
  the same rows in an identical model without encryption;
- orm_load_and_read_ratio_envelope: the same 10,000 rows sealed with the data keys of
  200 survivors (50 rows each) over the same rows under the one keyring key, measured
  interleaved in the same run (keys cached, as in a serving process); the cold figure
  (cache emptied first: 200 keys fetched from the key store and unwrapped) beside it;
- blind_index_lookup_p95_ms: exact IIN lookup among 1,000,000 rows in PostgreSQL,
  through the blind index and the exact-match check after decryption.

Run: python -m bench.encryption [--smoke]. Results: bench/results/encryption.json.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bench import common

if TYPE_CHECKING:
    from django.db.models import Model

    from crisis_ops.encryption.field_base import EncryptedField

FULL = {
    "roundtrips": 100_000,
    "load_rows": 10_000,
    "survivors": 200,
    "lookup_rows": 1_000_000,
    "lookups": 400,
}
SMOKE = {"roundtrips": 2_000, "load_rows": 300, "survivors": 6, "lookup_rows": 2_000, "lookups": 30}
ROUNDS = 9
# 200 bytes of UTF-8: Cyrillic text (2 bytes a letter) padded with ASCII.
VALUE = "Алматы, ул. Абая 150, кв. 12; звонить сестре после 18:00."
VALUE += "." * (200 - len(VALUE.encode()))


def iin_for(n: int) -> str:
    """A unique synthetic IIN with a valid check digit for every n."""
    from crisis_ops.encryption.normalise import iin_check_digit

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 20_000)
    digit = (5 if birth.year >= 2000 else 3) + n % 2
    block = (n // 20_000) * 20
    for serial in range(block, block + 20):
        first = f"{birth:%y%m%d}{digit}{serial:04d}"
        check = iin_check_digit(first)
        if check is not None:
            return f"{first}{check}"
    raise ValueError(n)


def measure_roundtrip(n: int) -> dict[str, float]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from bench.common import interleaved_medians
    from crisis_ops.encryption.keys import get_keyring
    from tests.encryption_app.models import BenchEncrypted

    field = BenchEncrypted._meta.get_field("address")
    instance = BenchEncrypted()
    keyring = get_keyring()
    raw = AESGCM(keyring.data_keys[keyring.active_data_key])
    data = VALUE.encode()
    aad = b"\x01\x02t1" + field.location + instance.pk.bytes
    assert len(data) == 200

    # Both loops look their methods up once, so the loop itself costs the same.
    def ours() -> None:
        encrypt, decrypt = field.encrypt_value, field.decrypt_value
        for _ in range(n):
            decrypt(instance, encrypt(instance, VALUE))

    def bare() -> None:
        encrypt, decrypt, urandom = raw.encrypt, raw.decrypt, os.urandom
        for _ in range(n):
            nonce = urandom(12)
            decrypt(nonce, encrypt(nonce, data, aad), aad)

    medians = interleaved_medians({"ours": ours, "bare": bare}, ROUNDS)
    return {
        "field_roundtrip_per_s": round(n / medians["ours"]),
        "raw_aesgcm_roundtrip_per_s": round(n / medians["bare"]),
        "value_bytes": len(data),
    }


def _seed_load_tables(rows: int) -> None:
    from tests.encryption_app.models import BenchEncrypted, BenchPlain

    if BenchEncrypted.objects.count() >= rows and BenchPlain.objects.count() >= rows:
        return
    BenchEncrypted.objects.all().delete()
    BenchPlain.objects.all().delete()
    for start in range(0, rows, 2000):
        enc, plain = [], []
        for n in range(start, min(rows, start + 2000)):
            values = {
                "full_name": f"Айгерим Сейтқали {n}",
                "iin": iin_for(n),
                "phone": f"+7701{n:07d}",
                "birth_date": datetime.date(1990, 1, 1) + datetime.timedelta(days=n % 9000),
                "address": VALUE,
            }
            enc.append(BenchEncrypted(**values))
            plain.append(BenchPlain(**values))
        BenchEncrypted.objects.bulk_create(enc)
        BenchPlain.objects.bulk_create(plain)


def measure_orm_load(rows: int) -> dict[str, float]:
    from bench.common import interleaved_medians
    from tests.encryption_app.models import BenchEncrypted, BenchPlain

    _seed_load_tables(rows)
    fields = ("full_name", "iin", "phone", "birth_date", "address")

    def load_and_read(model: type[Model]) -> Callable[[], None]:
        def run() -> None:
            for row in model._default_manager.all()[:rows]:
                for name in fields:
                    getattr(row, name)

        return run

    def load_only(model: type[Model]) -> Callable[[], object]:
        return lambda: list(model._default_manager.all()[:rows])

    med = interleaved_medians(
        {
            "enc": load_and_read(BenchEncrypted),
            "plain": load_and_read(BenchPlain),
            "enc_only": load_only(BenchEncrypted),
            "plain_only": load_only(BenchPlain),
        },
        ROUNDS,
    )
    return {
        "orm_load_rows": rows,
        # Loading: rows materialised as model instances. Encrypted values are
        # decrypted on first read, so this is what a page pays for rows it lists.
        "orm_load_ms": round(med["enc_only"] * 1000, 1),
        "orm_load_plain_ms": round(med["plain_only"] * 1000, 1),
        "orm_load_ratio": round(med["enc_only"] / med["plain_only"], 3),
        # Loading and reading all five fields of every row (an export does this).
        "orm_load_and_read_ms": round(med["enc"] * 1000, 1),
        "orm_load_and_read_plain_ms": round(med["plain"] * 1000, 1),
        "orm_load_and_read_ratio": round(med["enc"] / med["plain"], 3),
    }


def _seed_envelope_table(rows: int, survivors: int) -> None:
    from tests.encryption_app.models import BenchEncrypted, BenchEnvelope

    if BenchEnvelope.objects.count() == rows:
        return
    BenchEnvelope.objects.all().delete()
    owners = [uuid.uuid4() for _ in range(survivors)]
    batch = []
    # The same values as the single-key table, row for row.
    for n, row in enumerate(BenchEncrypted.objects.order_by("pk")[:rows]):
        values = {f: getattr(row, f) for f in ("full_name", "iin", "phone", "birth_date")}
        batch.append(
            BenchEnvelope(**values, address=row.address, survivor_id=owners[n % survivors])
        )
    for start in range(0, len(batch), 2000):
        BenchEnvelope.objects.bulk_create(batch[start : start + 2000])


def measure_envelope(rows: int, survivors: int) -> dict[str, float]:
    """Per-survivor keys against the single keyring key, the same rows, one run."""
    from bench.common import interleaved_medians
    from crisis_ops.encryption.cache import reset_key_cache
    from tests.encryption_app.models import BenchEncrypted, BenchEnvelope

    _seed_load_tables(rows)
    _seed_envelope_table(rows, survivors)
    fields = ("full_name", "iin", "phone", "birth_date", "address")

    def load_and_read(model: type[Model]) -> Callable[[], None]:
        def run() -> None:
            for row in model._default_manager.all()[:rows]:
                for name in fields:
                    getattr(row, name)

        return run

    reset_key_cache()
    start = time.perf_counter()
    load_and_read(BenchEnvelope)()
    cold = time.perf_counter() - start
    med = interleaved_medians(
        {"envelope": load_and_read(BenchEnvelope), "single": load_and_read(BenchEncrypted)},
        ROUNDS,
    )
    return {
        "envelope_rows": rows,
        "envelope_survivors": BenchEnvelope.objects.values("survivor_id").distinct().count(),
        "orm_load_and_read_envelope_ms": round(med["envelope"] * 1000, 1),
        "orm_load_and_read_single_key_ms": round(med["single"] * 1000, 1),
        "orm_load_and_read_ratio_envelope": round(med["envelope"] / med["single"], 3),
        "orm_load_and_read_envelope_cold_ms": round(cold * 1000, 1),
    }


def _seed_lookup_table(rows: int) -> None:
    """Fill BenchSearch to ``rows`` rows quickly: ciphertexts made here, loaded by COPY."""
    from django.db import connection

    from crisis_ops.encryption.normalise import iin_check_digit  # noqa: F401 (warm import)
    from tests.encryption_app.models import BenchSearch

    have = BenchSearch.objects.count()
    if have >= rows:
        return
    meta = BenchSearch._meta
    names = ("full_name", "iin", "phone", "birth_date", "address")
    enc = [cast("EncryptedField", meta.get_field(n)) for n in names]
    index = meta.get_field("iin_index")
    columns = ["id"] + [f.column for f in enc] + [index.column]
    instance = BenchSearch()
    chunk = 20_000
    for start in range(have, rows, chunk):
        buffer = io.StringIO()
        for n in range(start, min(rows, start + chunk)):
            instance.pk = uuid.uuid4()
            instance.iin = iin_for(n)
            values = (
                f"Гульнара Ахметова {n}",
                instance.iin,
                f"+7702{n:07d}",
                datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 15000),
                VALUE,
            )
            cells = [str(instance.pk)]
            cells += [
                "\\\\x" + f.encrypt_value(instance, v).hex()
                for f, v in zip(enc, values, strict=True)
            ]
            token = index.token_for(instance)
            cells.append("\\N" if token is None else str(token))
            buffer.write("\t".join(cells) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer)
        print(f"  seeded {min(rows, start + chunk):,} / {rows:,} rows", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {meta.db_table}")


def measure_lookup(rows: int, lookups: int) -> dict[str, float | str]:
    from crisis_ops.encryption.blind_index import blind_search
    from tests.encryption_app.models import BenchSearch

    _seed_lookup_table(rows)
    total = BenchSearch.objects.count()
    rng = random.Random(7)  # noqa: S311 - picks rows to look up, not a secret
    # Row n holds iin_for(n), so any n below the row count is there to be found.
    wanted = [iin_for(rng.randrange(rows)) for _ in range(lookups)]
    queryset = BenchSearch.objects.all()
    for iin in wanted[:20]:  # warm the cache and the plan
        blind_search(queryset, "iin_index", iin)
    times, found, candidates = [], 0, []
    field = BenchSearch._meta.get_field("iin_index")
    for iin in wanted:
        start = time.perf_counter()
        matches = blind_search(queryset, "iin_index", iin)
        times.append((time.perf_counter() - start) * 1000)
        found += bool(matches)
        candidates.append(queryset.filter(iin_index__in=field.tokens(iin)).count())
    from bench.common import percentile

    return {
        "blind_index_rows": total,
        "blind_index_lookup_p50_ms": round(percentile(times, 50), 3),
        "blind_index_lookup_p95_ms": round(percentile(times, 95), 3),
        "blind_index_candidates_mean": round(statistics.mean(candidates), 1),
        "blind_index_bits": field.bits,
        "blind_index_lookups_found": f"{found}/{len(wanted)}",
    }


def run(sizes: dict[str, int], output: Path | None = None) -> dict[str, object]:
    from bench.common import write_results

    results: dict[str, object] = {"sizes": sizes}
    results.update(measure_roundtrip(sizes["roundtrips"]))
    results["roundtrip_vs_raw"] = round(
        cast("float", results["field_roundtrip_per_s"])
        / cast("float", results["raw_aesgcm_roundtrip_per_s"]),
        3,
    )
    results.update(measure_orm_load(sizes["load_rows"]))
    results.update(measure_envelope(sizes["load_rows"], sizes["survivors"]))
    results.update(measure_lookup(sizes["lookup_rows"], sizes["lookups"]))
    results["targets"] = {
        "roundtrip_vs_raw_at_least": 0.5,
        "orm_load_ratio_at_most": 1.3,
        "orm_load_and_read_ratio_envelope_at_most": 1.2,
        "blind_index_lookup_p95_ms_below": 5,
    }
    write_results("encryption", results, output)
    return results


def main() -> None:
    common.main(__doc__, database="crisis_ops_bench", run=run, full=FULL, smoke=SMOKE)


if __name__ == "__main__":
    main()
