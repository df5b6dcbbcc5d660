"""The application factory: the one place that wires handlers to python-telegram-bot."""

from __future__ import annotations

import logging
import weakref
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot import account, care_team, caregivers, checkin, common, enrollment, start, text
from bot.context import CONTEXT_TYPES
from bot.flow import FloodGate, PerUserUpdateProcessor, flood_handler
from bot.request import AiohttpRequest
from services.care_team.operators import menu_chats
from services.context import Services
from views import texts
from views.care_team import common as care_views
from views.i18n import DEFAULT_LANGUAGE, SUPPORTED, pick_language, translator

__all__ = [
    "ALLOWED_UPDATES",
    "CommandMenus",
    "build_application",
    "close_requests",
    "register_commands",
]

log = logging.getLogger(__name__)

# Features in the order their handlers are tried; the fallback is always last.
FEATURES = (start, caregivers, enrollment, checkin, account, care_team, text)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]

# A SYN dropped by a full listen queue is sent again after 1 s: a shorter connect timeout turns
# that into a failed call (seen in CI against the fake Bot API with 1 s test timeouts).
MIN_CONNECT_TIMEOUT = 3.0
CONNECTIONS = 256  # Bot API connections open at once (python-telegram-bot's default)
_REQUESTS: weakref.WeakKeyDictionary[Application, tuple[AiohttpRequest, ...]] = (  # type: ignore[type-arg]
    weakref.WeakKeyDictionary()
)


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
    calls = AiohttpRequest(
        connection_pool_size=CONNECTIONS,
        read_timeout=request_timeout,
        write_timeout=request_timeout,
        connect_timeout=max(request_timeout, MIN_CONNECT_TIMEOUT),
    )
    polls = AiohttpRequest(connection_pool_size=1)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .job_queue(None)
        .request(calls)
        .get_updates_request(polls)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerUserUpdateProcessor())
        .build()
    )
    _REQUESTS[application] = (calls, polls)
    application.bot_data.services = services
    application.add_handler(flood_handler(flood_gate or FloodGate()), group=-1)
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
    application.add_handlers(common.fallback_handlers())
    application.add_error_handler(common.on_error)
    return application


async def close_requests(application: Application) -> None:  # type: ignore[type-arg]
    """Close the Bot API client's connections, also when the bot never finished initializing
    (PTB's shutdown skips a bot whose first ``getMe`` failed)."""
    for request in _REQUESTS.pop(application, ()):
        await request.shutdown()


class CommandMenus:
    """Telegram's command menus: everyone's, and the operators' in their chats only.

    Each operator's private chat gets everyone's commands plus the operators' ones, and the
    care-team chat the operators' ones, through ``setMyCommands`` with a chat scope, described
    in the operator's own language (the team chat: CLINIC_LANGUAGE). The
    operators' set is refreshed on every sweep tick (:meth:`refresh`): a chat that joined
    gets the menu, one that left has it deleted; Telegram is called only when it changed. A
    chat Telegram refuses (an operator who never opened the bot) is tried again next tick.
    """

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        """Menus of ``application``'s bot; nothing is sent until :meth:`register`."""
        self._bot = application.bot
        self._services: Services = application.bot_data.services
        # chat id -> (whether it is an operator's private chat, the language of its menu)
        self._scoped: dict[int, tuple[bool, str]] = {}

    async def register(self) -> None:
        """Publish everyone's menu (in English for any language, and in each other supported
        language for users whose Telegram app is set to it), then the operators' menus."""
        for language in SUPPORTED:
            tr = translator(language)
            commands = [BotCommand(name, tr.gettext(text)) for name, text in texts.COMMANDS]
            code = None if language == DEFAULT_LANGUAGE else language
            await self._bot.set_my_commands(commands, language_code=code)
        await self.refresh(self._services)

    async def refresh(self, services: Services) -> int:
        """Bring the scoped menus in line with the operators and the care-team chat now.

        Returns:
            How many chats' menus were set or deleted.
        """
        operators, team_chat = await menu_chats(services)
        wanted = {chat: (True, pick_language(language)) for chat, language in operators.items()}
        if team_chat is not None:
            wanted[team_chat] = (False, pick_language(services.config.clinic_language))
        changed = 0
        for chat, (private, language) in wanted.items():
            if self._scoped.get(chat) == (private, language):
                continue
            mine = texts.COMMANDS + care_views.OPERATOR_PRIVATE_COMMANDS if private else ()
            tr = translator(language)
            listed = mine + care_views.OPERATOR_COMMANDS
            commands = [BotCommand(name, tr.gettext(text)) for name, text in listed]
            if await self._call(self._bot.set_my_commands, chat, commands):
                self._scoped[chat] = (private, language)
                changed += 1
        for chat in [c for c in self._scoped if c not in wanted]:
            if await self._call(self._bot.delete_my_commands, chat):
                del self._scoped[chat]
                changed += 1
        return changed

    async def _call(self, method: Any, chat: int, *args: Any) -> bool:
        try:
            await method(*args, scope=BotCommandScopeChat(chat))
        except TelegramError as exc:
            log.warning("command menu of chat %s not updated: %s", chat, type(exc).__name__)
            return False
        return True


async def register_commands(application: Application) -> CommandMenus:  # type: ignore[type-arg]
    """Publish the command menus (everyone's; the operators' in their chats only).

    Returns:
        The menus, whose :meth:`CommandMenus.refresh` keeps the operators' menus current.
    """
    menus = CommandMenus(application)
    await menus.register()
    return menus
