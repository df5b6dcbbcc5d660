"""Periodic sweeps and the outbox sender."""

from collections.abc import Sequence

from services import acknowledge, alerts, daily_digest, delivery, summaries, sweeps

from .jobs import Sweep

__all__ = ["SWEEPS"]

# The sweeps run on every tick, in this order: an unanswered emergency follow-up is
# re-raised before escalation runs, so the care team hears of it on the same tick; daily
# summaries follow the missed marks, so a missed check-in is summarised on the same tick.
SWEEPS: Sequence[Sweep] = (
    sweeps.dispatch_due,
    sweeps.remind_due,
    sweeps.mark_missed,
    summaries.send_daily_summaries,
    alerts.followup_due,
    alerts.escalate_due,
    acknowledge.edit_late_posts,  # alert posts still in flight when acknowledged
    daily_digest.send_daily_digest,  # the care team's digest of yesterday, once a day
    delivery.purge_delivered,  # delivered messages hold health data: keep them 30 days
)
