"""The care team's web console, ``/health``, ``/metrics`` and the webhook route: one ASGI app
served by uvicorn in the bot's own process and event loop."""

from web.app import build_web_app
from web.server import WebServer

__all__ = ["WebServer", "build_web_app"]
