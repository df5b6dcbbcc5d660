"""Crashes, several instances and a database restart, with real bot processes."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from models import CheckIn, create_engine, create_session_factory
from tests.e2e.processes import BotProcess, run_workers, seed_due_patients
from tests.fakebot import FakeBotApi
from tests.support.databases import PG_URL

FIRST = "Do you have any of these now"


@pytest.fixture(autouse=True)
async def _no_process_outlives_its_test() -> AsyncIterator[None]:
    yield
    await BotProcess.kill_all()


PATIENTS = 300


def first_questions(api: FakeBotApi) -> Counter[int]:
    """How many first questions each patient chat received."""
    return Counter(m.chat_id for m in api.all_messages() if FIRST in (m.text or ""))


async def count_checkins(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(CheckIn)) or 0)
    finally:
        await engine.dispose()


async def test_kill_9_mid_dispatch_loses_nothing_and_duplicates_at_most_the_in_flight(
    api: FakeBotApi, database_url: str
) -> None:
    await seed_due_patients(database_url, PATIENTS)
    # Leases far longer than the test may wait: what the killed bot held comes back only
    # because the restarted one sees it is dead (no heartbeat), not because a lease ran out.
    env = {"OUTBOX_LEASE_SECONDS": "600", "SEND_RATE_PER_SECOND": "29"}
    bot = BotProcess(api, database_url, **env)
    await bot.start()
    await api.wait_for(lambda: len(api.all_messages()) >= 60, timeout=30)
    bot.kill()
    await bot.process.wait()
    delivered_before = len(api.all_messages())
    assert delivered_before < PATIENTS  # killed in the middle

    again = BotProcess(api, database_url, **env)
    await again.start()
    await api.wait_for(lambda: len(first_questions(api)) == PATIENTS, timeout=90)
    assert await again.stop() == 0, await again.stderr()

    received = Counter(m.chat_id for m in api.all_messages())
    duplicates = sum(n - 1 for n in received.values())
    assert set(received) == set(range(10_000, 10_000 + PATIENTS))
    assert duplicates <= 16  # the sender's in-flight bound: one per chat, 16 at most
    assert max(received.values()) <= 2
    assert await count_checkins(database_url) == PATIENTS


needs_postgres = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@needs_postgres
async def test_two_worker_instances_share_dispatch_without_double_sends(
    api: FakeBotApi, postgres_migrated: bool
) -> None:
    from tests.support.databases import fresh_postgres

    url = await fresh_postgres()
    await seed_due_patients(url, PATIENTS)
    workers = [BotProcess(api, url, "--worker", SEND_RATE_PER_SECOND="30") for _ in range(2)]
    await asyncio.gather(*(w.start() for w in workers))
    await api.wait_for(lambda: len(first_questions(api)) == PATIENTS, timeout=60)
    codes = await asyncio.gather(*(w.stop() for w in workers))
    assert codes == [0, 0], [await w.stderr() for w in workers]
    received = Counter(m.chat_id for m in api.all_messages())
    assert len(received) == PATIENTS
    assert max(received.values()) == 1  # no chat got anything twice
    assert await count_checkins(url) == PATIENTS


@needs_postgres
@pytest.mark.real_pacing
async def test_three_workers_share_one_send_budget_within_telegram_limits(
    postgres_migrated: bool,
) -> None:
    """Three workers on one PostgreSQL, one bot token: the fake answers 429 to anything over
    30 sends in a second or 1 a second to a chat. Together they keep to the limits and still
    use at least 95% of them."""
    from tests.support.databases import fresh_postgres

    url = await fresh_postgres()
    await seed_due_patients(url, 600)
    async with FakeBotApi() as api:
        api.enforce_limits()
        figures = await run_workers(
            api, url, workers=3, messages=600, warmup=60, SWEEP_INTERVAL_SECONDS="5"
        )
        received = Counter(m.chat_id for m in api.all_messages())
    assert figures.http_429 == 0
    assert figures.per_second >= 0.95 * 30, figures
    assert len(received) == 600  # everyone
    assert max(received.values()) == 1  # once


def _pg_ctl(action: str) -> None:
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    )


@needs_postgres
@pytest.mark.skipif(
    not shutil.which("pg_ctlcluster") and os.environ.get("CI") != "true",
    reason="needs pg_ctlcluster to restart the local PostgreSQL",
)
async def test_database_restart_is_survived_without_manual_action(
    api: FakeBotApi, postgres_migrated: bool
) -> None:
    from tests.support.databases import fresh_postgres

    url = await fresh_postgres()
    bot = BotProcess(api, url)
    await bot.start()
    await api.wait_for(lambda: api.calls_to("getUpdates"), timeout=20)
    try:
        _pg_ctl("stop")
        api.send_text(776, "/help")  # handled (and failed) while the database is down
        await api.wait_for(lambda: api.pending_updates == 0, timeout=10)
    finally:
        _pg_ctl("start")
    await seed_due_patients(url, 5)
    await api.wait_for(lambda: len(first_questions(api)) == 5, timeout=30)
    api.send_text(777, "/help")
    await api.wait_for_message(777, contains="What I can do", timeout=10)
    assert await bot.stop() == 0
