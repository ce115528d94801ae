"""A data key per survivor: every value of hers is sealed with it, it is stored only
wrapped in the key store database, cached for a bounded time, and can be destroyed."""

import datetime
import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import connections, transaction
from django.utils import timezone

from cases import services as case_services
from cases import services_intake
from cases.models import Case, IntakeDraft, Survivor
from crisis_ops.encryption import data_keys
from crisis_ops.encryption.cache import KeyCache, key_cache, reset_key_cache
from crisis_ops.encryption.cipher import Ciphertext, DecryptionError, EncryptionError, encrypt
from crisis_ops.encryption.data_keys import (
    destroy_survivor_key,
    key_for_survivor,
    survivor_key_exists,
)
from crisis_ops.encryption.field_base import OWNER_ATTRIBUTE, encrypted_fields
from crisis_ops.encryption.keys import get_keyring
from crisis_ops.encryption.rotation import encrypted_models
from crisis_ops.keystore.models import DestroyedKey, WrappedDataKey
from protection_orders import services as order_services
from tests.cases.factories import intake
from tests.protection_orders.factories import record_order
from tests.referrals.factories import center_partner, refer
from tests.shelters.factories import shelter_with_beds, stay_for

pytestmark = pytest.mark.django_db

# Encrypted models no survivor owns: their values stay under the keyring's key.
UNOWNED = {
    "shelters.Shelter",  # the shelter's street address: the organisation's
    "core.IdempotencyKey",  # a repeated request's answer: the user's, kept for a day
    # A legal hold's reason: the staff's, about a case it names by a plain case id (no
    # foreign key to reach her by), so it stays under the keyring's key.
    "retention.LegalHold",
    "encryption_app.Person",
    "encryption_app.BenchEncrypted",
    "encryption_app.BenchSearch",
}
OWNED = {
    "encryption_app.BenchEnvelope",
    "cases.Survivor",
    "cases.Incident",
    "cases.Perpetrator",
    "cases.Child",
    "cases.Note",
    "cases.ServiceGiven",
    "cases.RiskAssessment",
    "cases.IntakeDraft",
    "protection_orders.ProtectionOrder",
    "protection_orders.PoliceCheck",
    "protection_orders.Violation",
    "shelters.Occupancy",
    "referrals.Referral",
}


def her_file(personas):
    """A case with one row of every kind that holds her encrypted values."""
    actor = personas.caseworker
    case = intake(actor, personas.center)
    case_services.child_add(actor=actor, case=case, first_name="Алихан", birth_year=2019)
    case_services.note_add(actor=actor, case=case, text="Позвонила сестра.")
    case_services.service_record(
        actor=actor,
        case=case,
        kind="legal",
        given_on=timezone.localdate(),
        details="Консультация юриста",
    )
    order = record_order(actor, case, conditions="Не приближаться ближе 100 м")
    order_services.police_check_record(
        actor=actor,
        order=order,
        checked_on=timezone.localdate(),
        unit_officer="УП Алмалинского района",
        outcome="complied",
        notes="Соседи подтвердили",
    )
    order_services.violation_record(
        actor=actor, order=order, occurred_on=timezone.localdate(), description="Пришёл ночью"
    )
    stay_for(personas, case, shelter_with_beds(personas.center), needs="Диета без глютена")
    center_partner(personas.center)
    refer(actor, case, center_partner(personas.other_center), ["identity", "risk_band"])
    return case


def stored_values(model, **filters):
    rows = model._base_manager.filter(**filters)
    return [
        raw for obj in rows for f in encrypted_fields(model) if (raw := f.stored_ciphertext(obj))
    ]


def test_every_encrypted_model_says_whether_a_survivor_owns_it():
    labels = {m._meta.label: m for m in encrypted_models()}
    assert set(labels) == OWNED | UNOWNED
    for label in OWNED:
        assert getattr(labels[label], OWNER_ATTRIBUTE), label
    for label in UNOWNED:
        assert not getattr(labels[label], OWNER_ATTRIBUTE, ""), label


def test_every_value_of_her_file_is_sealed_with_her_own_key(personas):
    case = her_file(personas)
    other = intake(personas.caseworker, personas.center)
    hers = key_for_survivor(case.survivor_id)
    assert hers.header != key_for_survivor(other.survivor_id).header

    found = set()
    for label in OWNED - {"cases.IntakeDraft", "encryption_app.BenchEnvelope"}:
        model = apps.get_model(label)
        path = getattr(model, OWNER_ATTRIBUTE)
        values = stored_values(model, **{path: case.survivor_id})
        assert values, f"{label} has no value of hers to check"
        for raw in values:
            assert raw.is_envelope, label
            assert raw[: len(hers.header)] == hers.header, label
        found.add(label)
    assert found == OWNED - {"cases.IntakeDraft", "encryption_app.BenchEnvelope"}
    # ...and it all reads back through the pages' own code path (lazy descriptors).
    survivor = Survivor.objects.get(pk=case.survivor_id)
    assert survivor.full_name.startswith("Айгерим")
    assert case.protection_orders.get().conditions == "Не приближаться ближе 100 м"


