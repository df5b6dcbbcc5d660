"""Typed handler context: handlers reach the services through ``context.bot_data.services``."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from services.context import Services

__all__ = ["CONTEXT_TYPES", "BotData", "Context"]


class BotData:
    """The application's shared state: only the service context."""

    services: Services


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
