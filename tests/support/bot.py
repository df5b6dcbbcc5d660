"""The real bot against the fake Telegram: one way to build it, one way to talk to it."""

from __future__ import annotations

from typing import Any

from app.runtime import Mode, Runtime
from app.settings import load_settings
from bot.flow import FloodGate
from scheduler.pacing import PacingLimits
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.clock import FakeClock

__all__ = ["ChatUser", "make_runtime"]

OPERATOR_ID = 900
WEBHOOK_SECRET = "s3cret-token-for-tests_0123456789"  # noqa: S105
CARE_TEAM_CHAT = -100


def make_runtime(
    api: FakeBotApi,
    database_url: str,
    clock: FakeClock,
    *,
    mode: Mode = "polling",
    flood_gate: FloodGate | None = None,
    pacing: PacingLimits | None = None,
    **settings: Any,
) -> Runtime:
    """A bot as ``checkin-bot run`` builds it, pointed at ``api``; sweeps run on ``tick()``.

    Pacing is off unless ``pacing`` is given, polls short, no HTTP server; ``settings``
    override the defaults below (one operator, one care-team chat), by the names of
    :class:`app.settings.Settings`.
    """
    values: dict[str, Any] = {
        "operator_ids": str(OPERATOR_ID),
        "care_team_chat_id": CARE_TEAM_CHAT,
        "sweep_interval_seconds": 600,
        "web_port": 0,  # no HTTP server unless a test asks for one (tests run side by side)
        **settings,
    }
    config = load_settings(
        env_file=None,
        telegram_bot_token=api.token,
        telegram_api_base_url=api.root_url,
        database_url=database_url,
        **values,
    )
    return Runtime(
        config,
        mode=mode,
        clock=clock,
        pacing=pacing or PacingLimits.off(),
        poll_timeout=1,
        request_timeout=1.0,  # a hung request fails fast (tests of hangs wait for it)
        flood_gate=flood_gate,
    )


# The quickest way through enrollment: each step, the prompt that asks for it, and the
# answer given unless the walk says otherwise.
ENROLLMENT_STEPS = (
    ("consent", "Do you agree?"),
    ("name", "What name"),
    ("zone", "Which time zone"),
    ("procedure", "Which operation"),
    ("date", "When was your operation"),
    ("hospital", "Are you home from hospital yet?"),
    ("time", "At what time"),
    ("summary", "Please check your details"),
    ("done", "all set"),
)


class ChatUser:
    """A person in their private chat with the bot: writes, presses buttons, waits for replies."""

    def __init__(self, api: FakeBotApi, user_id: int) -> None:
        self.api = api
        self.user_id = user_id

    @property
    def last(self) -> SentMessage:
        """The bot's latest message in this chat."""
        return self.api.last_message(self.user_id)

    def _count(self) -> int:
        return len(self.api.messages(self.user_id))

    async def says(self, text: str, expect: str) -> SentMessage:
        """Send ``text`` and wait for the bot's next message containing ``expect``."""
        seen = self._count()
        self.api.send_text(self.user_id, text)
        return await self.api.wait_for_message(self.user_id, contains=expect, after=seen)

    async def presses(
        self, label: str, expect: str, message: SentMessage | None = None
    ) -> SentMessage:
        """Press ``label`` under ``message`` (default: the latest message showing that button)
        and wait for ``expect``."""
        seen = self._count()
        if message is None:
            showing = [m for m in self.api.messages(self.user_id) if label in m.button_labels]
            message = showing[-1] if showing else self.last
        self.api.press_button(self.user_id, message, label)
        return await self.api.wait_for_message(self.user_id, contains=expect, after=seen)

    async def walk(
        self,
        until: str = "done",
        *,
        name: str | None = None,
        zone: str = "UTC",
        procedure: str = "Kyphoplasty",
        surgery: str = "Yesterday",
        hospital: str = "Still in hospital",
        at: str = "18:00",
        agree: str = "Agree",
        welcome: str = "Do you agree?",
    ) -> SentMessage:
        """Enroll by buttons up to the prompt of step ``until``; return that prompt.

        Typed answers are used where given: ``name`` (else Skip), and ``surgery`` when it is
        not one of the date buttons; ``agree`` and ``welcome`` are the consent's button and
        text in the user's language. The hospital step comes only after spinal fusion.
        """
        answers = {
            "consent": ("say", "/start"),
            "name": ("press", agree),
            "zone": ("say", name) if name else ("press", "Skip"),
            "procedure": ("press", zone),
            "date": ("press", procedure),
            "hospital": (
                ("press", surgery)
                if surgery in ("Today", "Yesterday", "2 days ago")
                else ("say", surgery)
            ),
            "time": ("press", hospital),
            "summary": ("press", at),
            "done": ("press", "Confirm"),
        }
        if procedure != "Spinal fusion":  # no hospital step: the date leads to the time
            answers["time"] = answers.pop("hospital")
        for step, expect in ENROLLMENT_STEPS:
            if step not in answers:
                continue
            how, value = answers[step]
            act = self.says if how == "say" else self.presses
            message = await act(value, welcome if step == "consent" else expect)
            if step == until:
                return message
        raise ValueError(f"no enrollment step {until!r}")
