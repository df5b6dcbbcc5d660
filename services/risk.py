"""Risk ordering of patients, one pure function for every list (``/patients``, the digest,
the web console).

Tiers, riskiest first: an open emergency alert; an open urgent alert; an unacknowledged
attention alert (an unclear answer to review today); two or more missed check-ins in a row;
unreachable on Telegram (blocked the bot); pain worsening over the recent check-ins; everyone
else. Within a tier the oldest unhandled item comes first (the alert raised longest ago, the
streak of missed check-ins that began first, the longest unreachable), then the name and the
reference, so the order is stable.

The lists read the order from each patient's stored risk summary (:mod:`services.risk_summary`),
whose sort columns are :func:`risk_order` of the patient's facts; the reference is the last
tie-breaker and orders as the patient's id (:func:`ref_order`), so an index on
(tier, since, unnamed, name key, patient id) holds exactly the order of :func:`risk_key`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from recovery import Level

__all__ = [
    "MISSED_IN_A_ROW",
    "NO_TIME",
    "RiskFacts",
    "RiskOrder",
    "RiskTier",
    "ref_order",
    "risk_key",
    "risk_order",
    "risk_tier",
]

MISSED_IN_A_ROW = 2  # this many missed check-ins in a row put a patient in the MISSED tier
NO_TIME = datetime.max.replace(tzinfo=UTC)  # no time: after every dated item of its tier


class RiskTier(IntEnum):
    """The tiers of risk, riskiest (smallest) first."""

    EMERGENCY = 0
    URGENT = 1
    ATTENTION = 2
    MISSED = 3
    UNREACHABLE = 4
    WORSENING = 5
    OTHER = 6


@dataclass(frozen=True)
class RiskFacts:
    """What the ordering reads of one patient (times are aware datetimes).

    ``open_alerts`` holds each open (unacknowledged) alert as its level and when it was raised;
    ``missed_streak`` the missed check-ins in a row up to the latest and ``missed_since`` when
    the first of them was due; ``pain_worsening`` whether the recent pain scores rise.
    """

    ref: str
    name: str | None = None
    open_alerts: Sequence[tuple[Level, datetime]] = ()
    missed_streak: int = 0
    missed_since: datetime | None = None
    unreachable_since: datetime | None = None
    pain_worsening: bool = False


def risk_tier(facts: RiskFacts) -> tuple[RiskTier, datetime | None]:
    """The patient's tier and the time of the oldest unhandled item in it.

    Args:
        facts: the patient's facts.

    Returns:
        The tier, and when its oldest item began (None when the tier has no time).
    """
    for level, tier in (
        (Level.EMERGENCY, RiskTier.EMERGENCY),
        (Level.URGENT, RiskTier.URGENT),
        (Level.ATTENTION, RiskTier.ATTENTION),
    ):
        times = [at for alert_level, at in facts.open_alerts if alert_level is level]
        if times:
            return tier, min(times)
    if facts.missed_streak >= MISSED_IN_A_ROW:
        return RiskTier.MISSED, facts.missed_since
    if facts.unreachable_since is not None:
        return RiskTier.UNREACHABLE, facts.unreachable_since
    if facts.pain_worsening:
        return RiskTier.WORSENING, None
    return RiskTier.OTHER, None


@dataclass(frozen=True)
class RiskOrder:
    """Where a patient sorts, as stored in their summary: the first four parts of the key.

    ``since`` is :data:`NO_TIME` for a tier without a time; ``unnamed`` puts patients without
    a name after named ones; ``name_key`` is the name casefolded ("" without one).
    """

    tier: RiskTier
    since: datetime
    unnamed: bool
    name_key: str


def risk_order(facts: RiskFacts) -> RiskOrder:
    """The stored sort columns of a patient: tier, oldest unhandled item, then the name.

    Args:
        facts: the patient's facts.

    Returns:
        The parts of :func:`risk_key` before the reference.
    """
    tier, since = risk_tier(facts)
    name = (facts.name or "").casefold()
    return RiskOrder(tier, since or NO_TIME, not name, name)


def ref_order(ref: str) -> tuple[int, str]:
    """A reference as the last tie-breaker: ``P-0042`` before ``P-10000``, as their ids.

    References are ``P-`` and the id with at least 4 digits, so the shorter one is the
    smaller id, and among equal lengths the text orders as the number.
    """
    return len(ref), ref


def risk_key(facts: RiskFacts) -> tuple[int, datetime, bool, str, tuple[int, str]]:
    """Sort key, riskiest first: tier, oldest unhandled item, then name and reference.

    Args:
        facts: the patient's facts.

    Returns:
        A key for ``sorted``; patients without a name come after named ones in a tie.
    """
    order = risk_order(facts)
    return (int(order.tier), order.since, order.unnamed, order.name_key, ref_order(facts.ref))
