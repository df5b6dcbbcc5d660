"""Debian's Chromium under Playwright: where it is, how it is started, and what to do without it.

Playwright's own browser builds cannot be downloaded here, so the tests drive the system's
Chromium (``.ci/run`` installs it with apt-get when it is missing).
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import Browser, Playwright

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "VIEWPORT", "launch", "missing_browser", "on_ci"]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root in a container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium is installed."""
    if CHROMIUM.exists():
        return None
    return f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does it)"


def on_ci() -> bool:
    """Whether this is CI, where a missing browser is a failure, not a skip."""
    return os.environ.get("CI") == "true"


async def launch(playwright: Playwright) -> Browser:
    """Start a headless Chromium for the tests."""
    return await playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
    )
