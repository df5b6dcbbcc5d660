"""The pain trend test: a sustained rise of pain over the last check-ins, ignoring low pain.

Pure arithmetic on a list of 0-10 scores, oldest first, today's score last. Used by triage for
the ``pain_trend`` rule kind; kept apart so it can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MIN_TREND_SCORES", "least_rising_slope", "rising_trend", "slope"]

#: The fewest scores (today included) a trend is judged on; two scores are a jump, not a trend.
MIN_TREND_SCORES = 3


def slope(scores: Sequence[int]) -> float:
    """Return the least-squares slope of scores taken at equally spaced check-ins.

    Args:
        scores: Pain scores, oldest first.

    Returns:
        Points per check-in; 0.0 for fewer than two scores.
    """
    n = len(scores)
    if n < 2:
        return 0.0
    x_mean = (n - 1) / 2
    y_mean = sum(scores) / n
    sxy = sum((x - x_mean) * (y - y_mean) for x, y in enumerate(scores))
    sxx = sum((x - x_mean) ** 2 for x in range(n))
    return sxy / sxx


def least_rising_slope(points: int, checkins: int) -> float:
    """Return the smallest slope of a course that never falls and gains ``points`` in ``checkins``.

    That course is flat and then rises all at once at the last check-in (or at the first). A
    ``min_slope`` at or below this value lets every such rise count, at any pace.

    Args:
        points: The rise, in points.
        checkins: The number of scores.

    Returns:
        ``6 * points / (checkins * (checkins + 1))`` points per check-in.
    """
    return 6 * points / (checkins * (checkins + 1))


def rising_trend(
    scores: Sequence[int], *, checkins: int, points: int, min_slope: float, gte: int
) -> bool:
    """Tell whether pain rose in a sustained way over the last check-ins.

    All must hold over the last ``checkins`` scores (today's last): there are at least
    ``MIN_TREND_SCORES`` of them; today's score is ``gte`` or more; today's score is at least
    ``points`` above the lowest of them; and their least-squares slope is ``min_slope`` points per
    check-in or more. Noise of one point either way on a flat or falling course never gains
    ``points`` >= 3, and a rise that stays below ``gte`` is not reported. A ``min_slope`` at most
    ``least_rising_slope(points, checkins)`` (the loader insists) lets every never-falling run of
    the last ``checkins`` scores that gains ``points`` and ends at ``gte`` or more count.

    Args:
        scores: Valid pain scores of the check-ins so far, oldest first, today's last.
        checkins: How many of the latest scores are looked at.
        points: The rise today above the lowest of them.
        min_slope: The least rise per check-in (least-squares fit).
        gte: Today's pain at least this.

    Returns:
        True when the rise is sustained.
    """
    window = list(scores[-checkins:]) if checkins > 0 else []
    if len(window) < MIN_TREND_SCORES:
        return False
    today = window[-1]
    return today >= gte and today - min(window) >= points and slope(window) >= min_slope
