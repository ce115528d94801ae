"""Every page in Kazakh, Russian and English, with real translations."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from shelters import services as shelter_services
from shelters import services_placements as shelter_placements
from shelters.models import Shelter
from tests.cases.factories import intake
from tests.personas import PERSONAS
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg", "code"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "code"):
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if not self._skip and re.search(r"[A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]{3}", text):
            self.chunks.add(text)


def visible_text(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks


# Words that are the same in every language: the product name, the language
# names of the switcher, and names of people and places from the test data.
SAME_EVERYWHERE = {"Crisis Ops", "English", "Русский", "Қазақ", "Қазақша"}


def pages_as(client_for, personas, persona: str, language: str) -> dict[str, str]:
    client = client_for(persona)
    user = personas.user(persona)
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
    else:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = {
        "anonymous": ["/accounts/login/"],
        "org_admin": [
            "/",
            "/organisations/staff/",
            reverse("organisations:member_create", args=[personas.center.id]),
        ],
    }
    urls.update({p: ["/"] for p in ("caseworker", "supervisor", "shelter_manager", "coordinator")})
    shelter = Shelter.objects.first()
    if shelter is not None:
        free_bed = shelter.beds.filter(occupancies__isnull=True).first()
        urls["caseworker"] += [
            "/shelters/",
            "/shelters/holds/",
            "/shelters/turn-aways/",
            reverse("shelters:hold_place", args=[shelter.pk]),
        ]
        urls["shelter_manager"] += [
            "/shelters/",
            "/shelters/turn-aways/",
            reverse("shelters:grid", args=[shelter.pk]),
            reverse("shelters:shelter_setup", args=[shelter.pk]),
            reverse("shelters:bed_admit", args=[free_bed.pk]),
        ]
        urls["coordinator"] += ["/shelters/", "/shelters/turn-aways/"]
        urls["org_admin"] += [
            "/shelters/new/",
            reverse("shelters:shelter_setup", args=[shelter.pk]),
        ]
    return {url: client.get(url).content.decode() for url in urls[persona]}


def shelter_scene(personas) -> set[str]:
    """A shelter with a hold, a stay and a turn-away; returns its data-only words."""
    shelter = shelter_with_beds(personas.center, beds=4, kinds=("adult", "child"))
    beds = list(shelter.beds.order_by("label"))
    held = intake(personas.caseworker_other_center, personas.other_center)
    stay = intake(personas.caseworker, personas.center)
    shelter_placements.hold_place(actor=personas.caseworker_other_center, bed=beds[0], case=held)
    # beds[2]: an adult bed (a child's bed takes no adult).
    shelter_placements.stay_admit(actor=personas.shelter_manager, bed=beds[2], case=stay)
    shelter_services.turn_away_record(
        actor=personas.shelter_manager, shelter=shelter, reason="no_bed", bed_kind="adult"
    )
    return {shelter.name, shelter.address, held.survivor.code, stay.survivor.code, held.reference}


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "caseworker", "supervisor", "shelter_manager", "coordinator", "org_admin"],
)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_pages_hold_no_english_left_over(client_for, personas, persona, language):
    data_words = shelter_scene(personas)
    english = pages_as(client_for, personas, persona, "en")
    translated = pages_as(client_for, personas, persona, language)
    people = {str(personas.user(p)) for p in PERSONAS if p != "anonymous"}

    for url, html in translated.items():
        assert f'<html lang="{language}">' in html
        left_over = visible_text(html) & visible_text(english[url])
        left_over = {
            t
            for t in left_over
            if t not in SAME_EVERYWHERE
            and not any(
                name in t
                for name in people
                | data_words
                | {"Center A", "Center B", "alice", "bob", "erlan", "svetlana", "gulnara", "dana"}
            )
        }
        assert left_over == set(), f"{url} in {language} still shows {left_over}"


def test_language_switch_is_remembered_for_the_user(client_for, personas):
    client = client_for("caseworker")

    response = client.post(reverse("set_language"), {"language": "kk", "next": "/"})

    assert response.status_code == 302
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.language == "kk"
    assert '<html lang="kk">' in client.get("/").content.decode()


def test_saved_language_is_used_at_the_next_sign_in(client_for, personas):
    personas.caseworker.language = "ru"
    personas.caseworker.save()

    page = client_for("caseworker").get("/").content.decode()

    assert '<html lang="ru">' in page


def test_anonymous_choice_is_kept_in_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


def test_unknown_language_changes_nothing(client_for, personas):
    client = client_for("caseworker")

    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.language == "en"


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext tools are not installed")
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        entries = [
            b for b in out.split("\n\n") if "msgid" in b and 'msgid ""\nmsgstr ""\n"' not in b
        ]
        assert entries == [], f"{language}: {flag} {entries[:3]}"
