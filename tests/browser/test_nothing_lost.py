"""Nothing typed is lost, in Chromium at 360 px: the intake survives a connection that drops
in the middle (CDP offline), the status never claims a save the server does not have,
what waits in the browser is ciphertext only, signing out wipes it, and the idle sign-out
warns first, can be put off, says why it happened and gives the note back afterwards.

Time is the browser's fake clock (page.clock) and the server's frozen one (time_machine),
moved together; nothing here sleeps.
"""

from __future__ import annotations

import datetime
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, IntakeDraft
from tests.browser.factories import fill_the_incident, open_the_case_from_step_2
from tests.cases.factories import intake
from tests.factories import PASSWORD, region
from tests.personas import sign_in
from tests.totp import current_code

pytestmark = pytest.mark.browser

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
STORED = """async () => {
  const out = [];
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) {
      out.push(store.key(i), store.getItem(store.key(i)));
    }
  }
  const open = (name) => new Promise((ok, no) => {
    const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = no;
  });
  const all = (db, name) => new Promise((ok) => {
    const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result);
  });
  for (const info of (indexedDB.databases ? await indexedDB.databases() : [])) {
    const db = await open(info.name);
    for (const name of db.objectStoreNames) { out.push(name, JSON.stringify(await all(db, name))); }
    db.close();
  }
  return out;
}"""
DRAFTS = "() => Object.keys(localStorage).filter((k) => k.startsWith('co-draft:')).length"
# Functions, not expressions: Playwright evaluates an expression with eval, which the CSP
# forbids.
SOME_DRAFTS = f"() => ({DRAFTS})() > 0"
NO_DRAFTS = f"() => ({DRAFTS})() === 0"
# Every text the status shows, with whether the browser was online at that moment.
STATUS_LOG = """() => {
  window.statusLog = [];
  const el = document.getElementById("draft-status");
  new MutationObserver(() => window.statusLog.push([navigator.onLine, el.textContent.trim()]))
    .observe(el, {childList: true, characterData: true, subtree: true});
}"""


def _context(browser, server_url, user):
    client = sign_in(Client(), user)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server_url}]
    )
    return context


_CDP = {}


def _network(page, *, online: bool) -> None:
    """One DevTools session per page: a second one's conditions would not undo the first's."""
    if page not in _CDP:
        _CDP[page] = page.context.new_cdp_session(page)
        _CDP[page].send("Network.enable")
    cdp = _CDP[page]
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def _frozen_clock(page) -> None:
    """The page's clock stands at START and moves only when the test moves it."""
    page.clock.install(time=START - timedelta(seconds=1))
    page.clock.pause_at(START)


def _stored_text(page) -> str:
    return "\n".join(str(value) for value in page.evaluate(STORED))


def _no_plaintext(page, *values: str) -> None:
    stored = _stored_text(page)
    for value in values:
        assert value not in stored, f"{value!r} is stored in plain text in the browser"


