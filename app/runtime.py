"""The composition root: builds database, services, bot, sender and scheduler; runs and stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from telegram.ext import Application

from app.metrics import Metrics
from app.settings import NoAlertRecipientsError, Settings
from bot.app import ALLOWED_UPDATES, build_application, close_requests, register_commands
from bot.flow import FloodGate
from models import create_engine, create_session_factory
from models.migrate import upgrade
from recovery import load_protocols
from scheduler import SWEEPS
from scheduler.heartbeat import Heartbeat
from scheduler.jobs import Sweep, build_scheduler, run_sweeps
from scheduler.pacing import LocalBudget, Pacer, PacingLimits, SendBudget, SharedBudget
from scheduler.sender import OutboxSender
from services.context import Clock, ServiceConfig, Services, SystemClock
from services.health import alert_recipient_count, check_health
from services.metrics import read_gauges
from services.risk_summary import refresh_aged
from views.enrollment.zones import load_gazetteer

if TYPE_CHECKING:  # the web stack is imported only when a web port is set (start-up time)
    from starlette.applications import Starlette

    from web import WebServer

__all__ = ["Mode", "Runtime", "run_until_signal", "service_config"]

log = logging.getLogger(__name__)
Mode = Literal["polling", "webhook", "worker"]


def service_config(settings: Settings) -> ServiceConfig:
    """The part of the settings the use cases read."""
    return ServiceConfig(
        operator_ids=frozenset(settings.operator_ids),
        care_team_chat_id=settings.care_team_chat_id,
        default_timezone=settings.default_timezone,
        clinic_timezone=settings.clinic_timezone,
        emergency_number=settings.emergency_number,
        clinic_phone=settings.clinic_phone,
        clinic_language=settings.clinic_language,
        reminder_after=timedelta(minutes=settings.reminder_after_minutes),
        missed_after=timedelta(minutes=settings.missed_after_minutes),
        alert_escalation=timedelta(minutes=settings.alert_escalation_minutes),
        emergency_followup=timedelta(minutes=settings.emergency_followup_minutes),
        quiet_hours=settings.quiet_window,
        digest_time=settings.digest_time,
        invite_ttl=timedelta(hours=settings.invite_ttl_hours),
        outbox_lease=timedelta(seconds=settings.outbox_lease_seconds),
        outbox_retention=timedelta(days=settings.outbox_retention_days),
        console_url=settings.console_url,
    )


class Runtime:
    """Everything the running bot is made of, with an explicit start and stop.

    Modes: ``polling`` (default) takes updates by long polling; ``webhook`` takes Telegram's
    POSTs; ``worker`` takes no updates and only runs the sweeps and the outbox sender (extra
    instances beside one poller, sharing a PostgreSQL database). One HTTP server on
    WEB_LISTEN:WEB_PORT (none when WEB_PORT is 0) serves ``/health`` and ``/metrics`` in every
    mode, the care team's console except on workers, and the webhook route in webhook mode.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        mode: Mode = "polling",
        clock: Clock | None = None,
        pacing: PacingLimits | None = None,
        poll_timeout: int = 10,
        request_timeout: float = 10.0,
        flood_gate: FloodGate | None = None,
    ) -> None:
        self.settings = settings
        self.mode = mode
        self.engine = create_engine(settings.database_url)
        self.services = Services(
            session_factory=create_session_factory(self.engine),
            protocols=load_protocols(settings.protocol_dir),
            config=service_config(settings),
            clock=clock or SystemClock(),
        )
        self.application: Application = build_application(  # type: ignore[type-arg]
            token=settings.telegram_bot_token.get_secret_value(),
            api_base_url=settings.telegram_api_base_url,
            services=self.services,
            request_timeout=request_timeout,
            flood_gate=flood_gate,
        )
        self.metrics = Metrics(lambda: read_gauges(self.services))
        limits = pacing or PacingLimits(overall=1 / settings.send_rate_per_second)
        budget: SendBudget = (  # several instances share PostgreSQL, so they share the budget
            SharedBudget(self.services, limits)
            if self.engine.dialect.name == "postgresql"
            else LocalBudget(Pacer(limits))
        )
        self.sender = OutboxSender(
            self.services, self.application.bot, budget=budget, metrics=self.metrics
        )
        self.services.outbox_ready = self.sender.wake
        self.heartbeat = Heartbeat(self.services, mode=mode)
        self._sweeps: list[Sweep] = list(SWEEPS)  # + the operators' menus once registered
        self.scheduler = build_scheduler(
            self.services,
            self._sweeps,
            interval_seconds=settings.sweep_interval_seconds,
            metrics=self.metrics,
        )
        if mode == "webhook" and (settings.webhook_secret is None or not settings.webhook_url):
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        if mode == "webhook" and not settings.web_port:
            raise ValueError("webhook mode needs WEB_PORT: Telegram's posts arrive there")
        self.web: WebServer | None = None
        if settings.web_port:
            from web import WebServer

            self.web = WebServer(
                self._web_app(), listen=settings.web_listen, port=settings.web_port
            )
        self._poll_timeout = poll_timeout
        self._sender_task: asyncio.Task[None] | None = None
        self._gazetteer: asyncio.Task[None] | None = None  # read in a thread while we start

    def _web_app(self) -> Starlette:
        from app.webhook import webhook_route
        from web import build_web_app

        hook = []
        if self.mode == "webhook":
            secret, url = self.settings.webhook_secret, self.settings.webhook_url
            if secret is None or url is None:  # checked in __init__
                raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
            path = urlsplit(url).path or "/"
            hook = [webhook_route(self.application, secret=secret.get_secret_value(), path=path)]
        return build_web_app(
            self.services,
            health=lambda: check_health(self.services),
            metrics=self.metrics.render,
            console=self.mode != "worker",
            extra=hook,
        )

    async def start(self) -> None:
        """Migrate, check someone receives alerts, connect to Telegram, take updates (per mode),
        start sender and sweeps.

        Raises:
            NoAlertRecipientsError: no care-team chat and no operator (settings or table); raised
                before any call to Telegram.
        """
        drafts = [p for p in self.services.protocols.all() if not p.approved]
        if drafts:
            names = ", ".join(f"{p.file} ({p.family} {p.version}: {p.sign_off})" for p in drafts)
            log.warning(
                "protocol not signed off by a clinician: %s; "
                "run `checkin-bot protocol approve FILE --reviewer NAME`",
                names,
            )
        await upgrade(self.engine)
        if self.mode != "worker":  # typed places are looked up in the update handlers
            self._gazetteer = asyncio.create_task(asyncio.to_thread(load_gazetteer))
        await refresh_aged(self.services)  # rows a migration left due, before any update
        async with self.services.session_factory() as session:
            if await alert_recipient_count(session, self.services) == 0:
                raise NoAlertRecipientsError
        await self.application.initialize()
        self.services.bot_username = self.application.bot.username
        if self.mode != "worker":
            menus = await register_commands(self.application)
            self._sweeps.append(menus.refresh)  # operators added or removed: menus follow
            await self.application.start()
        if self.mode == "polling":
            assert self.application.updater is not None  # noqa: S101  (built with one)
            await self.application.updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, poll_interval=0.0, timeout=self._poll_timeout
            )
        if self.web is not None:
            await self.web.start()  # after the bot is started: webhook updates have a queue
        if self.mode == "webhook":
            secret = self.settings.webhook_secret
            await self.application.bot.set_webhook(
                str(self.settings.webhook_url),
                secret_token=secret.get_secret_value() if secret else None,
                allowed_updates=ALLOWED_UPDATES,
            )
        await self.heartbeat.start()  # registered before the first claim
        self._sender_task = asyncio.create_task(self.sender.run(), name="outbox-sender")
        self.scheduler.start()
        log.info("bot @%s running (%s)", self.services.bot_username, self.mode)

    async def tick(self) -> dict[str, int]:
        """Run every sweep once now (what the scheduler does on each interval)."""
        return await run_sweeps(self.services, self._sweeps, self.metrics)

    async def stop(self) -> None:
        """Stop taking updates, finish the updates and sends in flight, then close."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.web is not None:
            self.web.app.state.closing.set()  # live pages' streams end
            await self.web.stop()
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.sender.stop()
        if self._sender_task is not None:
            self._sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender_task
        await self.heartbeat.stop()
        if self._gazetteer is not None:  # its thread cannot be cancelled: let it finish
            with contextlib.suppress(Exception):  # a typed place raises it again
                await self._gazetteer
        await self.application.shutdown()
        await close_requests(self.application)
        await self.engine.dispose()
        log.info("bot stopped")

    async def __aenter__(self) -> Runtime:
        try:
            await self.start()
        except BaseException:
            await self.stop()  # release what did start (database pool, HTTP client)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


async def run_until_signal(settings: Settings, mode: Mode = "polling") -> None:
    """Run the bot until SIGINT or SIGTERM, then shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Runtime(settings, mode=mode):
        await stop.wait()
    log.info("signal received, stopped")
