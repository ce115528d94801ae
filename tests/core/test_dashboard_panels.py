"""A new app adds a dashboard panel by registering it; crisis_ops/ is not edited."""

import pytest
from django.urls import reverse

from crisis_ops.core import dashboard
from crisis_ops.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_panels(monkeypatch):
    monkeypatch.setattr(dashboard, "_PANELS", dict(dashboard._PANELS))


def test_a_registered_panel_shows_with_its_context_for_its_role_only(
    client_for, scratch_panels, tmp_path, settings
):
    (tmp_path / "plugged.html").write_text(
        '<section id="card-plugged">{{ greeting }} {{ user.username }} {{ csrf_token }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    dashboard.register_panel(
        "plugged",
        roles=[Role.COORDINATOR],
        template="plugged.html",
        context=lambda user: {"greeting": f"hello-{user.pk}"},
    )

    coordinator = client_for("coordinator").get(reverse("core:dashboard"))
    caseworker = client_for("caseworker").get(reverse("core:dashboard"))

    page = coordinator.content.decode()
    assert 'id="card-plugged"' in page
    assert f"hello-{coordinator.wsgi_request.user.pk}" in page
    assert coordinator.wsgi_request.user.username in page
    assert 'id="card-plugged"' not in caseworker.content.decode()


def test_a_panel_two_of_her_roles_share_shows_once_under_the_first(scratch_panels):
    names = [p.name for p in dashboard.panels_for({Role.CASEWORKER, Role.SUPERVISOR})]
    assert names == ["my_cases", "deadlines", "referrals", "escalations"]
    assert [p.name for p in dashboard.panels_for({Role.SUPERVISOR})] == [
        "deadlines",
        "escalations",
    ]


def test_registering_a_name_again_replaces_the_panel(scratch_panels):
    dashboard.register_panel("figures", roles=[Role.COORDINATOR], template="other.html")
    [figures] = dashboard.panels_for({Role.COORDINATOR})
    assert figures.template == "other.html"


def test_seeders_come_from_every_app_in_their_order():
    from crisis_ops.core.demo import demo_seeders

    modules = [seeder.__module__ for seeder in demo_seeders()]
    assert modules == [
        "crisis_ops.core.demo",
        "cases.demo",
        "protection_orders.demo",
        "shelters.demo",
        "referrals.demo",
        # Two years of history, after today's demo rows.
        "cases.demo_history",
        "protection_orders.demo_history",
        "shelters.demo_history",
        "referrals.demo_history",
    ]
