"""The care team's console over HTTP: signing in through the bot, who is refused, the
headers, CSRF, and the alert board acting on the same alerts as Telegram (both ways)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import Alert, AlertStatus, AuditEvent, ConsoleLogin, ConsoleSession, Outbox
from services.care_team import operators
from services.care_team.record_checkins import HISTORY_SHOWN
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from tests.support.checkin import report_fever
from tests.support.clock import FakeClock
from tests.support.console import (
    ask_for_link,
    base_url,
    console_runtime,
    signed_in_client,
)
from tests.support.factories import make_checkin, make_patient
from tests.support.idle import settled
from views.dates import short_date

COLLEAGUE = 901
STRANGER = 777
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def runtime(api: FakeBotApi, database_url: str, clock: FakeClock) -> AsyncIterator[Runtime]:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    async with console_runtime(api, database_url, clock) as bot:
        yield bot


async def urgent_alert(api: FakeBotApi, runtime: Runtime, clock: FakeClock) -> None:
    """A patient reports a fever at the 09:00 check-in: an URGENT post in the team chat."""
    await report_fever(api, runtime, clock)
    await settled(api, runtime)


async def test_an_operator_signs_in_with_the_link_once(api: FakeBotApi, runtime: Runtime) -> None:
    link = await ask_for_link(api, OPERATOR_ID)
    assert link is not None
    assert link.startswith(base_url(runtime) + "/login/")
    token = link.rsplit("/", 1)[1]
    await settled(api, runtime)  # the send is recorded
    async with runtime.services.session_factory() as session:
        stored = (await session.scalars(select(ConsoleLogin))).all()
        sent = (await session.scalars(select(Outbox).where(Outbox.chat_id == OPERATOR_ID))).all()
    assert [len(row.token_hash) for row in stored] == [64]
    assert all(token not in row.token_hash for row in stored)  # only its hash is kept
    assert all(token not in str(row.payload) for row in sent)  # the outbox forgot the link
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url(runtime), cookie_jar=jar) as http:
        async with http.get(f"/login/{token}") as page:  # a link preview would stop here
            assert page.status == 200
            assert "Sign in" in await page.text()
        async with http.post("/login", data={"token": token}, allow_redirects=False) as reply:
            assert reply.status == 303
            assert reply.headers["Location"] == "/alerts"
            cookie = reply.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Secure" not in cookie  # served over http here
        async with http.get("/alerts") as alerts:
            assert alerts.status == 200
            assert "No open alerts" in await alerts.text()
    async with aiohttp.ClientSession(base_url(runtime)) as other:
        async with other.post("/login", data={"token": token}) as again:
            assert again.status == 403
            assert "no longer works" in await again.text()
        async with other.get(f"/login/{token}") as reused:
            assert reused.status == 403


async def test_an_expired_link_opens_nothing(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    link = await ask_for_link(api, OPERATOR_ID)
    assert link is not None
    clock.advance(minutes=10, seconds=1)
    async with (
        aiohttp.ClientSession(base_url(runtime)) as http,
        http.post("/login", data={"token": link.rsplit("/", 1)[1]}) as reply,
    ):
        assert reply.status == 403
    async with runtime.services.session_factory() as session:
        assert (await session.scalars(select(ConsoleSession))).all() == []


async def test_no_link_for_strangers_or_in_a_group(api: FakeBotApi, runtime: Runtime) -> None:
    assert await ask_for_link(api, STRANGER) is None
    api.send_text(OPERATOR_ID, "/dashboard", chat_id=CARE_TEAM_CHAT)
    await settled(api, runtime)
    assert not any("/login/" in (m.text or "") for m in api.messages(CARE_TEAM_CHAT))
    async with runtime.services.session_factory() as session:
        assert (await session.scalars(select(ConsoleLogin))).all() == []


@pytest.mark.parametrize("path", ["/alerts", "/alerts/board", "/alerts/events", "/"])
async def test_nothing_answers_without_a_session(runtime: Runtime, path: str) -> None:
    async with (
        aiohttp.ClientSession(base_url(runtime)) as http,
        http.get(path, headers={"Cookie": "console_session=forged"}) as reply,
    ):
        assert reply.status == 401
        body = await reply.text()
        assert "Ann" not in body
        if path in ("/alerts", "/"):
            assert "/dashboard" in body  # how to get a link


async def test_every_response_carries_the_security_headers(
    api: FakeBotApi, runtime: Runtime
) -> None:
    async with signed_in_client(api, runtime, OPERATOR_ID) as http, http.get("/alerts") as page:
        headers = page.headers
        html = await page.text()
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert "<script>" not in html
    assert " style=" not in html
    assert 'src="/static/vendor/htmx.min.js"' in html


async def test_acknowledging_on_the_page_edits_the_telegram_posts(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await urgent_alert(api, runtime, clock)
    post = api.last_message(CARE_TEAM_CHAT)
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        async with http.get("/alerts") as page:
            html = await page.text()
        assert "Ann" in html
        assert "Acknowledge" in html
        csrf = CSRF.search(html)
        assert csrf is not None
        async with runtime.services.session_factory() as session:
            alert_id = await session.scalar(select(Alert.id))
        async with http.post(f"/alerts/{alert_id}/acknowledge", data={}) as refused:
            assert refused.status == 403  # no CSRF token
        async with http.post(
            f"/alerts/{alert_id}/acknowledge",
            headers={"X-CSRF-Token": csrf[1], "HX-Request": "true"},
        ) as done:
            assert done.status == 200
            board = await done.text()
    assert "Acknowledged by" in board
    edited = await api.wait_for(
        lambda: "Acknowledged by" in (api.last_message(CARE_TEAM_CHAT).text or "") or None
    )
    assert edited
    assert api.last_message(CARE_TEAM_CHAT).message_id == post.message_id  # edited in place
    async with runtime.services.session_factory() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None
        assert alert.status == AlertStatus.ACKNOWLEDGED
        assert alert.acknowledged_by == OPERATOR_ID


async def test_an_acknowledgement_in_telegram_reaches_the_live_page(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await urgent_alert(api, runtime, clock)
    post = api.last_message(CARE_TEAM_CHAT)
    async with (
        signed_in_client(api, runtime, OPERATOR_ID) as http,
        http.get("/alerts/events", timeout=aiohttp.ClientTimeout(total=10)) as stream,
    ):
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert (await stream.content.readline()).startswith(b"retry:")
        await asyncio.sleep(1.5)  # the stream has read the board once
        api.press_button(OPERATOR_ID, post, "Acknowledge")
        line = await asyncio.wait_for(stream.content.readline(), 5)
        while line.strip() in (b"", b": keep-alive"):
            line = await asyncio.wait_for(stream.content.readline(), 5)
    assert line == b"event: board\n"


async def test_a_removed_operators_session_ends_at_once(api: FakeBotApi, runtime: Runtime) -> None:
    await operators.add_operator(runtime.services, COLLEAGUE, display_name="Dr Ng", actor="t")
    async with signed_in_client(api, runtime, COLLEAGUE) as http:
        async with http.get("/alerts") as before:
            assert before.status == 200
            assert "Signed in as <bdi>Dr Ng</bdi>" in await before.text()
        await operators.remove_operator(runtime.services, COLLEAGUE, actor="t")
        async with http.get("/alerts") as after:
            assert after.status == 401


async def test_signing_out_ends_the_session(api: FakeBotApi, runtime: Runtime) -> None:
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        async with http.get("/alerts") as page:
            csrf = CSRF.search(await page.text())
        assert csrf is not None
        async with http.post("/logout", data={"csrf": csrf[1]}) as out:
            assert out.status == 200
            assert "signed out" in (await out.text()).lower()
        async with http.get("/alerts") as after:
            assert after.status == 401


async def test_an_export_downloads_and_is_audited(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await urgent_alert(api, runtime, clock)
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        async with http.get("/exports") as page:
            csrf = CSRF.search(await page.text())
        assert csrf is not None
        form = {"csrf": csrf[1], "format": "csv", "since": "2026-02-01", "until": "2026-03-02"}
        async with http.post("/exports", data=form) as reply:
            assert reply.status == 200
            assert "attachment" in reply.headers["Content-Disposition"]
            body = await reply.text()
        async with http.post("/exports", data={**form, "until": "2026-01-01"}) as bad:
            assert bad.status == 400
            assert "before the start date" in await bad.text()
        async with http.post("/exports", data={**form, "patient": "P-9999"}) as unknown:
            assert unknown.status == 404
    assert body.startswith("patient_ref,")
    assert "P-" in body
    assert "Ann" not in body  # pseudonymous
    async with runtime.services.session_factory() as session:
        events = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
        ).all()
    assert [(e.actor, e.detail["channel"]) for e in events] == [(f"operator:{OPERATOR_ID}", "web")]


async def test_a_session_idle_for_eight_hours_ends(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        clock.advance(hours=7, minutes=59)
        async with http.get("/alerts") as used:
            assert used.status == 200  # use keeps it alive
        clock.advance(hours=7, minutes=59)
        async with http.get("/alerts") as still:
            assert still.status == 200
        clock.advance(hours=8, minutes=1)
        async with http.get("/alerts") as idle:
            assert idle.status == 401


async def test_the_programme_page_shows_the_figures_and_their_csv(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await urgent_alert(api, runtime, clock)
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        async with http.get("/programme") as page:
            assert page.status == 200
            html = await page.text()
        async with http.get("/programme.csv") as download:
            assert download.status == 200
            assert "attachment" in download.headers["Content-Disposition"]
            body = await download.text()
    assert "Kyphoplasty" in html or "Vertebroplasty" in html
    assert "Urgent alerts per 100 check-ins" in html
    assert "Ann" not in html  # figures only
    assert body.startswith("procedure,week,")
    assert "Ann" not in body


async def test_the_protocol_page_shows_status_hash_rules_and_sources(
    api: FakeBotApi, runtime: Runtime
) -> None:
    async with signed_in_client(api, runtime, OPERATOR_ID) as http, http.get("/protocol") as page:
        assert page.status == 200
        html = await page.text()
    for protocol in runtime.services.protocols.all():
        assert protocol.content_hash in html
    assert "Draft" in html  # the built-in files are not signed off
    assert "Safety floor" in html
    assert 'href="#source-fusion-' in html


async def test_patients_by_risk_and_a_patient_record_with_its_chart(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await urgent_alert(api, runtime, clock)
    await make_patient(runtime.services, user_id=5151, display_name="Bob")
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        async with http.get("/patients") as page:
            assert page.status == 200
            listing = await page.text()
        async with http.get("/patients", params={"q": "bob"}) as search:
            found = await search.text()
        async with http.get("/patients", params={"after": "forged"}) as forged:
            assert forged.status == 200  # a bad cursor starts at the top
        ref = re.search(r'href="/patients/(P-\d+)"><bdi>P-\d+</bdi> · <bdi>Ann</bdi>', listing)
        assert ref is not None
        async with http.get(f"/patients/{ref[1]}") as record:
            assert record.status == 200
            html = await record.text()
        async with http.get("/patients/P-9999") as missing:
            assert missing.status == 404
    assert listing.index("Ann") < listing.index("Bob")  # the open urgent alert first
    assert "Bob" in found
    assert "Ann" not in found
    assert '<figure class="chart" dir="ltr"><svg' in html
    assert "Fever" in html or "fever" in html
    assert "Who viewed this record" in html
    async with runtime.services.session_factory() as session:
        views = (
            await session.scalars(select(AuditEvent).where(AuditEvent.patient_ref == ref[1]))
        ).all()
    assert any(e.detail.get("channel") == "web" for e in views)


async def test_a_long_check_in_history_pages_back_with_an_older_link(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    surgery = date(2025, 12, 1)
    pid = await make_patient(services, user_id=5252, surgery_date=surgery, display_name="Cy")
    for day in range(HISTORY_SHOWN + 2):
        await make_checkin(services, pid, surgery + timedelta(days=day), day, answers={"pain": 3})
    ref = f"P-{pid:04d}"
    async with signed_in_client(api, runtime, OPERATOR_ID) as http:
        async with http.get(f"/patients/{ref}") as latest:
            first = await latest.text()
        older = re.search(
            r'href="(/patients/P-\d+\?before=[\d-]+)#history-heading"[^>]*>2 older', first
        )
        assert older is not None
        async with http.get(older[1]) as page:
            assert page.status == 200
            second = await page.text()
    newest = HISTORY_SHOWN + 1
    assert f"<bdi>{short_date(surgery + timedelta(days=newest))}</bdi> · day {newest}" in first
    assert "day 1 ·" not in first
    assert "older check-ins" not in second
    assert f"<bdi>{short_date(surgery)}</bdi> · day 0" in second
    assert "day 2 ·" not in second
    assert f'href="/patients/{ref}#history-heading">Latest check-ins' in second