def test_her_data_key_is_stored_only_wrapped_in_the_key_store_database(personas):
    case = intake(personas.caseworker, personas.center)
    key = key_for_survivor(case.survivor_id)
    row = WrappedDataKey.objects.get(survivor_id=case.survivor_id)
    assert row.id == key.key_id and row.wrapping_key_id == "t1"
    assert row._state.db == "keystore"
    with connections["default"].cursor() as cursor:
        tables = connections["default"].introspection.table_names(cursor)
    assert "keystore_wrappeddatakey" not in tables and "cases_survivor" in tables
    with connections["keystore"].cursor() as cursor:
        tables = connections["keystore"].introspection.table_names(cursor)
    assert "keystore_wrappeddatakey" in tables and "cases_survivor" not in tables
    # The stored bytes are not the key: only the keyring unwraps them.
    raw = data_keys.unwrap(
        bytes(row.wrapped),
        key_id=row.id,
        survivor_id=row.survivor_id,
        wrapping_key_id="t1",
        keyring=get_keyring(),
    )
    assert raw not in bytes(row.wrapped)
    with pytest.raises(DecryptionError, match="does not unwrap"):
        data_keys.unwrap(
            bytes(row.wrapped),
            key_id=row.id,
            survivor_id=uuid.uuid4(),  # another survivor's row: the wrap is bound to hers
            wrapping_key_id="t1",
            keyring=get_keyring(),
        )


def test_a_rolled_back_intake_leaves_only_a_harmless_unused_key(personas):
    class Abort(Exception):
        pass

    survivors_before = Survivor.objects.count()
    keys_before = WrappedDataKey.objects.count()
    with pytest.raises(Abort), transaction.atomic():
        case = intake(personas.caseworker, personas.center)
        survivor_id = case.survivor_id
        raise Abort
    # The key was committed first, in its own database; the values it sealed never were.
    assert Survivor.objects.count() == survivors_before
    assert WrappedDataKey.objects.count() == keys_before + 1
    assert survivor_key_exists(survivor_id=survivor_id)
    # The next intake is unaffected.
    again = intake(personas.caseworker, personas.center)
    assert Survivor.objects.get(pk=again.survivor_id).full_name.startswith("Айгерим")


def test_destroying_her_key_makes_her_values_unreadable_and_no_one_elses(personas):
    case = her_file(personas)
    other = intake(personas.caseworker, personas.center)
    survivor_id = case.survivor_id
    assert survivor_key_exists(survivor_id=survivor_id)

    assert destroy_survivor_key(survivor_id=survivor_id) is True
    assert destroy_survivor_key(survivor_id=survivor_id) is False  # idempotent
    assert not survivor_key_exists(survivor_id=survivor_id)
    assert DestroyedKey.objects.filter(survivor_id=survivor_id).exists()

    # Evicted from this process's cache: a fresh read fails at once, in every table.
    with pytest.raises(DecryptionError, match="not in the key store"):
        Survivor.objects.get(pk=survivor_id).full_name
    with pytest.raises(DecryptionError, match="cases_note.text"):
        Case.objects.get(pk=case.pk).notes.get().text
    with pytest.raises(DecryptionError):
        case.protection_orders.get().conditions
    # Nothing new can be written for her: no silent fresh key after an erasure.
    survivor = Survivor.objects.get(pk=survivor_id)
    survivor.address = "новый адрес"
    with pytest.raises(EncryptionError, match="erased"), transaction.atomic():
        survivor.save()
    # Everyone else still reads.
    assert Survivor.objects.get(pk=other.survivor_id).full_name.startswith("Айгерим")


def test_another_process_still_holding_her_key_loses_it_within_the_cache_time(personas, settings):
    settings.ENCRYPTION_KEY_CACHE_SECONDS = 300
    reset_key_cache()
    start = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        case = intake(personas.caseworker, personas.center)
        reset_key_cache()
        assert Survivor.objects.get(pk=case.survivor_id).full_name  # now cached here
        # Another process destroys it: this one's cache is not told.
        WrappedDataKey.objects.filter(survivor_id=case.survivor_id).delete()
        clock.shift(datetime.timedelta(seconds=299))
        assert Survivor.objects.get(pk=case.survivor_id).full_name
        clock.shift(datetime.timedelta(seconds=1))
        with pytest.raises(DecryptionError):
            Survivor.objects.get(pk=case.survivor_id).full_name