def test_the_intake_goes_offline_in_the_middle_and_loses_nothing(
    server_url, browser, personas, artifacts
):
    context = _context(browser, server_url, personas.caseworker)
    page = context.new_page()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    status = page.locator("#draft-status")
    almaty = region("almaty-city")

    page.goto(f"{server_url}/cases/intake/")
    page.evaluate(STATUS_LOG)
    page.get_by_label("Full name").fill("Динара Оспанова")
    page.get_by_label("Phone").fill("8 707 123 45 67")
    expect(status).to_have_text("Draft saved.")

    _network(page, online=False)
    page.get_by_label("IIN").fill("900101400013")
    page.get_by_label("Birth date").fill("1990-01-01")
    page.get_by_label("How to contact her safely").fill("Только через сестру Айгуль")
    page.get_by_label("Address").fill("ул. Абая 15, кв. 7")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Age band").select_option("35-44")
    page.get_by_label("Region").select_option(str(almaty.pk))
    page.get_by_label("Disability").select_option("none")
    expect(status).to_contain_text("Not saved — offline")
    page.wait_for_function(SOME_DRAFTS)
    _no_plaintext(
        page,
        "Динара",
        "Оспанова",
        "900101400013",
        "707 123",
        "сестру Айгуль",
        "Абая",
        "1990-01-01",
    )

    # Next while offline: the page stays (no browser error page) and says so.
    page.get_by_role("button", name="Next").click()
    expect(status).to_contain_text("You are offline: nothing was sent and this page stays")
    assert re.search(r"/cases/intake/(\?step=1)?$", page.url)
    assert page.get_by_label("Address").input_value() == "ул. Абая 15, кв. 7"
    expect(page.locator("#offline-banner")).to_be_visible()
    page.screenshot(path=str(artifacts / "intake-offline-next.png"), full_page=True)
    assert IntakeDraft.objects.get().data["step1"].get("address", "") == ""  # only in the browser

    # The connection comes back: what was typed is sent, then the held Next goes on.
    _network(page, online=True)
    page.wait_for_url(re.compile(r"step=2"))
    saved_log = page.evaluate("window.statusLog || []")  # the log of step 1 is gone with it
    step1 = IntakeDraft.objects.get().data["step1"]
    assert step1["address"] == "ул. Абая 15, кв. 7"
    assert step1["age_band"] == "35-44"
    assert saved_log == [] or all(online or text != "Draft saved." for online, text in saved_log)

    fill_the_incident(page, day=yesterday)
    page.get_by_label("Perpetrator's name").fill("Ерлан Оспанов")
    page.get_by_label("About the perpetrator").fill("Есть охотничье ружьё")
    open_the_case_from_step_2(page)

    case = Case.objects.get()
    survivor = case.survivor
    assert survivor.full_name == "Динара Оспанова"
    assert survivor.iin == "900101400013"
    assert survivor.birth_date == datetime.date(1990, 1, 1)
    assert survivor.phone.endswith("7071234567")
    assert survivor.safe_contact == "Только через сестру Айгуль"
    assert survivor.address == "ул. Абая 15, кв. 7"
    assert (survivor.sex, survivor.age_band, survivor.region_id, survivor.disability) == (
        "female",
        "35-44",
        almaty.pk,
        "none",
    )
    incident = case.incidents.get()
    assert incident.narrative == "Ударил при детях."
    assert (incident.gbvims_class, incident.relationship) == ("physical_assault", "spouse")
    assert incident.violence_types == ["physical"]
    perpetrator = case.perpetrators.get()
    assert (perpetrator.full_name, perpetrator.details) == ("Ерлан Оспанов", "Есть охотничье ружьё")
    assert case.source == "hotline_150"
    assert not IntakeDraft.objects.exists()
    # Synced and finished: nothing of hers is left in the browser.
    page.wait_for_function(NO_DRAFTS)
    context.close()


def test_the_status_never_says_saved_while_offline(server_url, browser, personas):
    context = _context(browser, server_url, personas.caseworker)
    page = context.new_page()
    page.goto(f"{server_url}/cases/intake/")
    page.evaluate(STATUS_LOG)
    status = page.locator("#draft-status")
    page.get_by_label("Full name").fill("Сауле Ахметова")
    expect(status).to_have_text("Draft saved.")

    _network(page, online=False)
    for text in ("Сауле Ахметовна", "Сауле Б. Ахметова", "Сауле Ахметова-Ким"):
        page.get_by_label("Full name").fill(text)
        page.get_by_label("Age band").select_option(index=2)
        expect(status).not_to_have_text("Draft saved.")
    expect(status).to_contain_text("Not saved — offline")
    offline_texts = [text for online, text in page.evaluate("window.statusLog") if not online]
    assert offline_texts and "Draft saved." not in offline_texts

    _network(page, online=True)
    expect(status).to_have_text("Draft saved.")
    assert IntakeDraft.objects.get().data["step1"]["full_name"] == "Сауле Ахметова-Ким"
    page.wait_for_function(NO_DRAFTS)
    context.close()


def test_a_note_typed_offline_is_kept_encrypted_and_sent_when_back(server_url, browser, personas):
    case = intake(personas.caseworker, personas.center)
    context = _context(browser, server_url, personas.caseworker)
    page = context.new_page()
    page.goto(f"{server_url}/cases/{case.pk}/")
    _network(page, online=False)
    page.get_by_label("Note").fill("Муж звонил сестре, угрожал")
    page.wait_for_function(SOME_DRAFTS)
    _no_plaintext(page, "Муж звонил", "угрожал")

    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("You are offline: nothing was sent")).to_be_visible()
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert case.notes.count() == 0

    _network(page, online=True)
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("Муж звонил сестре, угрожал")
    assert [note.text for note in case.notes.all()] == ["Муж звонил сестре, угрожал"]
    page.wait_for_function(NO_DRAFTS)
    context.close()


def test_signing_out_wipes_the_drafts_in_the_browser(server_url, browser, personas):
    case = intake(personas.caseworker, personas.center)
    context = _context(browser, server_url, personas.caseworker)
    page = context.new_page()
    page.goto(f"{server_url}/cases/{case.pk}/")
    page.get_by_label("Note").fill("Черновик, который нельзя оставлять")
    page.wait_for_function(SOME_DRAFTS)

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.evaluate(DRAFTS) == 0
    assert "co-draft:" not in _stored_text(page)
    context.close()


