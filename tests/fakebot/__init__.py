"""A fake Telegram Bot API server for end-to-end tests of the bot with python-telegram-bot."""

from tests.fakebot.server import FakeBotApi
from tests.fakebot.state import SentMessage

__all__ = ["FakeBotApi", "SentMessage"]