def test_values_written_before_per_survivor_keys_still_read(personas):
    case = intake(personas.caseworker, personas.center)
    field = Survivor._meta.get_field("address")
    survivor = Survivor.objects.get(pk=case.survivor_id)
    legacy = encrypt("ул. Жибек Жолы 5".encode(), field._binding(survivor))
    Survivor.objects.filter(pk=survivor.pk).update(address=legacy)
    survivor = Survivor.objects.get(pk=case.survivor_id)
    assert not field.stored_ciphertext(survivor).is_envelope
    assert survivor.address == "ул. Жибек Жолы 5"


def test_a_ciphertext_moved_to_another_survivors_row_does_not_decrypt(personas):
    one = intake(personas.caseworker, personas.center)
    two = intake(personas.caseworker, personas.center)
    field = Survivor._meta.get_field("full_name")
    stolen = field.stored_ciphertext(Survivor.objects.get(pk=one.survivor_id))
    Survivor.objects.filter(pk=two.survivor_id).update(full_name=Ciphertext(stolen))
    with pytest.raises(DecryptionError, match="authentication failed"):
        Survivor.objects.get(pk=two.survivor_id).full_name


def test_an_intake_draft_is_sealed_with_the_key_of_the_survivor_it_will_create(personas):
    actor, center = personas.caseworker, personas.center
    draft = services_intake.intake_draft_save(
        actor=actor, organisation=center, step=1, data={"full_name": "Айгерим"}
    )
    reserved = draft.survivor_id
    (raw,) = stored_values(IntakeDraft, pk=draft.pk)
    assert raw[: data_keys.ENVELOPE_HEADER_BYTES] == key_for_survivor(reserved).header
    case = intake(actor, center)
    assert case.survivor_id == reserved
    assert not IntakeDraft.objects.exists()


def test_a_survivor_id_must_be_a_uuid():
    with pytest.raises(EncryptionError, match="UUID"):
        destroy_survivor_key(survivor_id=42)


# --- the cache ------------------------------------------------------------------------


def test_the_cache_keeps_at_most_its_size_least_recently_used_out_first():
    cache = KeyCache(size=2, seconds=60)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 3)
    assert len(cache) == 2
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def test_the_cache_forgets_an_entry_at_its_time_limit_with_frozen_time():
    with time_machine.travel(datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC), tick=False) as t:
        cache = KeyCache(size=10, seconds=300)
        cache.put("k", "key")
        t.shift(datetime.timedelta(seconds=299))
        assert cache.get("k") == "key"  # a read does not extend its life
        t.shift(datetime.timedelta(seconds=1))
        assert cache.get("k") is None
        assert len(cache) == 0


def test_a_clock_that_goes_back_expires_an_entry_rather_than_keeping_it():
    with time_machine.travel(datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC), tick=False) as t:
        cache = KeyCache(size=10, seconds=300)
        cache.put("k", "key")
        t.shift(datetime.timedelta(hours=-1))
        assert cache.get("k") is None


def test_the_cache_is_sized_from_the_settings(settings, personas):
    settings.ENCRYPTION_KEY_CACHE_SIZE = 3
    reset_key_cache()
    for _ in range(3):
        intake(personas.caseworker, personas.center)
    # Each survivor leaves two entries (by key id and by survivor); never more than 3 kept.
    assert len(key_cache()) == 3


def test_keys_for_many_survivors_at_once_take_a_few_key_store_queries_not_one_each(
    django_assert_max_num_queries,
):
    have = {uuid.uuid4() for _ in range(5)}
    data_keys.ensure_survivor_keys(have)
    erased = uuid.uuid4()
    destroy_survivor_key(survivor_id=erased)
    new = {uuid.uuid4() for _ in range(50)}
    reset_key_cache()
    with django_assert_max_num_queries(8, connection=connections["keystore"]):
        data_keys.ensure_survivor_keys(have | new | {erased})
    assert WrappedDataKey.objects.filter(survivor_id__in=have | new).count() == 55
    assert not survivor_key_exists(survivor_id=erased)
    # Every one is now cached: sealing a value for any of them asks the key store nothing.
    with django_assert_max_num_queries(0, connection=connections["keystore"]):
        for survivor in have | new:
            key_for_survivor(survivor)
    # Loading only never makes a key.
    data_keys.ensure_survivor_keys({uuid.uuid4()}, create=False)
    assert WrappedDataKey.objects.count() == 55
