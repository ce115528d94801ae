"""Nothing personal in an address: searches and duplicate checks go in a POST body, a
query string that carries a name, IIN or phone is refused on every page and endpoint, and
the logs (gunicorn's access log, runserver's) blank what slips through anyway."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from crisis_ops.core.privacy import RedactQueryLogFilter
from crisis_ops.core.redact import redact_query, redact_url
from tests.cases.factories import intake
from tests.urlwalk import every_url

pytestmark = pytest.mark.django_db

LIST = reverse("cases:case_list")


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center, survivor={"full_name": "Жанар Бекова"})


def test_the_search_is_a_post_and_its_results_page_names_nobody(client_for, case):
    client = client_for("caseworker")

    answer = client.post(LIST, {"q": case.survivor.iin, "status": "open"})

    assert answer.status_code == 302
    assert case.survivor.iin not in answer.url
    assert answer.url.startswith(f"{LIST}?status=open&found=")
    page = client.get(answer.url).content.decode()  # Back, reload: a plain GET
    assert case.reference in page
    assert "1 case found by the search." in page


def test_htmx_gets_the_results_and_an_address_to_push_without_the_text(client_for, case):
    client = client_for("caseworker")

    answer = client.post(LIST, {"q": "Бекова"}, HTTP_HX_REQUEST="true")

    assert answer.status_code == 200
    assert case.reference in answer.content.decode()
    assert "Бекова" not in answer["HX-Push-Url"] and "found=" in answer["HX-Push-Url"]
    assert case.reference in client.get(answer["HX-Push-Url"]).content.decode()


def test_a_found_token_is_worth_nothing_in_another_session(client_for, case):
    url = client_for("caseworker").post(LIST, {"q": "Бекова"}).url

    page = client_for("caseworker_same_center").get(url).content.decode()

    assert case.reference not in page
    assert "no longer kept" in page


def test_pages_link_on_without_the_text(client_for, personas, case):
    for _ in range(51):
        intake(personas.caseworker, personas.center, survivor={"full_name": "Жанар Бекова"})
    client = client_for("caseworker")

    page = client.get(client.post(LIST, {"q": "Бекова"}).url).content.decode()

    assert "page=2" in page and "found=" in page
    assert "q=" not in page.split('<div id="results">')[1]


def test_a_search_in_the_address_is_refused(client_for, case):
    response = client_for("caseworker").get(LIST, {"q": case.survivor.iin})

    assert response.status_code == 400
    assert "never sent in the address" in response.content.decode()
    assert case.reference not in response.content.decode()


@pytest.mark.parametrize("name", ["iin", "phone", "search", "full_name"])
def test_every_page_and_endpoint_refuses_a_personal_query_parameter(client_for, case, name):
    client = client_for("caseworker")
    client.raise_request_exception = False
    taken = []
    for url in every_url({"case_id": str(case.pk)}):
        response = client.get(url.path, {name: "900101400013"})
        if response.status_code != 400:
            taken.append((url.path, response.status_code))
    assert taken == []


@pytest.mark.parametrize(
    "url, logged",
    [
        ("/cases/?q=950314412341&page=2", "/cases/?q=*&page=2"),
        ("/cases/?status=open&found=abc", "/cases/?status=open&found=abc"),
        ("/x/?phone=%2B77011234567", "/x/?phone=*"),
        ("/x/?ref=8%20701%20123%2045%2067", "/x/?ref=*"),
        ("/x/?name=Динара", "/x/?name=%D0%94%D0%B8%D0%BD%D0%B0%D1%80%D0%B0"),
        ("/x/?search=Динара", "/x/?search=*"),
        ("/x/?day=2026-11-02", "/x/?day=*"),
        ("/cases/", "/cases/"),
    ],
)
def test_the_log_blanks_what_may_be_personal(url, logged):
    assert redact_url(url) == logged


def test_a_referer_is_blanked_too():
    assert redact_url("https://crisis.example.kz/cases/?q=Динара") == (
        "https://crisis.example.kz/cases/?q=*"
    )
    assert redact_query("") == ""


def test_runserver_request_lines_are_blanked():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /cases/?q=950314412341 HTTP/1.1", "400", "123"), None,
    )  # fmt: skip

    RedactQueryLogFilter().filter(record)

    assert record.getMessage() == '"GET /cases/?q=* HTTP/1.1" 400 123'


def test_runserver_logs_through_the_filter(settings):
    server = settings.LOGGING["loggers"]["django.server"]

    assert "redact_query" in settings.LOGGING["handlers"][server["handlers"][0]]["filters"]
    assert server["propagate"] is False
