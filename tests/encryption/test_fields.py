import datetime
import logging
import uuid
from typing import Any

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from crisis_ops.encryption.cipher import Ciphertext, DecryptionError, EncryptionError
from crisis_ops.encryption.fields import EncryptedTextField
from tests.encryption.conftest import make_person
from tests.encryption_app.models import Person

pytestmark = pytest.mark.django_db

PLAINTEXTS = {
    "full_name": "Әйгерім Нұрланқызы Сейтқали",
    "iin": None,
    "phone": "+7 701 234 56 78",
    "birth_date": datetime.date(1991, 3, 14),
    "address": "Шымкент, мкр. Нурсат, дом 5 — звонить только сестре 📞",
    "safe_contact": {"language": "қазақша", "when": ["вторник", "четверг"], "emoji": "🌷"},
}


def raw_row(person_id: uuid.UUID) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM encryption_app_person WHERE id = %s", [person_id])
        columns = [c.name for c in cursor.description]
        return dict(zip(columns, cursor.fetchone()))


def swap_raw(person_id: uuid.UUID, column: str, value: bytes) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE encryption_app_person SET {column} = %s WHERE id = %s", [value, person_id]
        )


def test_every_field_kind_round_trips():
    person = Person.objects.create(**PLAINTEXTS)

    loaded = Person.objects.get(pk=person.pk)

    for name, value in PLAINTEXTS.items():
        assert getattr(loaded, name) == value, name


def test_empty_string_and_null_stay_distinct():
    empty = make_person(1, phone="", address="")
    null = make_person(2, phone=None)

    assert Person.objects.get(pk=empty.pk).phone == ""
    assert Person.objects.get(pk=null.pk).phone is None
    assert raw_row(empty.pk)["phone"] is not None  # an encrypted empty string
    assert raw_row(null.pk)["phone"] is None
    assert Person.objects.filter(phone__isnull=True).count() == 1


def test_the_database_holds_none_of_the_plaintexts():
    person = Person.objects.create(**PLAINTEXTS)

    row = raw_row(person.pk)
    dump = b"".join(
        bytes(v) if isinstance(v, memoryview) else str(v).encode() for v in row.values()
    )
    for value in PLAINTEXTS.values():
        if value is None:
            continue
        for fragment in (
            str(value).encode(),
            "Сейтқали".encode(),
            b"701 234",
            b"1991-03-14",
            "🌷".encode(),
        ):
            assert fragment not in dump


def test_stored_bytes_carry_version_key_id_and_fresh_nonce():
    first = make_person(1, address="same text")
    second = make_person(2, address="same text")

    a, b = bytes(raw_row(first.pk)["address"]), bytes(raw_row(second.pk)["address"])

    assert a[0] == 1 and a[2 : 2 + a[1]] == b"t1"
    assert a[4:16] != b[4:16]  # nonces differ
    assert a != b


def test_a_flipped_byte_raises():
    person = make_person(1)
    blob = bytearray(raw_row(person.pk)["address"])
    blob[-5] ^= 0x01
    swap_raw(person.pk, "address", bytes(blob))

    loaded = Person.objects.get(pk=person.pk)
    with pytest.raises(DecryptionError, match="encryption_app_person.address row"):
        loaded.address


def test_a_ciphertext_copied_from_another_row_raises():
    victim, other = make_person(1), make_person(2)
    swap_raw(victim.pk, "address", bytes(raw_row(other.pk)["address"]))

    with pytest.raises(DecryptionError, match=str(victim.pk)):
        Person.objects.get(pk=victim.pk).address


def test_a_ciphertext_copied_from_another_column_raises():
    person = make_person(1)
    swap_raw(person.pk, "address", bytes(raw_row(person.pk)["full_name"]))

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk).address


def test_an_unknown_key_id_raises():
    person = make_person(1)
    blob = bytes(raw_row(person.pk)["address"])
    forged = bytes((1, 2)) + b"zz" + blob[4:]
    swap_raw(person.pk, "address", forged)

    with pytest.raises(DecryptionError, match="unknown key id 'zz'"):
        Person.objects.get(pk=person.pk).address


def test_a_wrong_key_raises(keyring_env):
    person = make_person(1)
    keyring_env(data_keys={"t1": "d3JvbmctLWtleS0td3JvbmctLWtleS0td3JvbmctLTE="})

    with pytest.raises(DecryptionError, match="authentication failed"):
        Person.objects.get(pk=person.pk).full_name


def test_decryption_errors_never_contain_the_value(caplog):
    person = make_person(1, address="секретный адрес")
    swap_raw(person.pk, "address", bytes(raw_row(person.pk)["full_name"]))

    with caplog.at_level(logging.DEBUG), pytest.raises(DecryptionError) as excinfo:
        Person.objects.get(pk=person.pk).address

    assert "секрет" not in str(excinfo.value)
    assert "Айгерим" not in str(excinfo.value)
    assert "секрет" not in caplog.text and "Айгерим" not in caplog.text


