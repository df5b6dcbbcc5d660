"""Alerts: raising them, the emergency follow-up, escalation, acknowledgement.

Other features use only the names below; the modules inside are this room's own.
"""

from services.alerts.ack_posts import operator_name
from services.alerts.acknowledge import acknowledge_alert
from services.alerts.escalation import patient_unreachable
from services.alerts.outcomes import record_outcome
from services.alerts.raising import raise_alert
from services.alerts.reports import note_findings, report_findings

__all__ = [
    "acknowledge_alert",
    "note_findings",
    "operator_name",
    "patient_unreachable",
    "raise_alert",
    "record_outcome",
    "report_findings",
]
