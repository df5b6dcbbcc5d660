"""Webhook mode: Telegram's secret token is checked on every request; /health reports."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from pathlib import Path

import aiohttp
import pytest

from app.cli import main
from app.runtime import Runtime
from app.settings import load_settings
from recovery.loader import PROTOCOLS_DIR
from tests.fakebot import FakeBotApi
from tests.support.bot import WEBHOOK_SECRET, make_runtime
from tests.support.clock import FakeClock
from tests.support.idle import settled


def help_update(update_id: int, user_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ann"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_772_438_400,
            "chat": {"id": user_id, "type": "private", "first_name": "Ann"},
            "from": user,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def test_updates_with_the_secret_are_handled_others_refused(
    api: FakeBotApi, hooked: tuple[Runtime, str]
) -> None:
    runtime, base = hooked
    assert api.webhook["url"] == "https://bot.example.org/telegram/hook"
    assert api.webhook["secret_token"] == WEBHOOK_SECRET
    async with aiohttp.ClientSession() as http:
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        async with http.post(f"{base}/telegram/hook", json=help_update(1, 31), headers=wrong) as r:
            assert r.status == 403
        async with http.post(f"{base}/telegram/hook", json=help_update(2, 32)) as r:
            assert r.status == 403
        right = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        async with http.post(f"{base}/telegram/hook", data=b"{not json", headers=right) as r:
            assert r.status == 400
        async with http.post(f"{base}/telegram/hook", json=help_update(3, 33), headers=right) as r:
            assert r.status == 200
    await api.wait_for_message(33, contains="What I can do")
    await settled(api, runtime)
    assert api.messages(31) == []
    assert api.messages(32) == []


async def test_health_reports_database_and_backlog(hooked: tuple[Runtime, str]) -> None:
    runtime, base = hooked
    async with aiohttp.ClientSession() as http, http.get(f"{base}/health") as response:
        body = await response.json()
    assert response.status == 200
    assert body == {
        "status": "ok",
        "database": True,
        "pending_messages": 0,
        "oldest_pending_seconds": 0.0,
        "protocols": [
            {"family": p.family, "version": p.version, "status": "draft", "sha256": p.content_hash}
            for p in runtime.services.protocols.all()
        ],
        "alerts": "ok",
    }
    assert [p["family"] for p in body["protocols"]] == ["augmentation", "fusion"]
    assert all(len(p["sha256"]) == 64 for p in body["protocols"])


async def test_start_warns_once_while_a_protocol_is_a_draft(
    api: FakeBotApi,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in ("augmentation.yaml", "fusion.yaml"):
        shutil.copy(PROTOCOLS_DIR / name, tmp_path / name)
    assert (
        main(["protocol", "approve", str(tmp_path / "augmentation.yaml"), "--reviewer", "Dr A"])
        == 0
    )
    caplog.set_level(logging.WARNING)
    async with make_runtime(api, database_url, clock, protocol_dir=str(tmp_path)):
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    drafts = [w for w in warnings if "not signed off" in w]
    assert len(drafts) == 1
    assert "fusion.yaml (fusion 0.1.0: draft)" in drafts[0]
    assert "augmentation" not in drafts[0]

    assert main(["protocol", "approve", str(tmp_path / "fusion.yaml"), "--reviewer", "Dr A"]) == 0
    caplog.clear()
    async with make_runtime(api, database_url, clock, protocol_dir=str(tmp_path)) as runtime:
        assert all(p.approved for p in runtime.services.protocols.all())
    assert not [r for r in caplog.records if "not signed off" in r.getMessage()]


async def test_webhook_mode_needs_a_secret(api: FakeBotApi) -> None:
    from app.settings import SettingsError

    with pytest.raises(SettingsError, match="WEBHOOK_SECRET is required"):
        load_settings(
            env_file=None,
            telegram_bot_token=api.token,
            webhook_url="https://bot.example.org/hook",
        )


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"[1, 2]",
        b"42",
        b"null",
        b'"update"',
        b'{"update_id": "1"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"update_id": 5, "message": ' + b'{"a": ' * 50 + b"1" + b"}" * 50 + b"}",
        b'{"update_id": 6, "message": {"message_id": 1, "date": 1772438400, "text": "/help"}}',
        b'{"update_id": 7, "message": 5}',
    ],
    ids=["list", "list2", "number", "null", "string", "id-str", "deep", "nested", "no-chat", "msg"],
)
async def test_bodies_that_are_not_updates_get_400_not_500(
    hooked: tuple[Runtime, str], body: bytes
) -> None:
    _runtime, base = hooked
    right = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base}/telegram/hook", data=body, headers=right) as r,
    ):
        assert r.status == 400


async def test_a_secret_header_that_is_not_utf8_gets_403_not_500(
    hooked: tuple[Runtime, str],
) -> None:
    _runtime, base = hooked
    reader, writer = await asyncio.open_connection("127.0.0.1", int(base.rsplit(":", 1)[1]))
    body = json.dumps(help_update(9, 39)).encode()
    writer.write(
        b"POST /telegram/hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: \xff\xfe\xc3\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    assert status_line.split()[1] == b"403"