@pytest.mark.parametrize(
    "lookup", ["full_name", "full_name__icontains", "phone__startswith", "address__in"]
)
def test_lookups_other_than_isnull_raise(lookup):
    value = ["x"] if lookup.endswith("__in") else "x"
    with pytest.raises(FieldError, match="encrypted and cannot be searched"):
        list(Person.objects.filter(**{lookup: value}))


def test_bulk_update_cannot_write_plaintext():
    person = make_person(1)

    with (
        pytest.raises(EncryptionError, match="Refusing to write a plain value"),
        transaction.atomic(),
    ):
        Person.objects.filter(pk=person.pk).update(address="plain text")

    assert Person.objects.get(pk=person.pk).address.startswith("Алматы")


def test_bulk_update_method_cannot_write_plaintext():
    person = make_person(1)
    person.address = "plain text"

    with pytest.raises(EncryptionError), transaction.atomic():
        Person.objects.bulk_update([person], ["address"])


def test_bulk_create_encrypts():
    people = Person.objects.bulk_create(
        [Person(full_name=f"Name {n}", address="adres") for n in range(3)]
    )

    for person in people:
        assert b"adres" not in bytes(raw_row(person.pk)["address"])
        assert Person.objects.get(pk=person.pk).address == "adres"


def test_saving_an_unread_value_keeps_its_ciphertext():
    person = make_person(1)
    before = bytes(raw_row(person.pk)["address"])
    loaded = Person.objects.get(pk=person.pk)

    loaded.region = "astana"
    loaded.save()

    assert bytes(raw_row(person.pk)["address"]) == before


def test_deferred_fields_load_and_decrypt():
    person = make_person(1)

    loaded = Person.objects.only("region").get(pk=person.pk)

    assert loaded.address == person.address


def test_repr_of_a_ciphertext_shows_no_bytes():
    text = repr(Ciphertext(bytes((1, 2)) + b"t1" + b"\x00" * 40))

    assert text == "<Ciphertext key='t1' 44 bytes>"


def test_max_length_counts_characters_of_the_plaintext():
    person = Person(full_name="ә" * 201)

    with pytest.raises(Exception, match="at most 200 characters"):
        person.full_clean()


@isolate_apps("tests.encryption_app")
def test_a_model_without_uuid_key_or_mixin_fails_the_system_check():
    class Counter(models.Model):
        secret = EncryptedTextField()

        class Meta:
            app_label = "encryption_app"

    errors = Counter._meta.get_field("secret").check()

    assert [e.id for e in errors] == ["encryption.E001", "encryption.E005"]


def test_refresh_from_db_sees_a_value_changed_elsewhere():
    person = make_person(1, address="old")
    loaded = Person.objects.get(pk=person.pk)
    person.address = "new"
    person.save()

    loaded.refresh_from_db()

    assert loaded.address == "new"


def test_values_list_returns_the_stored_form_not_plaintext():
    person = make_person(1, address="секрет")

    (stored,) = Person.objects.filter(pk=person.pk).values_list("address", flat=True)

    assert "секрет" not in str(stored)
    assert Person._meta.get_field("address").decrypt_value(person, stored) == "секрет"


def test_full_clean_validates_plaintext_of_new_and_loaded_rows():
    person = make_person(1)
    loaded = Person.objects.get(pk=person.pk)

    loaded.full_clean()  # stored base64 is longer than max_length; plaintext is not
    loaded.full_name = "ә" * 201
    with pytest.raises(ValidationError) as excinfo:
        loaded.full_clean()
    assert set(excinfo.value.message_dict) == {"full_name"}


def test_model_forms_read_and_write_plaintext():
    from django import forms

    class PersonForm(forms.ModelForm[Person]):
        class Meta:
            model = Person
            fields = ["full_name", "address", "birth_date"]

    person = make_person(1)
    loaded = Person.objects.get(pk=person.pk)
    form = PersonForm(instance=loaded)
    assert form.initial["full_name"] == person.full_name

    form = PersonForm(
        {"full_name": "Жанар Бекова", "address": "Шымкент", "birth_date": "1990-02-03"},
        instance=loaded,
    )
    assert form.is_valid(), form.errors
    form.save()

    again = Person.objects.get(pk=person.pk)
    assert (again.full_name, again.address) == ("Жанар Бекова", "Шымкент")
    assert again.birth_date == datetime.date(1990, 2, 3)


def test_a_new_instance_without_a_value_saves_its_default():
    person = Person(full_name="Name")
    person.save()

    assert Person.objects.get(pk=person.pk).address == ""
    assert Person.objects.get(pk=person.pk).phone is None
