"""Alerts: raising them, the emergency follow-up, escalation, acknowledgement.

Other features use only the names below; the modules inside are this room's own.
"""

from services.alerts.escalation import patient_unreachable
from services.alerts.raising import raise_alert

__all__ = ["patient_unreachable", "raise_alert"]
