"""The pacer holds Telegram's limits in every window."""

from __future__ import annotations

import pytest

from scheduler.pacing import Pacer, PacingLimits, on_time


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def drive(
    pacer: Pacer, ticker: Ticker, chats: list[int], overshoot: float = 0.0
) -> list[tuple[float, int]]:
    """Send to each chat in turn as soon as the pacer allows; return (time, chat) pairs."""
    sent = []
    pending = list(chats)
    while pending:
        ready = [c for c in pending if pacer.chat_wait(c) == 0]
        if ready and pacer.overall_wait() == 0:
            chat = ready[0]
            pending.remove(chat)
            pacer.record(chat)
            sent.append((ticker.t, chat))
        else:
            waits = [pacer.chat_wait(c) for c in pending] + [pacer.overall_wait()]
            ticker.t += max(min(w for w in waits if w > 0), 1e-6) + overshoot
    return sent


def max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_overall_rate_never_exceeds_29_in_any_second() -> None:
    ticker = Ticker()
    sent = drive(Pacer(PacingLimits(), clock=ticker), ticker, list(range(1, 301)))
    times = [t for t, _ in sent]
    assert max_in_window(times, 1.0) <= 29
    assert 300 / (times[-1] - times[0]) > 28  # stays close to the limit


def test_one_chat_gets_at_most_one_message_per_second() -> None:
    ticker = Ticker()
    sent = drive(Pacer(PacingLimits(), clock=ticker), ticker, [5] * 10)
    assert max_in_window([t for t, _ in sent], 1.0) == 1


def test_group_gets_at_most_20_per_minute() -> None:
    ticker = Ticker()
    sent = drive(Pacer(PacingLimits(), clock=ticker), ticker, [-42] * 45)
    assert max_in_window([t for t, _ in sent], 60.0) <= 20


def test_off_means_no_waiting() -> None:
    pacer = Pacer(PacingLimits.off(), clock=Ticker())
    pacer.record(1)
    assert pacer.chat_wait(1) == 0
    assert pacer.overall_wait() == 0


def test_timer_overshoot_does_not_pile_up_nor_break_the_limit() -> None:
    ticker = Ticker()
    sent = drive(Pacer(PacingLimits(), clock=ticker), ticker, list(range(1, 601)), overshoot=0.001)
    times = [t for t, _ in sent]
    assert max_in_window(times, 1.0) <= 30  # Telegram's limit holds
    assert 600 / (times[-1] - times[0]) > 28.8  # the overshoot is not lost on every send


@pytest.mark.parametrize(
    ("rate", "late_ms", "sent"),
    [
        (29, 15, True),  # within half the 34 ms that keep any second to 30 sends
        (29, 20, False),
        (28, 30, True),  # slower rates leave more room: 71 ms at 28/s
        (30, 5, True),  # at Telegram's full rate a quarter spacing (8 ms) is still allowed...
        (30, 10, False),  # ...not more
    ],
)
def test_a_late_wakeup_keeps_its_slot_only_while_no_second_can_hold_31_sends(
    rate: int, late_ms: int, sent: bool
) -> None:
    assert on_time(late_ms / 1000, 1 / rate) is sent
