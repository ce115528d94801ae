import datetime

import pytest
from django.db import connection

from crisis_ops.encryption.blind_index import blind_search
from crisis_ops.encryption.normalise import build_iin
from tests.encryption.conftest import make_person
from tests.encryption_app.models import Person

pytestmark = pytest.mark.django_db


def test_find_by_phone_in_any_kazakh_spelling():
    person = make_person(7, phone="+7 701 234 56 78")
    make_person(8, phone="+7 702 111 22 33")

    for typed in ("87012345678", "+7 (701) 234-56-78", "7012345678"):
        assert blind_search(Person.objects.all(), "phone_index", typed) == [person]


def test_find_by_iin():
    iin = build_iin(datetime.date(1988, 5, 20), female=True, serial=42)
    person = make_person(1, iin=iin)
    make_person(2)

    assert blind_search(Person.objects.all(), "iin_index", iin) == [person]


def test_find_by_name_typed_on_a_russian_keyboard():
    person = make_person(1, full_name="Әйгерім Сейтқали")

    assert blind_search(Person.objects.all(), "name_index", "Сейткали Айгерим") == [person]


def test_a_colliding_token_is_not_a_match():
    person = make_person(1, phone="+7 701 234 56 78")
    other = make_person(2, phone="+7 702 999 88 77")
    # Force a collision: give the other row the same token, as truncation can.
    Person.objects.filter(pk=other.pk).update(phone_index=person.phone_index)

    assert blind_search(Person.objects.all(), "phone_index", "+77012345678") == [person]


def test_a_search_value_that_is_not_a_phone_raises_a_clear_error():
    with pytest.raises(ValueError, match="area code"):
        blind_search(Person.objects.all(), "phone_index", "12")


def test_tokens_are_truncated_to_the_configured_bits():
    people = [make_person(n) for n in range(20)]
    bits = Person._meta.get_field("phone_index").bits

    assert all(0 <= p.phone_index < 2**bits for p in people)


def test_the_same_value_gives_different_tokens_in_different_indexes():
    person = make_person(1, full_name="77012345678", phone="77012345678")

    field_name = Person._meta.get_field("name_index")
    field_phone = Person._meta.get_field("phone_index")
    # Same key material, different index names: derived keys differ.
    from crisis_ops.encryption.keys import get_keyring

    keyring = get_keyring()
    assert keyring.index_key("b1", field_name.index_name) != keyring.index_key(
        "b1", field_phone.index_name
    )
    assert person.phone_index is not None


def test_the_index_column_holds_no_plaintext_or_full_hash():
    person = make_person(1)

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone_index FROM encryption_app_person WHERE id = %s", [person.pk])
        (token,) = cursor.fetchone()
    assert isinstance(token, int) and token < 2**16


def test_search_uses_the_index_not_a_scan(django_assert_max_num_queries):
    for n in range(30):
        make_person(n)
    with django_assert_max_num_queries(1):
        blind_search(Person.objects.all(), "phone_index", "+7 701 005 00 00")


def test_index_follows_a_change_of_the_value():
    person = make_person(1, phone="+7 701 234 56 78")
    person.phone = "+7 777 000 11 22"
    person.save()

    assert blind_search(Person.objects.all(), "phone_index", "+77012345678") == []
    assert blind_search(Person.objects.all(), "phone_index", "87770001122") == [person]
