"""Running ``checkin-bot`` as a real subprocess against the fake Bot API."""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from models import Patient, PatientStatus, create_engine, create_session_factory
from recovery import Procedure
from tests.fakebot import FakeBotApi

__all__ = ["BotProcess", "SendFigures", "midday_zone", "run_workers", "seed_due_patients"]

ROOT = Path(__file__).resolve().parents[2]


def midday_zone(now: datetime) -> tuple[str, time]:
    """A fixed-offset zone where it is about noon now, and a check-in time 30 minutes ago.

    Subprocesses use the real clock; this keeps "due now, today" true at any wall-clock time.
    """
    offset = 12 - now.astimezone(UTC).hour  # local hour = utc hour + offset ~ 12
    offset = max(-12, min(14, offset))
    name = "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
    local = now.astimezone(UTC) + timedelta(hours=offset)
    return name, (local - timedelta(minutes=30)).time().replace(second=0, microsecond=0)


async def seed_due_patients(database_url: str, count: int, *, first_user: int = 10_000) -> None:
    """``count`` active kyphoplasty patients whose check-in is due now (real clock)."""
    now = datetime.now(UTC)
    zone, at = midday_zone(now)
    today = now.astimezone(ZoneInfo(zone)).date()
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine).begin() as session:
            for n in range(count):
                session.add(
                    Patient(
                        telegram_user_id=first_user + n,
                        chat_id=first_user + n,
                        status=PatientStatus.ACTIVE,
                        procedure=Procedure.KYPHOPLASTY,
                        surgery_date=today - timedelta(days=3),
                        timezone=zone,
                        checkin_time=at,
                        consent_at=now,
                        created_at=now,
                        updated_at=now,
                        next_checkin_at=now - timedelta(minutes=30),
                    )
                )
    finally:
        await engine.dispose()


def _die_with_parent() -> list[str]:
    """A command prefix that sends the child SIGTERM when the test process dies (Linux)."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM"] if setpriv else []


class BotProcess:
    """``checkin-bot run`` in a child process, configured only by its environment."""

    started: ClassVar[list[BotProcess]] = []

    def __init__(self, api: FakeBotApi, database_url: str, *args: str, **env: str) -> None:
        self.args = args
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.root_url,
            "DATABASE_URL": database_url,
            "SWEEP_INTERVAL_SECONDS": "0.5",
            "LOG_LEVEL": "WARNING",
            "OPERATOR_IDS": "900",  # someone must receive alerts, or `run` refuses to start
            "WEB_PORT": "0",  # several bots run side by side: no HTTP server
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None
        self._log = bytearray()
        self._drain: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Spawn the bot."""
        self.process = await asyncio.create_subprocess_exec(
            *_die_with_parent(),
            sys.executable,
            "-m",
            "app.cli",
            "--env-file",
            os.devnull,
            "run",
            *self.args,
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        # Read the child's log as it is written: an unread pipe fills at 64 KiB and the child's
        # next log line then blocks its event loop, so it could neither send nor stop.
        self._drain = asyncio.create_task(self._read_log(self.process.stderr))
        BotProcess.started.append(self)

    async def _read_log(self, stream: asyncio.StreamReader | None) -> None:
        assert stream is not None
        while chunk := await stream.read(65536):
            self._log += chunk

    @classmethod
    async def kill_all(cls) -> None:
        """Kill every process still running (test teardown, also after a failure)."""
        while cls.started:
            bot = cls.started.pop()
            if bot.process is not None and bot.process.returncode is None:
                bot.process.kill()
                await bot.process.wait()
            if bot._drain is not None:
                await bot._drain

    def kill(self) -> None:
        """SIGKILL: no cleanup at all."""
        assert self.process is not None
        self.process.kill()

    async def stop(self, timeout: float = 15.0) -> int:  # noqa: ASYNC109
        """SIGTERM and wait; returns the exit code (0 for a clean shutdown)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        try:
            async with asyncio.timeout(timeout):
                return await self.process.wait()
        except TimeoutError as exc:
            self.process.kill()
            await self.process.wait()
            log = await self.stderr()
            raise AssertionError(f"no clean stop in {timeout} s; it logged:\n{log}") from exc

    async def stderr(self) -> str:
        """What the process logged (after it ended)."""
        if self._drain is not None:
            await self._drain
        return self._log.decode(errors="replace")


@dataclass(frozen=True)
class SendFigures:
    """How several workers sent a batch, as the fake Bot API saw it."""

    per_second: float  # combined rate once every worker is sending
    longest_gap: float  # seconds between two consecutive sends, at most
    http_429: int  # sends the fake refused for going over Telegram's limits


async def run_workers(
    api: FakeBotApi, database_url: str, *, workers: int, messages: int, warmup: int, **env: str
) -> SendFigures:
    """Start ``workers`` ``run --worker`` processes, wait for ``messages`` sends, stop them.

    The rate counts from the ``warmup``-th send on (every worker has started by then).

    The fake timestamps each request when its event loop handles it, so a pause of this
    process is a burst of arrivals to it. A full garbage collection of a late test session's
    heap (about 760,000 objects) measured 470 ms: enough for 19 spurious 429s in one CI run.
    The heap there is frozen out of the collector while the workers run.
    """
    bots = [BotProcess(api, database_url, "--worker", **env) for _ in range(workers)]
    gc.collect()
    gc.freeze()
    try:
        await asyncio.gather(*(bot.start() for bot in bots))
        try:
            await api.wait_for(lambda: len(api.all_messages()) >= messages, timeout=300)
        finally:
            codes = await asyncio.gather(*(bot.stop() for bot in bots))
    finally:
        gc.unfreeze()
    assert codes == [0] * workers, [await bot.stderr() for bot in bots]
    sent = sorted(message.received_at for message in api.all_messages())[warmup:]
    return SendFigures(
        per_second=(len(sent) - 1) / (sent[-1] - sent[0]),
        longest_gap=max(b - a for a, b in zip(sent, sent[1:], strict=False)),
        http_429=api.limit_violations,
    )
