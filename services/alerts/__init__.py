"""Alerts: raising them, the emergency follow-up, escalation, acknowledgement.

Other features use only the names below; the modules inside are this room's own.
"""

from services.alerts.escalation import patient_unreachable
from services.alerts.raising import raise_alert
from services.alerts.reports import note_findings, report_findings

__all__ = ["note_findings", "patient_unreachable", "raise_alert", "report_findings"]
