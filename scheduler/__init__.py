"""Periodic sweeps and the outbox sender."""

from collections.abc import Sequence

from scheduler.jobs import Sweep
from services import console, risk_summary
from services.alerts import ack_posts, escalation, followup, reports
from services.care_team import digest
from services.caregivers import summaries
from services.checkin import schedule
from services.delivery import instances, outcomes

__all__ = ["SWEEPS"]

# The sweeps run on every tick, in this order: an unanswered emergency follow-up is
# re-raised before escalation runs, so the care team hears of it on the same tick; daily
# summaries follow the missed marks, so a missed check-in is summarised on the same tick.
SWEEPS: Sequence[Sweep] = (
    schedule.dispatch_due,
    schedule.remind_due,
    schedule.mark_missed,
    summaries.send_daily_summaries,
    followup.followup_due,
    escalation.escalate_due,
    ack_posts.edit_late_posts,  # alert posts still in flight when acknowledged
    reports.edit_late_posts,  # ... or when their alert was reported again
    risk_summary.refresh_aged,  # facts leaving their 7- and 14-day windows (the digest reads them)
    digest.send_daily_digest,  # the care team's digest of yesterday, once a day
    outcomes.purge_delivered,  # delivered messages hold health data: keep them 30 days
    console.purge_sessions,  # console sessions idle past 8 hours
    instances.forget_dead,  # rows of instances silent for an hour
)
