"""The flood gate: per user, sliding window, one warning per window."""

from __future__ import annotations

from bot.flow import FloodGate


class Ticker:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_each_user_gets_the_limit_in_any_window() -> None:
    ticker = Ticker()
    gate = FloodGate(limit=3, window=10, clock=ticker)
    assert [gate.admit(1) for _ in range(5)] == [True, True, True, False, False]
    assert gate.admit(2)  # another user is not affected
    ticker.t += 10.01
    assert gate.admit(1)


def test_window_slides_rather_than_resetting() -> None:
    ticker = Ticker()
    gate = FloodGate(limit=2, window=10, clock=ticker)
    assert gate.admit(1)
    ticker.t += 6
    assert gate.admit(1)
    ticker.t += 5  # the first one left the window, the second has not
    assert gate.admit(1)
    assert not gate.admit(1)


def test_warning_once_per_window() -> None:
    ticker = Ticker()
    gate = FloodGate(limit=1, window=10, clock=ticker)
    assert gate.should_warn(1)
    assert not gate.should_warn(1)
    ticker.t += 10
    assert gate.should_warn(1)