def test_two_minutes_before_the_idle_limit_a_dialog_offers_to_stay_signed_in(
    server_url, browser, personas
):
    with time_machine.travel(START, tick=False) as clock:
        case = intake(personas.caseworker, personas.center)
        context = _context(browser, server_url, personas.caseworker)
        page = context.new_page()
        _frozen_clock(page)
        page.goto(f"{server_url}/cases/{case.pk}/")
        dialog = page.locator("#idle-dialog")
        expect(dialog).to_be_hidden()

        clock.shift(timedelta(minutes=12, seconds=59))
        page.clock.fast_forward("12:59")
        expect(dialog).to_be_hidden()
        clock.shift(timedelta(seconds=2))
        page.clock.fast_forward("00:02")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("signed out in 2 minutes")

        with page.expect_response(re.compile(r"/accounts/session/keepalive/$")) as kept:
            page.get_by_role("button", name="Stay signed in").click()
        assert kept.value.json()["idle_seconds_left"] == 900
        expect(dialog).to_be_hidden()

        # 26 minutes after the page came, 13 after "stay signed in": still signed in.
        clock.shift(timedelta(minutes=13))
        page.clock.fast_forward("13:00")
        page.reload()
        assert page.url.endswith(f"/cases/{case.pk}/")
        context.close()


def test_typing_for_sixteen_minutes_is_activity_and_does_not_sign_her_out(
    server_url, browser, personas
):
    with time_machine.travel(START, tick=False) as clock:
        case = intake(personas.caseworker, personas.center)
        context = _context(browser, server_url, personas.caseworker)
        page = context.new_page()
        _frozen_clock(page)
        page.goto(f"{server_url}/cases/{case.pk}/")
        note = page.get_by_label("Note")
        pings = []

        def count_pings(request):
            if "/session/keepalive/" in request.url:
                pings.append(request.url)

        page.on("request", count_pings)

        for words in ("Она ", "рассказала, ", "что ", "он ", "вернулся."):
            clock.shift(timedelta(minutes=4))
            page.clock.fast_forward("04:00")
            with page.expect_response(re.compile(r"/accounts/session/keepalive/$")):
                note.press_sequentially(words)
        expect(page.locator("#idle-dialog")).to_be_hidden()

        page.get_by_role("button", name="Save note").click()
        page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
        page.wait_for_load_state("networkidle")
        assert [n.text for n in case.notes.all()] == ["Она рассказала, что он вернулся."]
        assert len(pings) >= 5
        context.close()


def test_idle_sign_out_keeps_the_note_and_offers_it_back_after_signing_in(
    server_url, browser, personas, artifacts
):
    user = personas.caseworker
    text = "Позвонила с чужого телефона, просит перезвонить после 18:00"
    with time_machine.travel(START, tick=False) as clock:
        case = intake(user, personas.center)
        context = _context(browser, server_url, user)
        page = context.new_page()
        _frozen_clock(page)
        page.goto(f"{server_url}/cases/{case.pk}/")
        page.get_by_label("Note").fill(text)
        page.wait_for_function(SOME_DRAFTS)

        clock.shift(timedelta(minutes=13, seconds=1))
        page.clock.fast_forward("13:01")
        expect(page.locator("#idle-dialog")).to_be_visible()
        clock.shift(timedelta(minutes=2, seconds=1))
        page.clock.fast_forward("02:01")

        page.wait_for_url(re.compile(r"/accounts/login/\?.*reason=idle"))
        reason = page.locator("#signed-out-reason")
        expect(reason).to_contain_text("You were signed out after 15 minutes without activity.")
        page.screenshot(path=str(artifacts / "idle-sign-out-reason.png"), full_page=True)
        assert page.evaluate(DRAFTS) == 1
        _no_plaintext(page, "чужого телефона", "перезвонить")

        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/accounts/two-factor/"))
        code = current_code(user.totpdevice_set.get())
        page.get_by_label(re.compile("Six-digit code")).fill(code)
        page.get_by_role("button", name="Continue").click()

        page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
        offer = page.get_by_text("What you typed here before was kept on this device.")
        expect(offer).to_be_visible()
        page.get_by_role("button", name="Put it back").click()
        assert page.get_by_label("Note").input_value() == text
        page.get_by_role("button", name="Save note").click()
        page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
        page.wait_for_function(NO_DRAFTS)
        assert [note.text for note in case.notes.all()] == [text]
        context.close()
