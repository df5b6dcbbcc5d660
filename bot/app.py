"""The application factory: the one place that wires handlers to python-telegram-bot."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder

from bot import account, care_team, caregivers, checkin, common, enrollment, start, text
from bot.context import CONTEXT_TYPES
from bot.flow import FloodGate, PerUserUpdateProcessor, flood_handler
from services.context import Services
from views import texts

__all__ = ["ALLOWED_UPDATES", "build_application", "register_commands"]

# Features in the order their handlers are tried; the fallback is always last.
FEATURES = (start, caregivers, enrollment, checkin, account, care_team, text)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def build_application(
    *,
    token: str,
    api_base_url: str,
    services: Services,
    request_timeout: float = 10.0,
    flood_gate: FloodGate | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the bot application (no network I/O happens here).

    Args:
        token: the bot token.
        api_base_url: the Bot API server root, e.g. https://api.telegram.org.
        services: the use-case context handlers call into.
        request_timeout: seconds before a Bot API call (other than getUpdates) times out.
        flood_gate: the per-user update limit (default: 20 updates in any 10 seconds).

    Returns:
        The application, not yet initialized.
    """
    root = api_base_url.rstrip("/")
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .job_queue(None)
        .read_timeout(request_timeout)
        .write_timeout(request_timeout)
        .connect_timeout(request_timeout)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerUserUpdateProcessor())
        .build()
    )
    application.bot_data.services = services
    application.add_handler(flood_handler(flood_gate or FloodGate()), group=-1)
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
    application.add_handlers(common.fallback_handlers())
    application.add_error_handler(common.on_error)
    return application


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Publish the command list shown in Telegram's menu."""
    await application.bot.set_my_commands([BotCommand(n, d) for n, d in texts.COMMANDS])
